namespace Firecrawl.Client;

/// <summary>
/// The gate of one process, on the client's monotonic clock (<see cref="TimeProvider.GetTimestamp"/>, so no wall-clock
/// step can lock or release it), with the learned pace of <see cref="PaceRules"/>.
/// </summary>
internal sealed class InProcessGate(TimeProvider time, PaceSettings settings) : FirecrawlRateLimitGate
{
    private readonly object _sync = new();

    /// <summary>Its pace settings, for tests of what a gate standing in for a shared one was given.</summary>
    internal PaceSettings Settings => settings;
    private readonly long _origin = time.GetTimestamp();
    private readonly Dictionary<FirecrawlGatePartition, PaceState> _partitions = [];

    // The clock is read before the lock is taken, never under it: a fake clock runs the continuations of the waits it
    // ends while holding a lock of its own, and a continuation that entered this lock would then wait for that one.
    public override ValueTask<FirecrawlGateEntry> EnterAsync(FirecrawlGatePartition partition, CancellationToken cancellationToken)
    {
        TimeSpan now = Now();
        lock (_sync)
        {
            return new ValueTask<FirecrawlGateEntry>(PaceRules.Enter(State(partition), now, settings));
        }
    }

    public override ValueTask LeaveAsync(FirecrawlGatePartition partition, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome, CancellationToken cancellationToken)
    {
        TimeSpan now = Now();
        lock (_sync)
        {
            PaceRules.Leave(State(partition), now, entry, outcome);
        }

        return default;
    }

    public override TimeSpan PeekWait(FirecrawlGatePartition partition)
    {
        TimeSpan now = Now();
        lock (_sync)
        {
            return _partitions.TryGetValue(partition, out PaceState? state) ? PaceRules.Peek(state, now) : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Monotonic time as the duration since this gate was made: the rules only ever subtract two of them. Measured from an
    /// origin rather than converted whole, because a timestamp as a double loses the ticks that tell "now" from "open".
    /// </summary>
    private TimeSpan Now() => time.GetElapsedTime(_origin);

    /// <summary>The state of a partition, under the lock. A client asks for the same partition object on every attempt, so
    /// the last one found is kept aside and the dictionary is searched only when another comes.</summary>
    private PaceState State(FirecrawlGatePartition partition)
    {
        if (ReferenceEquals(partition, _lastPartition))
        {
            return _lastState!;
        }

        if (!_partitions.TryGetValue(partition, out PaceState? state))
        {
            state = new PaceState();
            _partitions[partition] = state;
        }

        _lastPartition = partition;
        _lastState = state;
        return state;
    }

    private FirecrawlGatePartition? _lastPartition;
    private PaceState? _lastState;
}
