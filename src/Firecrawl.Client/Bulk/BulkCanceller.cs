namespace Firecrawl.Client;

/// <summary>
/// Cancels many jobs with bounded concurrency. Every call goes through the client's own single-job cancel, so each
/// shares the client's rate-limit gate: when one call hears a 429, all of them wait for the window to reopen. The ids
/// are read lazily, one at a time as a worker becomes free, so a list of 100,000 ids costs memory for the results, not
/// for a copy of the input; an id seen before is skipped.
/// </summary>
internal static class BulkCanceller
{
    /// <summary>
    /// How often one job is sent again after its call ended rate-limited: the gate then holds every worker back until the
    /// window reopens, so the job is not failed because of the limit, unless the server keeps refusing for this long.
    /// </summary>
    public const int MaxRateLimitRetries = 10;

    /// <summary>
    /// How many jobs are waited for at once (or <see cref="BulkCancelOptions.MaxConcurrency"/>, if more). A wait spends most
    /// of its time asleep between reads (five reads over six seconds for a job that has already settled), so it is the
    /// gate that paces the reads, not this bound: 8 waits at once kept a limit of 100 reads per 10 s a third idle. The
    /// bound only keeps a bulk cancel of a million jobs from holding a million timers at once.
    /// </summary>
    public const int MaxSettling = 64;

    /// <summary>
    /// Runs the bulk cancel. With <see cref="JobWaitUntil.Settled"/>, a stopped job's wait for it to settle runs beside the
    /// cancels, never in a cancel's place: the runaway jobs are all told to stop first, at full speed, and the waits
    /// (at most <see cref="MaxSettling"/> at once) trail behind, their status reads sharing the
    /// gate with the cancels.
    /// </summary>
    public static async Task<BulkCancelResult> RunAsync<TResult>(
        IEnumerable<string> ids,
        Func<string, CancellationToken, Task<TResult>> cancel,
        Func<string, CancellationToken, Task<JobSettlement>> settle,
        FirecrawlJobKind kind,
        BulkCancelOptions? options,
        ClientRuntime? runtime,
        CancellationToken cancellationToken,
        TimeProvider? clock = null)
        where TResult : CancelJobResult
    {
        ArgumentNullException.ThrowIfNull(ids);
        options ??= new BulkCancelOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxConcurrency, 1000, nameof(options));
        clock ??= runtime?.Clock ?? TimeProvider.System;

        var state = new State(ids.GetEnumerator(), options.Progress, runtime, runtime?.PartitionFor(kind.RateLimitBucket));
        using var settling = options.WaitUntil == JobWaitUntil.Settled ? new Settling(settle, Math.Max(options.MaxConcurrency, MaxSettling)) : null;
        TimeSpan longestWait = runtime?.LongestGateWait ?? TimeSpan.MaxValue;
        try
        {
            using var reporting = new CancellationTokenSource();
            Task ticker = options.Progress is null ? Task.CompletedTask : TickAsync(state, clock, reporting.Token);
            Task[] workers = new Task[options.MaxConcurrency];
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i] = WorkAsync(state, cancel, settling, longestWait, cancellationToken);
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
            if (settling is not null)
            {
                await settling.AllAsync().ConfigureAwait(false);
            }

            await reporting.CancelAsync().ConfigureAwait(false);
            await ticker.ConfigureAwait(false);
            return new BulkCancelResult(state.Results, cancellationToken.IsCancellationRequested);
        }
        finally
        {
            state.Source.Dispose();
        }
    }

    private static async Task WorkAsync<TResult>(
        State state, Func<string, CancellationToken, Task<TResult>> cancel, Settling? settling, TimeSpan longestWait, CancellationToken cancellationToken)
        where TResult : CancelJobResult
    {
        // Yield first, so that a synchronous cancel (a fake, a cached answer) cannot run every job on the caller's thread.
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested && state.Next() is { } id)
        {
            JobCancellation job = await CancelOneAsync(id, cancel, longestWait, cancellationToken).ConfigureAwait(false);
            if (settling is not null && job.Stopped)
            {
                settling.Start(job, state, cancellationToken);
            }
            else
            {
                state.Record(job);
            }
        }
    }

    private static async Task<JobCancellation> CancelOneAsync<TResult>(
        string id, Func<string, CancellationToken, Task<TResult>> cancel, TimeSpan longestWait, CancellationToken cancellationToken)
        where TResult : CancelJobResult
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                TResult result = await cancel(id, cancellationToken).ConfigureAwait(false);
                return new JobCancellation
                {
                    JobId = id,
                    Outcome = result.Outcome,
                    Message = result.Message,
                    ConfirmedByStatusRead = result.ConfirmedByStatusRead,
                };
            }
            catch (FirecrawlRateLimitException limited)
                when (attempt < MaxRateLimitRetries && !cancellationToken.IsCancellationRequested && !(limited.RetryAfter > longestWait))
            {
                // The gate now holds every worker back until the window reopens; this job goes again after it. A wait
                // longer than a call may wait would only be refused again at once, so that job fails with its RetryAfter.
            }
            catch (Exception error) when (error is FirecrawlException or ArgumentException or ObjectDisposedException
                || (error is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                return new JobCancellation { JobId = id, Error = error };
            }
        }
    }

    /// <summary>The waits for stopped jobs to settle: at most so many at once, each recorded when it ends.</summary>
    private sealed class Settling(Func<string, CancellationToken, Task<JobSettlement>> settle, int concurrency) : IDisposable
    {
        private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
        private readonly List<Task> _waits = [];

        public void Start(JobCancellation job, State state, CancellationToken cancellationToken)
        {
            state.Settling(+1);
            Task wait = SettleAsync(job, state, cancellationToken);
            lock (_waits)
            {
                _waits.Add(wait);
            }
        }

        public Task AllAsync()
        {
            lock (_waits)
            {
                return Task.WhenAll(_waits);
            }
        }

        public void Dispose() => _slots.Dispose();

        private async Task SettleAsync(JobCancellation job, State state, CancellationToken cancellationToken)
        {
            JobSettlement? settlement = null;
            try
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    settlement = await settle(job.JobId, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _slots.Release();
                }
            }
            catch (Exception error) when (error is ObjectDisposedException || (error is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // The job was stopped; only the wait for it was cut short, by the caller or the client's disposal.
            }

            state.Settling(-1);
            state.Record(job with { Settlement = settlement });
        }
    }

    private static async Task TickAsync(State state, TimeProvider clock, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), clock, stop).ConfigureAwait(false);
                state.Report(last: null);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The bulk cancel is over.
        }
    }

    /// <summary>The shared state of one bulk cancel: the input, the ids seen, the results and the counts.</summary>
    private sealed class State(IEnumerator<string> source, IProgress<BulkCancelProgress>? progress, ClientRuntime? runtime, FirecrawlGatePartition? partition)
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private OutcomeTally _tally;
        private int _settling;

        public IEnumerator<string> Source { get; } = source;

        public List<JobCancellation> Results { get; } = [];

        /// <summary>The next id not seen before, read from the input only now; null when the input is done.</summary>
        public string? Next()
        {
            lock (_seen)
            {
                while (Source.MoveNext())
                {
                    string id = Source.Current ?? string.Empty;
                    if (_seen.Add(id))
                    {
                        return id;
                    }
                }

                return null;
            }
        }

        /// <summary>Counts a job that was stopped and is being waited for, or one whose wait ended.</summary>
        public void Settling(int change) => Interlocked.Add(ref _settling, change);

        public void Record(JobCancellation job)
        {
            lock (Results)
            {
                Results.Add(job);
                _tally.Add(job);
            }

            Report(job);
        }

        public void Report(JobCancellation? last)
        {
            if (progress is null)
            {
                return;
            }

            BulkCancelProgress snapshot;
            lock (Results)
            {
                snapshot = new BulkCancelProgress(Results.Count, _tally.Cancelled, _tally.AlreadyCompleted, _tally.Failed, runtime is null || partition is null ? TimeSpan.Zero : runtime.PeekGateWait(partition), last)
                {
                    Settling = Volatile.Read(ref _settling),
                };
            }

            progress.Report(snapshot);
        }
    }
}
