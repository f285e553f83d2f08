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

    /// <summary>
    /// The longest wait a hint is taken to name. No Firecrawl limiter window is longer than a minute, so a longer hint
    /// cannot be real; an hour still keeps every caller off a server that keeps saying so.
    /// </summary>
    public static readonly TimeSpan LongestNamedWait = TimeSpan.FromHours(1);

    /// <summary>The least that is added to a wait read from the message text.</summary>
    public static readonly TimeSpan MessagePadding = TimeSpan.FromMilliseconds(500);

    /// <summary>The most jitter added on top of <see cref="MessagePadding"/>.</summary>
    public static readonly TimeSpan MessageJitter = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The wait a response names, read once per attempt; null when it names none. <paramref name="random"/> in [0, 1)
    /// places a text hint's jitter.
    /// </summary>
    public static ServerHint? Read(HttpResponseMessage response, ReadOnlySpan<byte> body, TimeProvider time, double random)
    {
        if (response.Headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta)
            {
                return ServerHint.Exact(Bounded(delta), FromHeader);
            }

            if (header.Date is { } date)
            {
                // The one place wall-clock time is read: an HTTP date can only become a wait against "now".
                return ServerHint.Exact(Bounded(date - time.GetUtcNow()), FromHeader);
            }
        }

        if (response.StatusCode != HttpStatusCode.TooManyRequests || body.IsEmpty)
        {
            return null;
        }

        return FromMessage(Encoding.UTF8.GetString(body)) is { } text && Bounded(text) is var named
            ? new ServerHint(named, Pad(named, random), FromMessageText)
            : null;
    }

    /// <summary>
    /// Firecrawl builds its text hint as <c>Math.round(msBeforeNext / 1000) || 1</c> seconds, so its window can reopen
    /// up to half a second after the time it names. Waiting the named time plus half a second, plus up to a quarter
    /// second of jitter so that many clients do not return at once, lands after the reset.
    /// </summary>
    public static TimeSpan Pad(TimeSpan named, double random) =>
        named + MessagePadding + TimeSpan.FromTicks((long)(MessageJitter.Ticks * random));

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

    /// <summary>"Consumed (req/min): N" in Firecrawl's 429: how many requests its window has taken, refused ones included.</summary>
    public static int? Consumed(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        Match match = ConsumedPattern().Match(Encoding.UTF8.GetString(body));
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int consumed) ? consumed : null;
    }

    /// <summary>A named wait as the client takes it: never negative, never more than <see cref="LongestNamedWait"/>.</summary>
    private static TimeSpan Bounded(TimeSpan wait) => TimeSpan.FromTicks(Math.Clamp(wait.Ticks, 0, LongestNamedWait.Ticks));

    // At most nine digits: 999,999,999 s fits a TimeSpan, so parsing cannot overflow.
    [GeneratedRegex(@"retry after (\d{1,9}(?:\.\d{1,3})?) ?s(?:ec(?:ond)?s?)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex HintPattern();

    [GeneratedRegex(@"Consumed \(req/min\): (\d{1,9})\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ConsumedPattern();
}
