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

    /// <summary>The wait a response names, read once per attempt; null when it names none.</summary>
    public static ServerHint? Read(HttpResponseMessage response, ReadOnlySpan<byte> body, TimeProvider time)
    {
        if (response.Headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta)
            {
                return new ServerHint(NotNegative(delta), FromHeader);
            }

            if (header.Date is { } date)
            {
                // The one place wall-clock time is read: an HTTP date can only become a wait against "now".
                return new ServerHint(NotNegative(date - time.GetUtcNow()), FromHeader);
            }
        }

        if (response.StatusCode != HttpStatusCode.TooManyRequests || body.IsEmpty)
        {
            return null;
        }

        return FromMessage(Encoding.UTF8.GetString(body)) is { } wait ? new ServerHint(wait, FromMessageText) : null;
    }

    /// <summary>Finds "retry after 60s" (or "60 seconds") in a message.</summary>
    public static TimeSpan? FromMessage(string? message)
    {
        if (message is null)
        {
            return null;
        }

        Match match = HintPattern().Match(message);
        return match.Success
            ? TimeSpan.FromSeconds(double.Parse(match.Groups[1].ValueSpan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture))
            : null;
    }

    private static TimeSpan NotNegative(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    // At most nine digits: 999,999,999 s fits a TimeSpan, so parsing cannot overflow.
    [GeneratedRegex(@"retry after (\d{1,9}(?:\.\d{1,3})?) ?s(?:ec(?:ond)?s?)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex HintPattern();
}
