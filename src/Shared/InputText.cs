using System.Globalization;

// One source file, compiled into each package in that package's namespace, so that every package quotes input the same
// way without one reaching into another's internals.
#if FIRECRAWL_REDIS
namespace Firecrawl.Client.Redis;
#elif FIRECRAWL_TESTING
namespace Firecrawl.Client.Testing;
#else
namespace Firecrawl.Client;
#endif

/// <summary>
/// Quotes a value someone gave (an id, a path, a token of a configuration string) in a message, bounded: a value too
/// long to be what it should be is shown as its start and its length, so one bad line of a file cannot turn a
/// message, a log line or a terminal into a megabyte of echo.
/// </summary>
internal static class InputText
{
    /// <summary>Values up to this many characters are quoted whole.</summary>
    public const int MaxQuoted = 64;

    /// <summary>
    /// <c>'value'</c>, or <c>'start…' (N characters)</c> when longer than <paramref name="max"/>. Control characters are
    /// shown as <c>?</c>, so a quote cannot break a log line or move a terminal's cursor.
    /// </summary>
    public static string Quote(string? value, int max = MaxQuoted)
    {
        if (value is null)
        {
            return "(none)";
        }

        if (value.Length <= max)
        {
            return "'" + Printable(value) + "'";
        }

        int cut = char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        return string.Create(CultureInfo.InvariantCulture, $"'{Printable(value[..cut])}…' ({value.Length:N0} characters)");
    }

    /// <summary>The text with control characters and lone UTF-16 surrogates shown as <c>?</c>.</summary>
    private static string Printable(string text)
    {
        ReadOnlySpan<char> span = text.AsSpan();
        if (!span.ContainsAnyInRange('\u0000', '\u001F') && !span.ContainsAnyInRange('\u007F', '\u009F') && !span.ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                bool pairedHigh = char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]);
                bool pairedLow = char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(source[i - 1]);
                span[i] = char.IsControl(c) || (char.IsSurrogate(c) && !pairedHigh && !pairedLow) ? '?' : c;
            }
        });
    }
}
