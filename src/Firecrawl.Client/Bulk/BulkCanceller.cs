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

    public static async Task<BulkCancelResult> RunAsync<TResult>(
        IEnumerable<string> ids,
        Func<string, JobWaitUntil, CancellationToken, Task<TResult>> cancel,
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
        JobWaitUntil waitUntil = options.WaitUntil;

        var state = new State(ids.GetEnumerator(), options.Progress, runtime, runtime?.PartitionFor(kind.RateLimitBucket));
        TimeSpan longestWait = runtime?.LongestGateWait ?? TimeSpan.MaxValue;
        try
        {
            using var reporting = new CancellationTokenSource();
            Task ticker = options.Progress is null ? Task.CompletedTask : TickAsync(state, clock, reporting.Token);
            Task[] workers = new Task[options.MaxConcurrency];
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i] = WorkAsync(state, cancel, waitUntil, longestWait, cancellationToken);
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
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
        State state, Func<string, JobWaitUntil, CancellationToken, Task<TResult>> cancel, JobWaitUntil waitUntil, TimeSpan longestWait, CancellationToken cancellationToken)
        where TResult : CancelJobResult
    {
        // Yield first, so that a synchronous cancel (a fake, a cached answer) cannot run every job on the caller's thread.
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested && state.Next() is { } id)
        {
            state.Record(await CancelOneAsync(id, cancel, waitUntil, longestWait, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<JobCancellation> CancelOneAsync<TResult>(
        string id, Func<string, JobWaitUntil, CancellationToken, Task<TResult>> cancel, JobWaitUntil waitUntil, TimeSpan longestWait, CancellationToken cancellationToken)
        where TResult : CancelJobResult
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                TResult result = await cancel(id, waitUntil, cancellationToken).ConfigureAwait(false);
                return new JobCancellation
                {
                    JobId = id,
                    Outcome = result.Outcome,
                    Message = result.Message,
                    ConfirmedByStatusRead = result.ConfirmedByStatusRead,
                    Settlement = result.Settlement,
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
                snapshot = new BulkCancelProgress(Results.Count, _tally.Cancelled, _tally.AlreadyCompleted, _tally.Failed, runtime is null || partition is null ? TimeSpan.Zero : runtime.PeekGateWait(partition), last);
            }

            progress.Report(snapshot);
        }
    }
}
