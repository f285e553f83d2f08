namespace Firecrawl.Client;

/// <summary>
/// Where a client's attempts wait for Firecrawl's rate limit, which is per team, so that one 429 holds back every call
/// that would earn the same answer. Before each attempt the client asks to enter (<see cref="EnterAsync"/>) and waits
/// as long as it is told; after it, it says how the attempt ended (<see cref="LeaveAsync"/>). The default gate lives in
/// the client's process; <c>Firecrawl.Client.Redis</c> shares one between processes.
/// </summary>
/// <remarks>
/// A gate only says how long to wait. What a call may wait (<see cref="FirecrawlClientOptions.MaxRetryAfter"/>, its
/// time left) and the padding of the server's rounded hints stay the client's rules, so a gate of your own cannot make a
/// call wait longer than its options allow. A gate speaks in durations, never in timestamps, so two machines sharing
/// one never compare clocks. It is an abstract class rather than an interface so that members can be added later, with
/// defaults, without breaking gates written before.
/// </remarks>
public abstract class FirecrawlRateLimitGate
{
    /// <summary>Creates a gate.</summary>
    protected FirecrawlRateLimitGate()
    {
    }

    /// <summary>
    /// Asks to send one attempt now. A zero <see cref="FirecrawlGateEntry.Wait"/> means it may go, and it counts against
    /// the pace; a positive one means it must not go yet and should ask again after that long. Never waits itself.
    /// </summary>
    /// <param name="partition">Which rate limit the attempt falls under.</param>
    /// <param name="cancellationToken">Ends the asking, not a wait.</param>
    /// <returns>The entry, to hand back to <see cref="LeaveAsync"/> once the attempt has ended, if it entered.</returns>
    public abstract ValueTask<FirecrawlGateEntry> EnterAsync(FirecrawlGatePartition partition, CancellationToken cancellationToken);

    /// <summary>
    /// Says how an attempt that entered ended: the server answered, answered 429 (with what it said), or did not answer.
    /// Called exactly once for each entry whose wait was zero.
    /// </summary>
    /// <param name="partition">The partition it entered.</param>
    /// <param name="entry">The entry <see cref="EnterAsync"/> gave.</param>
    /// <param name="outcome">How the attempt ended.</param>
    /// <param name="cancellationToken">Ends the reporting.</param>
    /// <returns>A task that completes when the gate has taken note.</returns>
    public abstract ValueTask LeaveAsync(FirecrawlGatePartition partition, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome, CancellationToken cancellationToken);

    /// <summary>
    /// The wait a new attempt would meet now, from what this gate already knows, without any I/O: progress displays
    /// read it, and the client asks it before a retry. Zero when nothing is known to hold attempts back.
    /// </summary>
    /// <param name="partition">Which rate limit.</param>
    /// <returns>The wait as this gate last knew it.</returns>
    public abstract TimeSpan PeekWait(FirecrawlGatePartition partition);

    /// <summary>
    /// The gate a client has when its options name none: one per client, in its process. It closes for the wait a 429
    /// names, and learns the pace from it (how many requests a window takes and how long a window lasts) so that later
    /// windows are filled to the limit and held there, drawing no 429.
    /// </summary>
    /// <param name="timeProvider">The clock of its waits; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>A new gate, shared by whatever clients are given it.</returns>
    public static FirecrawlRateLimitGate CreateInProcess(TimeProvider? timeProvider = null) =>
        new InProcessGate(timeProvider ?? TimeProvider.System, new PaceSettings());

    /// <summary>
    /// An in-process gate with the pace settings of a shared gate, for a gate that stands in for one (the Redis gate when
    /// Redis cannot be used) and must pace as it would, within this process.
    /// </summary>
    /// <param name="timeProvider">The clock of its waits; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="maxInFlightUntilLearned">Attempts kept in flight before a 429 has taught the limit; 0 for no bound.</param>
    /// <param name="learnedPaceLifetime">How long a learned pace is kept before it is learned again.</param>
    /// <returns>A new gate, shared by whatever clients are given it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The bound is negative, or the lifetime not positive.</exception>
    public static FirecrawlRateLimitGate CreateStandIn(TimeProvider? timeProvider, int maxInFlightUntilLearned, TimeSpan learnedPaceLifetime)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxInFlightUntilLearned);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(learnedPaceLifetime, TimeSpan.Zero);
        return new InProcessGate(
            timeProvider ?? TimeProvider.System,
            new PaceSettings { MaxInFlightUntilLearned = maxInFlightUntilLearned, LearnedLifetime = learnedPaceLifetime });
    }
}
