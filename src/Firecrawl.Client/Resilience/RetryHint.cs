using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Firecrawl.Client;

/// <summary>
/// Reads how long the server asked callers to wait. Firecrawl's 429 carries no header, only "retry after 60s" in the
/// message text; proxies and newer servers may send <c>Retry-After</c>, which wins when present.
/// </summary>
internal static partial class RetryHint
{
    /// <summary>Where a wait came from, for logs: the header, the message text, or the client's own back-off.</summary>
    public const string FromHeader = "retry-after-header";
    public const string FromMessageText = "message-hint";
    public const string FromBackoff = "backoff";

    public static TimeSpan? FromResponse(HttpResponseMessage response, TimeProvider timeProvider) =>
        FromResponse(response, timeProvider, out _);

    public static TimeSpan? FromResponse(HttpResponseMessage response, TimeProvider timeProvider, out string source)
    {
        source = FromHeader;
        if (response.Headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (header.Date is { } date)
            {
                TimeSpan wait = date - timeProvider.GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        source = FromMessageText;
        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return null;
        }

        // The gate, the retry predicate and the error mapping all ask; the body is decoded and searched once.
        if (response.Content is not BufferedBodyContent buffered)
        {
            return null;
        }

        if (!buffered.MessageHintRead)
        {
            buffered.MessageHint = buffered.Span.IsEmpty ? null : FromMessage(Encoding.UTF8.GetString(buffered.Span));
            buffered.MessageHintRead = true;
        }

        return buffered.MessageHint;
    }

    /// <summary>Finds "retry after 60s" (or "60 seconds") in a message.</summary>
    public static TimeSpan? FromMessage(string? message)
    {
        if (message is null)
        {
            return null;
        }

        Match match = HintPattern().Match(message);
        return match.Success && double.TryParse(match.Groups[1].ValueSpan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds)
            && seconds <= TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    [GeneratedRegex(@"retry after (\d{1,9}(?:\.\d{1,3})?) ?s(?:ec(?:ond)?s?)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex HintPattern();
}
