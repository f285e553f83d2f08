using System.Globalization;
using System.Text;

// One source file, compiled into the client and the emulator in each one's namespace: both redact the same way.
#if FIRECRAWL_TESTING
namespace Firecrawl.Client.Testing;
#else
namespace Firecrawl.Client;
#endif

/// <summary>
/// Finds secrets in text however they are written, and masks them. A server, a proxy or a test can echo a key back
/// as it is, in another letter case, percent-encoded (with upper- or lower-case hex, or encoded twice), as a JSON
/// <c>\u002d</c> escape or an HTML <c>&amp;#45;</c> entity, or split across the values of one header. The text is
/// decoded into a view that remembers where each character came from, the secret is searched in that view without
/// regard to case, and what it covers in the original is masked.
/// </summary>
internal static class SecretText
{
    /// <summary>How many layers of encoding are undone: a key encoded three times over is still found.</summary>
    private const int MaxDecodingPasses = 4;

    /// <summary>Whether <paramref name="text"/> holds any of <paramref name="secrets"/>, however written.</summary>
    public static bool Holds(string text, IReadOnlyList<string> secrets)
    {
        if (secrets.Count == 0 || text.Length == 0)
        {
            return false;
        }

        if (ContainsAny(text, secrets))
        {
            return true;
        }

        return MayBeEncoded(text) && ContainsAny(Decode(text).Text, secrets);
    }

    /// <summary><paramref name="text"/> with every secret masked; the same instance when it holds none.</summary>
    public static string Mask(string text, IReadOnlyList<string> secrets, string mask)
    {
        if (!Holds(text, secrets))
        {
            return text;
        }

        bool[] masked = new bool[text.Length];
        MarkAll(Decode(text), secrets, masked, offset: 0);
        return Apply(text, masked, mask);
    }

    /// <summary>
    /// The lines of one header, each masked: a secret split across several values (a header sent twice, each line with a
    /// part, or one line's comma-separated list) is found in their concatenation, spaces around each value aside, and
    /// masked in every value it touches.
    /// </summary>
    public static string[] MaskHeader(IReadOnlyList<string> lines, IReadOnlyList<string> secrets, string mask)
    {
        var values = new List<string>();
        var lineOf = new List<int>();
        for (int line = 0; line < lines.Count; line++)
        {
            foreach (string value in lines[line].Split(','))
            {
                values.Add(value);
                lineOf.Add(line);
            }
        }

        // The values without the spaces around them, one after another: where a split secret is whole again.
        var joined = new StringBuilder();
        var starts = new int[values.Count];
        var trims = new (int Start, int Length)[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            string value = values[i];
            int start = 0;
            int end = value.Length;
            while (start < end && char.IsWhiteSpace(value[start]))
            {
                start++;
            }

            while (end > start && char.IsWhiteSpace(value[end - 1]))
            {
                end--;
            }

            trims[i] = (start, end - start);
            starts[i] = joined.Length;
            joined.Append(value, start, end - start);
        }

        string[] result = new string[lines.Count];
        string text = joined.ToString();
        if (!Holds(text, secrets))
        {
            for (int line = 0; line < lines.Count; line++)
            {
                result[line] = lines[line];
            }

            return result;
        }

        bool[] masked = new bool[text.Length];
        MarkAll(Decode(text), secrets, masked, offset: 0);
        var rebuilt = new List<string>[lines.Count];
        for (int i = 0; i < values.Count; i++)
        {
            (int start, int length) = trims[i];
            string value = values[i];
            string core = Apply(value.Substring(start, length), masked.AsSpan(starts[i], length), mask);
            (rebuilt[lineOf[i]] ??= []).Add(value[..start] + core + value[(start + length)..]);
        }

        for (int line = 0; line < lines.Count; line++)
        {
            result[line] = string.Join(',', rebuilt[line] ?? [lines[line]]);
        }

        return result;
    }

    private static bool ContainsAny(string text, IReadOnlyList<string> secrets)
    {
        foreach (string secret in secrets)
        {
            if (secret.Length > 0 && text.Contains(secret, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayBeEncoded(string text) => text.AsSpan().IndexOfAny('%', '\\', '&') >= 0;

    /// <summary>Marks, in <paramref name="masked"/>, every original character a secret covers in the decoded view.</summary>
    private static void MarkAll(View view, IReadOnlyList<string> secrets, bool[] masked, int offset)
    {
        foreach (string secret in secrets)
        {
            if (secret.Length == 0)
            {
                continue;
            }

            for (int at = view.Text.IndexOf(secret, StringComparison.OrdinalIgnoreCase); at >= 0;
                at = view.Text.IndexOf(secret, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                int from = view.Starts[at];
                int to = view.Ends[at + secret.Length - 1];
                Array.Fill(masked, true, offset + from, to - from);
            }
        }
    }

    /// <summary>Replaces each run of masked characters with one mask.</summary>
    private static string Apply(string text, ReadOnlySpan<bool> masked, string mask)
    {
        if (masked.IndexOf(true) < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (!masked[i])
            {
                result.Append(text[i]);
            }
            else if (i == 0 || !masked[i - 1])
            {
                result.Append(mask);
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// The text with percent-encoding, <c>\uXXXX</c> and <c>\xXX</c> escapes and numeric HTML entities undone, pass after
    /// pass until nothing changes, and for each character of the result the span of the original it came from.
    /// </summary>
    private static View Decode(string text)
    {
        var view = new View(text, [.. Enumerable.Range(0, text.Length)], [.. Enumerable.Range(1, text.Length)]);
        for (int pass = 0; pass < MaxDecodingPasses && MayBeEncoded(view.Text); pass++)
        {
            View next = DecodeOnce(view);
            if (next.Text.Length == view.Text.Length)
            {
                break;
            }

            view = next;
        }

        return view;
    }

    private static View DecodeOnce(View view)
    {
        string text = view.Text;
        var chars = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length);
        var ends = new List<int>(text.Length);
        for (int i = 0; i < text.Length;)
        {
            (char decoded, int length) = DecodeAt(text, i);
            chars.Append(decoded);
            starts.Add(view.Starts[i]);
            ends.Add(view.Ends[i + length - 1]);
            i += length;
        }

        return new View(chars.ToString(), [.. starts], [.. ends]);
    }

    /// <summary>The character an escape at <paramref name="i"/> stands for and its length, or the character itself.</summary>
    private static (char Decoded, int Length) DecodeAt(string text, int i)
    {
        char c = text[i];
        if (c == '%' && Hex(text, i + 1, 2) is { } percent && percent < 0x80)
        {
            return ((char)percent, 3);
        }

        if (c == '\\' && i + 1 < text.Length)
        {
            if (text[i + 1] is 'u' or 'U' && Hex(text, i + 2, 4) is { } unicode)
            {
                return ((char)unicode, 6);
            }

            if (text[i + 1] is 'x' or 'X' && Hex(text, i + 2, 2) is { } hex)
            {
                return ((char)hex, 4);
            }
        }

        if (c == '&' && i + 3 < text.Length && text[i + 1] == '#')
        {
            bool isHex = text[i + 2] is 'x' or 'X';
            int digits = isHex ? i + 3 : i + 2;
            int end = text.IndexOf(';', digits);
            if (end > digits && end - digits <= 6
                && int.TryParse(text.AsSpan(digits, end - digits), isHex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int code)
                && code is > 0 and < 0x10000)
            {
                return ((char)code, end - i + 1);
            }
        }

        return (c, 1);
    }

    private static int? Hex(string text, int start, int count) =>
        start + count <= text.Length
        && int.TryParse(text.AsSpan(start, count), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value)
            ? value
            : null;

    /// <summary>Decoded text, and for each of its characters where it starts and ends in the original.</summary>
    private sealed record View(string Text, int[] Starts, int[] Ends);
}
