// Compiled into each package in that package's namespace (as Shared/InputText.cs is), so that an assembly that sees
// both packages' internals never meets two types of one name.
#if FIRECRAWL_REDIS
namespace Firecrawl.Client.Redis;
#else
namespace Firecrawl.Client;
#endif

/// <summary>
/// The learned pace's constants, written once and compiled into both gates: the in-process rules
/// (<c>PaceRules</c>, <c>PaceSettings</c>) read them as durations, and the Redis gate passes them to its Lua scripts
/// as milliseconds, so the two cannot drift apart.
/// </summary>
internal static class PaceConstants
{
    /// <summary>How long a window is taken to last before the server has said: long enough to cover Firecrawl's minute.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long after a window's first answer it is held, beyond its learned length. The server's window opened before
    /// that answer came back, and the learned length is never short, so a small margin is enough.
    /// </summary>
    public static readonly TimeSpan AnsweredMargin = TimeSpan.FromMilliseconds(100);

    /// <summary>How soon an attempt held back by the in-flight bound (before the limit is learned) asks again.</summary>
    public static readonly TimeSpan InFlightRecheck = TimeSpan.FromMilliseconds(50);
}
