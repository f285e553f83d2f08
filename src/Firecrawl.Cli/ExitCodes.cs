namespace Firecrawl.Cli;

/// <summary>The command's exit codes; scripts switch on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>Cancelled, or already completed; the output says which.</summary>
    public const int Success = 0;

    /// <summary>The command line or the id was wrong (including a 400 from the server).</summary>
    public const int Usage = 2;

    /// <summary>No such job (404).</summary>
    public const int NotFound = 3;

    /// <summary>The key was refused (401) or the job belongs to another team (403).</summary>
    public const int Unauthorized = 4;

    /// <summary>Rate limited (429); the output says when to retry.</summary>
    public const int RateLimited = 5;

    /// <summary>The server, the network or a time limit failed.</summary>
    public const int Failure = 6;

    /// <summary>A bulk cancel ended with at least one job not stopped; the output names each one.</summary>
    public const int SomeJobsFailed = 7;

    /// <summary>With <c>--wait</c>: every job stopped, but at least one did not settle within <c>--wait-timeout</c>.</summary>
    public const int NotSettled = 8;

    /// <summary>Interrupted with Ctrl+C.</summary>
    public const int Interrupted = 130;
}
