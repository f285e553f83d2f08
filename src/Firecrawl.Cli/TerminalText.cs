using System.Text;

namespace Firecrawl.Cli;

/// <summary>
/// Makes server text safe to print to a terminal or a CI log: a hostile or broken server could otherwise clear the
/// screen, move the cursor, overwrite a line with a bare carriage return, set the window title or reorder text with
/// bidirectional overrides. JSON output needs none of this: the serializer escapes control characters.
/// </summary>
internal static class TerminalText
{
    private const char Escape = '\u001B';

    /// <summary>The C1 form of ESC [, which some terminals honour.</summary>
    private const char SingleCharacterCsi = '\u009B';

    public static string Clean(string text)
    {
        if (!NeedsCleaning(text))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == Escape)
            {
                i = SkipEscapeSequence(text, i);
                continue;
            }

            if (c == SingleCharacterCsi)
            {
                i = SkipControlSequence(text, i + 1);
                continue;
            }

            if (c is '\n' or '\t' || !IsUnsafe(c))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    private static bool NeedsCleaning(string text)
    {
        foreach (char c in text)
        {
            if (c is not ('\n' or '\t') && IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>C0 and C1 control characters, DEL, and the bidirectional embedding, override and isolate marks.</summary>
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>
    /// Skips a control sequence's parameter and intermediate bytes (0x20-0x3F) from <paramref name="i"/> and returns the
    /// index of its final byte.
    /// </summary>
    private static int SkipControlSequence(string text, int i)
    {
        while (i < text.Length && text[i] is >= '\u0020' and <= '\u003F')
        {
            i++;
        }

        return Math.Min(i, text.Length - 1);
    }

    /// <summary>The index of the last character of the escape sequence that starts at <paramref name="start"/>.</summary>
    private static int SkipEscapeSequence(string text, int start)
    {
        int i = start + 1;
        if (i >= text.Length)
        {
            return start;
        }

        switch (text[i])
        {
            case '[':
                return SkipControlSequence(text, i + 1);
            case ']' or 'P' or '_' or '^':
                // OSC, DCS, APC, PM: a string ended by BEL or ESC \ (or the end of the text).
                for (i++; i < text.Length; i++)
                {
                    if (text[i] == '\u0007')
                    {
                        return i;
                    }

                    if (text[i] == Escape && i + 1 < text.Length && text[i + 1] == '\\')
                    {
                        return i + 1;
                    }
                }

                return text.Length - 1;
            default:
                // A two-character sequence such as ESC c (reset).
                return i;
        }
    }
}
