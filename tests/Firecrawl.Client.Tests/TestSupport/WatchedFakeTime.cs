using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that remembers when each timer it hands out is due. A test waits until the code
/// under test has started the wait it expects (a back-off, the rate-limit gate) before it moves the clock, instead of
/// sleeping some real milliseconds and hoping the call got there first: on a loaded machine it may not have, and a
/// clock moved too early leaves the call waiting for fake time that never comes.
/// </summary>
internal sealed class WatchedFakeTime : FakeTimeProvider
{
    private readonly List<TimeSpan> _due = [];

    public WatchedFakeTime()
    {
    }

    public WatchedFakeTime(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>Fake time since <see cref="FakeTimeProvider.Start"/>.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Start;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Watched(this, base.CreateTimer(callback, state, dueTime, period));
        Record(dueTime);
        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers are due exactly <paramref name="sinceStart"/> after the start.</summary>
    public async Task WaitForTimerDueAtAsync(TimeSpan sinceStart, int count = 1)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            lock (_due)
            {
                if (_due.Count(due => due == sinceStart) >= count)
                {
                    return;
                }
            }

            Assert.False(guard.IsCancellationRequested,
                $"{count} timer(s) due at {sinceStart} did not appear within 20 s of real time; due: {string.Join(", ", Snapshot())}");
            await Task.Delay(1);
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> through the waits it is expected to start, in order: each time, once the code has
    /// started a wait due at that many seconds from the start, the clock moves exactly there and no further, so what the
    /// call does when the wait ends happens at that time, not one step later.
    /// </summary>
    public async Task<T> RunThroughAsync<T>(Task<T> call, params double[] waitsDueAtSeconds)
    {
        foreach (double due in waitsDueAtSeconds)
        {
            TimeSpan at = TimeSpan.FromSeconds(due);
            await WaitForTimerDueAtAsync(at);
            Advance(at - Elapsed);
        }

        return await call.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private void Record(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_due)
            {
                _due.Add(Elapsed + dueTime);
            }
        }
    }

    private TimeSpan[] Snapshot()
    {
        lock (_due)
        {
            return [.. _due];
        }
    }

    /// <summary>Sees <see cref="ITimer.Change"/> too: a <see cref="CancellationTokenSource"/> sets its due time that way.</summary>
    private sealed class Watched(WatchedFakeTime owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Record(dueTime);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
