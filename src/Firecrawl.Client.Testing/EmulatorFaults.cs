using System.Collections.Concurrent;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The fault script of an emulator. Faults queued for a job id apply, in order, to the next requests whose path ends
/// in that id; faults queued globally apply to the next requests of any kind. A job's own queue is used first, then
/// (through the control API) the queue of the request's route, then the global one.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly ConcurrentQueue<EmulatorFault> _global = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<EmulatorFault>> _byJob = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<EmulatorFault>> _byRoute = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private long _rateLimitedUntilTicks;
    private int _rateLimitHintSeconds;
    private int _blanketRefusals;

    internal EmulatorFaults(TimeProvider time) => _time = time;

    /// <summary>Queues faults for the next requests, whatever their route: <c>Enqueue(Status(503), Status(503))</c>.</summary>
    /// <param name="faults">The faults, one per request, in order.</param>
    public void Enqueue(params EmulatorFault[] faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        foreach (EmulatorFault fault in faults)
        {
            _global.Enqueue(fault ?? throw new ArgumentException("A fault is null.", nameof(faults)));
        }
    }

    /// <summary>Queues faults for the next requests about one job.</summary>
    /// <param name="jobId">The job id, as it appears in the request path.</param>
    /// <param name="faults">The faults, one per request, in order.</param>
    public void EnqueueForJob(string jobId, params EmulatorFault[] faults)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(faults);
        ConcurrentQueue<EmulatorFault> queue = _byJob.GetOrAdd(jobId, static _ => new ConcurrentQueue<EmulatorFault>());
        foreach (EmulatorFault fault in faults)
        {
            queue.Enqueue(fault ?? throw new ArgumentException("A fault is null.", nameof(faults)));
        }
    }

    /// <summary>Queues faults for the next requests that reach one route (by its control-API name), whatever their job.</summary>
    internal void EnqueueForRoute(string route, IEnumerable<EmulatorFault> faults)
    {
        ConcurrentQueue<EmulatorFault> queue = _byRoute.GetOrAdd(route, static _ => new ConcurrentQueue<EmulatorFault>());
        foreach (EmulatorFault fault in faults)
        {
            queue.Enqueue(fault);
        }
    }

    /// <summary>How many faults are queued in all, for the control API.</summary>
    internal int Count => _global.Count + _byJob.Values.Sum(static q => q.Count) + _byRoute.Values.Sum(static q => q.Count);

    /// <summary>
    /// Answers every request with Firecrawl's real 429 (the wait only in the message text) until
    /// <paramref name="duration"/> has passed: a whole team far over a large limit. Each 429 names a consumed count from
    /// 101 up, so a client that learns its pace from the count learns a large limit, not one that slows the test.
    /// </summary>
    /// <param name="duration">How long from now every request is refused.</param>
    /// <param name="retryAfterSeconds">The wait the message names.</param>
    public void RateLimitEverythingFor(TimeSpan duration, int retryAfterSeconds)
    {
        Volatile.Write(ref _rateLimitHintSeconds, retryAfterSeconds);
        Volatile.Write(ref _rateLimitedUntilTicks, _time.GetUtcNow().UtcTicks + duration.Ticks);
    }

    /// <summary>Drops every queued fault and any blanket rate limit.</summary>
    public void Clear()
    {
        _global.Clear();
        _byJob.Clear();
        _byRoute.Clear();
        Volatile.Write(ref _rateLimitedUntilTicks, 0);
    }

    internal EmulatorFault? Next(EmulatorRoute route)
    {
        string? jobId = route.JobId;
        if (_time.GetUtcNow().UtcTicks < Volatile.Read(ref _rateLimitedUntilTicks))
        {
            return EmulatorFault.RateLimited(Volatile.Read(ref _rateLimitHintSeconds), consumed: 100 + Interlocked.Increment(ref _blanketRefusals));
        }

        if (jobId is not null && _byJob.TryGetValue(jobId, out ConcurrentQueue<EmulatorFault>? queue) && queue.TryDequeue(out EmulatorFault? own))
        {
            return own;
        }

        if (route.Name is { } name && _byRoute.TryGetValue(name, out ConcurrentQueue<EmulatorFault>? routeQueue) && routeQueue.TryDequeue(out EmulatorFault? routed))
        {
            return routed;
        }

        return _global.TryDequeue(out EmulatorFault? fault) ? fault : null;
    }
}
