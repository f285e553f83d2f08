using System.Collections.Concurrent;
using System.Globalization;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The server's limiter: per team and per mode (its bucket: <c>crawl</c> for crawl and batch-scrape creates,
/// <c>crawlStatus</c> for their cancels and status reads, <c>extract</c> and <c>extractStatus</c> for agent jobs), a fixed
/// window from the team's first request in it, refused requests counted, and the wait named as
/// <c>Math.round(msBeforeNext / 1000) || 1</c> seconds. Each bucket has its own window, so a flood of agent cancels
/// leaves crawl cancels their room.
/// </summary>
internal sealed class RateLimiter(FirecrawlEmulatorOptions options)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>The 429 for this request, or <see langword="null"/> when the team's bucket has room.</summary>
    public EmulatorAnswer? Check(string team, EmulatorRoute route)
    {
        if ((route.IsCreate ? options.CreateRateLimitPerWindow : options.RateLimitPerWindow) is not { } limit)
        {
            return null;
        }

        DateTimeOffset now = options.TimeProvider.GetUtcNow();
        Window window = _windows.GetOrAdd(route.Bucket + ":" + team, static (_, start) => new Window(start), now);
        lock (window)
        {
            if (now >= window.Start + options.RateLimitWindow)
            {
                window.Start = now;
                window.Count = 0;
            }

            window.Count++;
            if (window.Count <= limit)
            {
                return null;
            }

            TimeSpan beforeNext = window.Start + options.RateLimitWindow - now;
            return RateLimitedAnswer(window.Count, beforeNext, now);
        }
    }

    /// <summary>Forgets every window, as a restarted server's Redis would.</summary>
    public void Clear() => _windows.Clear();

    /// <summary>The server's 429 body, byte for byte.</summary>
    public static EmulatorAnswer RateLimitedAnswer(int consumed, TimeSpan beforeNext, DateTimeOffset now)
    {
        long seconds = (long)Math.Round(beforeNext.TotalMilliseconds / 1000, MidpointRounding.AwayFromZero);
        string resets = Express.DateString(now + beforeNext);
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"Rate limit exceeded. Consumed (req/min): {consumed}, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after {(seconds == 0 ? 1 : seconds)}s, resets at {resets}");
        return new EmulatorAnswer(429, ErrorBodies.Of(text, success: false));
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Count { get; set; }
    }
}
