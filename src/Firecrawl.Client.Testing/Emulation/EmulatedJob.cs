namespace Firecrawl.Client.Testing;

/// <summary>
/// One job the emulator holds: what the server keeps about it, its state, and the work it had in flight when it was
/// cancelled. Changed under a lock on the job, so a cancel, a status read and a control call never interleave.
/// </summary>
internal sealed class EmulatedJob(string id, string team, FirecrawlJobKind kind, string url, int total, DateTimeOffset createdAt, string? optionsJson)
{
    public string Id { get; } = id;

    public string Team { get; } = team;

    public FirecrawlJobKind Kind { get; } = kind;

    public string Url { get; } = url;

    /// <summary>Pages known: completed, in flight and queued. A crawl whose kickoff has not run knows none.</summary>
    public int Total { get; set; } = total;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public string? OptionsJson { get; } = optionsJson;

    public EmulatedJobStatus Status { get; set; }

    /// <summary>Pages completed before any cancel; for an agent job, which counts no pages, the credits its steps used.</summary>
    public int Completed { get; set; }

    /// <summary>
    /// Work being done when a cancel comes (pages being scraped, an agent's running step): it runs to its end after the
    /// cancel, one piece after another over <see cref="DrainTime"/>, and is counted and billed, as on the server.
    /// </summary>
    public int InFlight { get; set; }

    /// <summary>How long the work in flight takes to finish after a cancel.</summary>
    public TimeSpan DrainTime { get; set; }

    /// <summary>When the job was cancelled; <see langword="null"/> while it was not.</summary>
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>A job that reached an end by itself (its pages scraped or failed): the newer cloud refuses to cancel it.</summary>
    public bool HasFinished => Status is EmulatedJobStatus.Completed or EmulatedJobStatus.Failed;

    /// <summary>How much of the work in flight has finished by <paramref name="now"/>: piece i of n at <c>i / n</c> of the drain time.</summary>
    public int Drained(DateTimeOffset now)
    {
        if (CancelledAt is not { } cancelled || InFlight == 0)
        {
            return 0;
        }

        if (DrainTime <= TimeSpan.Zero)
        {
            return InFlight;
        }

        double done = (now - cancelled) / DrainTime * InFlight;
        return Math.Clamp((int)Math.Floor(done + 1e-9), 0, InFlight);
    }
}
