namespace Firecrawl.Client;

/// <summary>How one job of a bulk cancel ended: an outcome, or the error that kept it from being stopped.</summary>
public sealed record JobCancellation
{
    /// <summary>The job id as it was given.</summary>
    public required string JobId { get; init; }

    /// <summary>Cancelled or already completed; <see langword="null"/> when the job could not be stopped.</summary>
    public CancelOutcome? Outcome { get; init; }

    /// <summary>The server's own words on success, when it sent any.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// Why the job could not be stopped: a <see cref="FirecrawlException"/> (its subclasses say which), an
    /// <see cref="ArgumentException"/> for an id that is not one, or an <see cref="OperationCanceledException"/> when
    /// the caller stopped the bulk cancel while this job's call was in flight.
    /// </summary>
    public Exception? Error { get; init; }

    /// <summary>Whether the outcome came from a status read after an ambiguous failure (<see cref="CancelJobResult.ConfirmedByStatusRead"/>).</summary>
    public bool ConfirmedByStatusRead { get; init; }

    /// <summary>How the job settled, when the bulk cancel waited for that; <see langword="null"/> otherwise.</summary>
    public JobSettlement? Settlement { get; init; }

    /// <summary>Whether the job is no longer running: cancelled now or already completed.</summary>
    public bool Stopped => Outcome is not null;
}
