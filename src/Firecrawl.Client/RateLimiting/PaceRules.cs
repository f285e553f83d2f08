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

    /// <summary>
    /// Whether a pace is known. <see cref="Limit"/> and <see cref="Window"/> are learned together (a window is at least a
    /// second, a limit at least one) and forgotten together, so the limit alone says it.
    /// </summary>
    public bool Paced => Limit > 0;

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

    /// <summary>Which window this is, counted from one: the tags of the attempts it lets through carry it.</summary>
    public int WindowId { get; set; }

    /// <summary>Attempts in flight while the limit is unknown, for <see cref="PaceSettings.MaxInFlightUntilLearned"/>.</summary>
    public int InFlight { get; set; }
}

/// <summary>The settings of the learned pace.</summary>
internal sealed record PaceSettings
{
    /// <summary>How long a window is taken to last before the server has said: long enough to cover Firecrawl's minute.</summary>
    public TimeSpan DefaultWindow { get; init; } = PaceConstants.DefaultWindow;

    /// <summary>A learned pace older than this is forgotten, so a plan upgrade is noticed: the next 429 teaches it again.</summary>
    public TimeSpan LearnedLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many attempts may be in flight while the limit is unknown; 0 for no bound. Before the first 429 nothing says
    /// where the limit is, so every attempt in flight when the window fills earns a 429: a fleet bounds that number.
    /// </summary>
    public int MaxInFlightUntilLearned { get; init; }

    /// <summary>How soon an attempt held back by <see cref="MaxInFlightUntilLearned"/> asks again.</summary>
    public TimeSpan InFlightRecheck { get; init; } = PaceConstants.InFlightRecheck;
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
    /// <summary>
    /// The low bit of <see cref="FirecrawlGateEntry.Tag"/>: the attempt is counted in flight while the limit is unknown.
    /// The bits above it say which window let it through, so an answer that comes back in a later window is not taken
    /// for that window's.
    /// </summary>
    public const int CountedInFlight = 1;

    /// <summary>How long after a window's first answer it is held, beyond its learned length (<see cref="PaceConstants.AnsweredMargin"/>).</summary>
    public static readonly TimeSpan AnsweredMargin = PaceConstants.AnsweredMargin;

    /// <summary>The tag of an attempt let through in window <paramref name="window"/>.</summary>
    public static int Tag(int window, bool counted) => ((window & 0x3FFFFFFF) << 1) | (counted ? CountedInFlight : 0);

    public static FirecrawlGateEntry Enter(PaceState state, TimeSpan now, PaceSettings settings)
    {
        if (state.ClosedUntil > now)
        {
            return FirecrawlGateEntry.WaitFor(state.ClosedUntil - now);
        }

        if (state.Paced && now - state.LearnedAt > settings.LearnedLifetime)
        {
            state.Limit = 0;
            state.Window = TimeSpan.Zero;
        }

        bool paced = state.Paced;
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
            state.WindowId = (state.WindowId + 1) & 0x3FFFFFFF;
        }
        else if (paced && state.Permits >= state.Limit)
        {
            return FirecrawlGateEntry.WaitFor(state.WindowEnd - now);
        }

        state.Permits++;
        if (bounded)
        {
            state.InFlight++;
        }

        return new FirecrawlGateEntry { Tag = Tag(state.WindowId, bounded) };
    }

    public static void Leave(PaceState state, TimeSpan now, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome)
    {
        if ((entry.Tag & CountedInFlight) != 0 && state.InFlight > 0)
        {
            state.InFlight--;
        }

        bool thisWindow = entry.Tag >> 1 == state.WindowId && now < state.WindowEnd;
        if (!outcome.RateLimited)
        {
            if (outcome.Answered && thisWindow && ++state.Answered == 1 && state.Paced)
            {
                // The server's window opened when this window's first request arrived, which is after it was let through
                // and before its answer came back: timing the window from the answer can only end it late, never early.
                state.WindowEnd = now + state.Window + AnsweredMargin;
            }

            return;
        }

        if (outcome.RetryAfter is { } wait && now + wait > state.ClosedUntil)
        {
            state.ClosedUntil = now + wait;
        }

        int? limit = outcome.Consumed is > 1 and int consumed ? consumed - 1 : null;
        if (!thisWindow)
        {
            // A 429 of a window that already taught (its first 429 ended it, below), or of an attempt an earlier window let
            // through: its count can only lower the limit, since the lowest "Consumed" of a window says where it is.
            if (limit < state.Limit)
            {
                state.Limit = limit.Value;
            }

            return;
        }

        // The first 429 of this window ends it for this gate: the next attempt after the gate reopens starts another, and
        // the window's later 429s (attempts that were in flight) are no longer "this window's".
        state.WindowEnd = now;

        // Without "Consumed", the answers counted since the window opened are the limit; with neither, a 429 says the
        // window is full but not how much it holds, and nothing is learned.
        limit ??= state.Answered > 0 ? state.Answered : null;
        if (outcome.NamedWait is not { } named || limit is null)
        {
            return;
        }

        // From the window's first attempt to the reset the server named is the window's length. The server names whole
        // seconds, so the length is rounded to them: Firecrawl's windows are a whole number of seconds. A team's window
        // does not change length, and a shorter reading only means the server's window started before this gate's (another
        // user of the team, or a 429 that came back late), so the length is never shortened until the pace is forgotten.
        TimeSpan window = TimeSpan.FromSeconds(Math.Max(1, Math.Round((now - state.WindowStart + named).TotalSeconds, MidpointRounding.AwayFromZero)));
        state.Window = window > state.Window ? window : state.Window;
        state.Padding = outcome.RetryAfter is { } padded && padded > named ? padded - named : TimeSpan.Zero;
        // Likewise a limit is only ever lowered by a 429 (a refusal that came back late counts more than the window held);
        // a higher one (a plan upgrade) is found once the pace has aged out.
        state.Limit = state.Paced ? Math.Min(state.Limit, limit.Value) : limit.Value;
        state.LearnedAt = now;
    }

    /// <summary>The wait a new attempt would meet now.</summary>
    public static TimeSpan Peek(PaceState state, TimeSpan now)
    {
        if (state.ClosedUntil > now)
        {
            return state.ClosedUntil - now;
        }

        return state.Paced && now < state.WindowEnd && state.Permits >= state.Limit ? state.WindowEnd - now : TimeSpan.Zero;
    }
}
