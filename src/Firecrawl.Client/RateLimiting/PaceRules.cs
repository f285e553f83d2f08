namespace Firecrawl.Client;

/// <summary>What a gate knows of one rate limit. Times are durations on one monotonic clock, compared only to each other.</summary>
internal sealed class PaceState
{
    /// <summary>Until when the server said to hold every attempt (a 429's wait, padded).</summary>
    public TimeSpan ClosedUntil { get; set; } = TimeSpan.MinValue;

    /// <summary>Requests a window takes, learned from a 429; zero while unknown.</summary>
    public int Limit { get; set; }

    /// <summary>How long a window lasts, learned from a 429; zero while unknown.</summary>
    public TimeSpan Window { get; set; }

    /// <summary>The padding the client adds to the server's rounded waits, learned with the window.</summary>
    public TimeSpan Padding { get; set; }

    /// <summary>When the pace was last learned, to forget it once it may be stale.</summary>
    public TimeSpan LearnedAt { get; set; }

    /// <summary>When the current window started (its first attempt) and when, as far as this gate knows, it ends.</summary>
    public TimeSpan WindowStart { get; set; } = TimeSpan.MinValue;

    public TimeSpan WindowEnd { get; set; } = TimeSpan.MinValue;

    /// <summary>Attempts let through in the current window, and answers they got that were not 429.</summary>
    public int Permits { get; set; }

    public int Answered { get; set; }

    /// <summary>Whether a 429 already taught the pace in this window (its other 429s only lower the limit).</summary>
    public bool LearnedInWindow { get; set; }

    /// <summary>Attempts in flight while the limit is unknown, for <see cref="PaceSettings.MaxInFlightUntilLearned"/>.</summary>
    public int InFlight { get; set; }
}

/// <summary>The settings of the learned pace.</summary>
internal sealed record PaceSettings
{
    /// <summary>How long a window is taken to last before the server has said: long enough to cover Firecrawl's minute.</summary>
    public TimeSpan DefaultWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A learned pace older than this is forgotten, so a plan upgrade is noticed: the next 429 teaches it again.</summary>
    public TimeSpan LearnedLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many attempts may be in flight while the limit is unknown; 0 for no bound. Before the first 429 nothing says
    /// where the limit is, so every attempt in flight when the window fills earns a 429: a fleet bounds that number.
    /// </summary>
    public int MaxInFlightUntilLearned { get; init; }

    /// <summary>How soon an attempt held back by <see cref="MaxInFlightUntilLearned"/> asks again.</summary>
    public TimeSpan InFlightRecheck { get; init; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>
/// The learned pace, as rules over <see cref="PaceState"/>: pure, so a test drives them with exact times, and written
/// again in Lua for the shared gate (<c>Firecrawl.Client.Redis</c>). A 429 says more than a wait: "Consumed (req/min):
/// N" gives the limit (N - 1 for the first refusal), and the time from the window's first attempt to the reset it names
/// gives the window's length. Once both are known, a window lets the limit through and holds the rest until it reopens,
/// so steady windows draw no 429. Any 429 closes the gate and teaches again, so a lower limit (another user of the team)
/// is learned at once; a higher one (a plan upgrade) once the learned pace has aged out.
/// </summary>
internal static class PaceRules
{
    /// <summary><see cref="FirecrawlGateEntry.Tag"/> of an attempt counted in flight while the limit is unknown.</summary>
    public const int CountedInFlight = 1;

    public static FirecrawlGateEntry Enter(PaceState state, TimeSpan now, PaceSettings settings)
    {
        if (state.ClosedUntil > now)
        {
            return FirecrawlGateEntry.WaitFor(state.ClosedUntil - now);
        }

        if (state.Limit > 0 && now - state.LearnedAt > settings.LearnedLifetime)
        {
            state.Limit = 0;
            state.Window = TimeSpan.Zero;
        }

        bool paced = state.Limit > 0 && state.Window > TimeSpan.Zero;
        bool bounded = state.Limit == 0 && settings.MaxInFlightUntilLearned > 0;
        if (bounded && state.InFlight >= settings.MaxInFlightUntilLearned)
        {
            return FirecrawlGateEntry.WaitFor(settings.InFlightRecheck);
        }

        if (now >= state.WindowEnd)
        {
            state.WindowStart = now;
            state.WindowEnd = now + (paced ? state.Window + state.Padding : settings.DefaultWindow);
            state.Permits = 0;
            state.Answered = 0;
            state.LearnedInWindow = false;
        }
        else if (paced && state.Permits >= state.Limit)
        {
            return FirecrawlGateEntry.WaitFor(state.WindowEnd - now);
        }

        state.Permits++;
        if (bounded)
        {
            state.InFlight++;
            return new FirecrawlGateEntry { Tag = CountedInFlight };
        }

        return FirecrawlGateEntry.Go;
    }

    public static void Leave(PaceState state, TimeSpan now, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome)
    {
        if (entry.Tag == CountedInFlight && state.InFlight > 0)
        {
            state.InFlight--;
        }

        if (!outcome.RateLimited)
        {
            if (outcome.Answered)
            {
                state.Answered++;
            }

            return;
        }

        if (outcome.RetryAfter is { } wait && now + wait > state.ClosedUntil)
        {
            state.ClosedUntil = now + wait;
        }

        int? limit = outcome.Consumed is > 1 and int consumed ? consumed - 1 : null;
        if (state.LearnedInWindow)
        {
            // Another 429 of the same window, from an attempt already in flight: its count is the same or higher,
            // unless it arrived first from a later position; the lowest says the limit.
            if (limit < state.Limit)
            {
                state.Limit = limit.Value;
            }

            return;
        }

        // Without "Consumed", the answers counted since the window opened are the limit; with neither, a 429 says the
        // window is full but not how much it holds, and nothing is learned.
        limit ??= state.Answered > 0 ? state.Answered : null;
        if (outcome.NamedWait is not { } named || state.WindowStart == TimeSpan.MinValue || limit is null)
        {
            return;
        }

        // From the window's first attempt to the reset the server named is the window's length. The server names whole
        // seconds, so the length is rounded to them: Firecrawl's windows are a whole number of seconds.
        state.Window = TimeSpan.FromSeconds(Math.Max(1, Math.Round((now - state.WindowStart + named).TotalSeconds, MidpointRounding.AwayFromZero)));
        state.Padding = outcome.RetryAfter is { } padded && padded > named ? padded - named : TimeSpan.Zero;
        state.Limit = limit.Value;
        state.LearnedAt = now;
        state.LearnedInWindow = true;

        // The window is over for this gate: the next attempt after the gate reopens starts the next one.
        state.WindowEnd = now;
    }

    /// <summary>The wait a new attempt would meet now.</summary>
    public static TimeSpan Peek(PaceState state, TimeSpan now)
    {
        if (state.ClosedUntil > now)
        {
            return state.ClosedUntil - now;
        }

        bool paced = state.Limit > 0 && state.Window > TimeSpan.Zero;
        return paced && now < state.WindowEnd && state.Permits >= state.Limit ? state.WindowEnd - now : TimeSpan.Zero;
    }
}
