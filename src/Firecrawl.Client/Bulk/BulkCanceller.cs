using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Firecrawl.Client;

/// <summary>
/// Cancels many jobs with bounded concurrency, as a stream of per-job outcomes in the order they end. Every call goes
/// through the client's own single-job cancel, so each shares the client's rate-limit gate: when one call hears a 429,
/// all of them wait for the window to reopen. The ids are read lazily, one at a time as a worker becomes free, and an
/// id seen before is skipped (<see cref="JobIdSet"/>); outcomes wait for the reader in a small bounded buffer, so the
/// memory a run holds depends on the calls in flight, not on how many ids it reads. The summary form collects the same
/// stream.
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

    /// <summary>Checks the options a run takes, before any id is read: the stream's own checks would wait for its first read.</summary>
    public static BulkCancelOptions Check(IEnumerable<string> ids, BulkCancelOptions? options)
    {
        ArgumentNullException.ThrowIfNull(ids);
        options ??= new BulkCancelOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxConcurrency, 1000, nameof(options));
        return options;
    }

    /// <summary>The summary form: the whole stream, collected, and whether the caller's token interrupted it.</summary>
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
        options = Check(ids, options);
        var jobs = new List<JobCancellation>();
        await foreach (JobCancellation job in StreamAsync(ids, cancel, settle, kind, options, runtime, cancellationToken, clock).ConfigureAwait(false))
        {
            jobs.Add(job);
        }

        return new BulkCancelResult(jobs, cancellationToken.IsCancellationRequested);
    }

    /// <summary>
    /// Runs the bulk cancel and yields each job as it ends. The caller's token stops new sends and ends the calls in
    /// flight, whose jobs are still yielded (with the cancellation as their error); then the stream ends without throwing.
    /// A reader that stops early (leaves its <c>await foreach</c>) ends the calls in flight too, and nothing more is read.
    /// With <see cref="JobWaitUntil.Settled"/>, a stopped job's wait for it to settle runs beside the cancels, never in a
    /// cancel's place: every job is told to stop first, at full speed, and the waits (at most <see cref="MaxSettling"/> at
    /// once) trail behind, their status reads sharing the gate with the cancels.
    /// </summary>
    public static async IAsyncEnumerable<JobCancellation> StreamAsync<TResult>(
        IEnumerable<string> ids,
        Func<string, CancellationToken, Task<TResult>> cancel,
        Func<string, CancellationToken, Task<JobSettlement>> settle,
        FirecrawlJobKind kind,
        BulkCancelOptions options,
        ClientRuntime? runtime,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        TimeProvider? clock = null)
        where TResult : CancelJobResult
    {
        clock ??= runtime?.Clock ?? TimeProvider.System;

        // Outcomes wait here for the reader: a few per worker, so a slow reader holds the workers back rather than a
        // backlog growing in memory. The reader resumes on the pool, not inline on the worker that handed over an outcome:
        // inline, a reader writing each job to a console held that worker from its next call (the native CLI measured
        // 17-18k cancels/s inline against 19-22k queued, 100,000 ids, two runs each).
        Channel<JobCancellation> ended = Channel.CreateBounded<JobCancellation>(
            new BoundedChannelOptions(Math.Max(options.MaxConcurrency, MaxSettling) * 2) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        // The reader leaving early: the calls in flight end, and their outcomes have nowhere to go.
        using var abandoned = new CancellationTokenSource();
        using var calls = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abandoned.Token);
        var run = new Run(ids, options, runtime, runtime?.PartitionFor(kind.RateLimitBucket), ended.Writer, abandoned.Token);
        Task working = run.WorkAsync(cancel, settle, clock, calls.Token, cancellationToken);
        bool finished = false;
        try
        {
            while (await ended.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (ended.Reader.TryRead(out JobCancellation? job))
                {
                    yield return job;
                }
            }

            finished = true;
        }
        finally
        {
            if (!finished)
            {
                await abandoned.CancelAsync().ConfigureAwait(false);
            }

            // Whatever happened, no worker, wait or ticker outlives the stream.
            await working.ConfigureAwait(false);
        }
    }

    /// <summary>One bulk cancel in progress: the input, the ids seen, the counts, and where outcomes go.</summary>
    private sealed class Run(
        IEnumerable<string> ids, BulkCancelOptions options, ClientRuntime? runtime, FirecrawlGatePartition? partition,
        ChannelWriter<JobCancellation> ended, CancellationToken abandoned)
    {
        private readonly object _sync = new();
        private readonly JobIdSet? _seen = options.IdsAreDistinct ? null : new JobIdSet();
        private readonly List<Task> _waits = [];
        private IEnumerator<string>? _source;
        private OutcomeTally _tally;
        private int _done;
        private int _settling;

        /// <summary>Runs the workers, the waits and the ticker to their end, then closes the stream.</summary>
        public async Task WorkAsync<TResult>(
            Func<string, CancellationToken, Task<TResult>> cancel, Func<string, CancellationToken, Task<JobSettlement>> settle, TimeProvider clock,
            CancellationToken calls, CancellationToken caller)
            where TResult : CancelJobResult
        {
            Exception? failure = null;
            using var reporting = new CancellationTokenSource();
            using var slots = options.WaitUntil == JobWaitUntil.Settled ? new SemaphoreSlim(Math.Max(options.MaxConcurrency, MaxSettling)) : null;
            Task ticker = options.Progress is null ? Task.CompletedTask : TickAsync(clock, reporting.Token);
            try
            {
                _source = ids.GetEnumerator();
                TimeSpan longestWait = runtime?.LongestGateWait ?? TimeSpan.MaxValue;
                Task[] workers = new Task[options.MaxConcurrency];
                for (int i = 0; i < workers.Length; i++)
                {
                    workers[i] = WorkerAsync(cancel, settle, slots, longestWait, calls, caller);
                }

                await Task.WhenAll(workers).ConfigureAwait(false);
                Task[] waits;
                lock (_sync)
                {
                    waits = [.. _waits];
                }

                await Task.WhenAll(waits).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // Not the SDK's (a bug, or the input's enumerator throwing): the reader meets it at the end of the stream.
                failure = exception;
            }
            finally
            {
                // On this thread: CancelAsync would finish the run on a pool thread, and the only callback is the ticker's.
                reporting.Cancel();
                await ticker.ConfigureAwait(false);
                _source?.Dispose();
                ended.TryComplete(failure);
            }
        }

        private async Task WorkerAsync<TResult>(
            Func<string, CancellationToken, Task<TResult>> cancel, Func<string, CancellationToken, Task<JobSettlement>> settle, SemaphoreSlim? slots,
            TimeSpan longestWait, CancellationToken calls, CancellationToken caller)
            where TResult : CancelJobResult
        {
            // Yield first, so that a synchronous cancel (a fake, a cached answer) cannot run every job on the caller's thread.
            await Task.Yield();
            while (!calls.IsCancellationRequested && Next() is { } id)
            {
                JobCancellation job = await CancelOneAsync(id, cancel, longestWait, calls, caller).ConfigureAwait(false);
                if (slots is not null && job.Stopped)
                {
                    Interlocked.Increment(ref _settling);
                    Task wait = SettleAsync(job, settle, slots, calls, caller);
                    lock (_sync)
                    {
                        _waits.RemoveAll(static w => w.IsCompleted);
                        _waits.Add(wait);
                    }
                }
                else
                {
                    await EndedAsync(job).ConfigureAwait(false);
                }
            }
        }

        /// <summary>The next id not seen before, read from the input only now; null when the input is done.</summary>
        private string? Next()
        {
            lock (_sync)
            {
                while (_source!.MoveNext())
                {
                    string id = _source.Current ?? string.Empty;
                    if (_seen is null || _seen.Add(id))
                    {
                        return id;
                    }
                }

                return null;
            }
        }

        private static async Task<JobCancellation> CancelOneAsync<TResult>(
            string id, Func<string, CancellationToken, Task<TResult>> cancel, TimeSpan longestWait, CancellationToken calls, CancellationToken caller)
            where TResult : CancelJobResult
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    TResult result = await cancel(id, calls).ConfigureAwait(false);
                    return new JobCancellation
                    {
                        JobId = id,
                        Outcome = result.Outcome,
                        Message = result.Message,
                        ConfirmedByStatusRead = result.ConfirmedByStatusRead,
                    };
                }
                catch (FirecrawlRateLimitException limited)
                    when (attempt < MaxRateLimitRetries && !calls.IsCancellationRequested && !(limited.RetryAfter > longestWait))
                {
                    // The gate now holds every worker back until the window reopens; this job goes again after it. A wait
                    // longer than a call may wait would only be refused again at once, so that job fails with its RetryAfter.
                }
                catch (Exception error) when (error is FirecrawlException or ArgumentException or ObjectDisposedException
                    || (error is OperationCanceledException && calls.IsCancellationRequested))
                {
                    // A call the caller's token ended reports the caller's token, as a single cancel would.
                    return new JobCancellation
                    {
                        JobId = id,
                        Error = error is OperationCanceledException stopped && caller.IsCancellationRequested && stopped.CancellationToken != caller
                            ? new OperationCanceledException(stopped.Message, stopped, caller)
                            : error,
                    };
                }
            }
        }

        private async Task SettleAsync(
            JobCancellation job, Func<string, CancellationToken, Task<JobSettlement>> settle, SemaphoreSlim slots, CancellationToken calls, CancellationToken caller)
        {
            JobSettlement? settlement = null;
            try
            {
                await slots.WaitAsync(calls).ConfigureAwait(false);
                try
                {
                    settlement = await settle(job.JobId, calls).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            }
            catch (Exception error) when (error is ObjectDisposedException || (error is OperationCanceledException && calls.IsCancellationRequested))
            {
                // The job was stopped; only the wait for it was cut short, by the caller, the reader leaving, or disposal.
            }

            Interlocked.Decrement(ref _settling);
            await EndedAsync(job with { Settlement = settlement }).ConfigureAwait(false);
        }

        /// <summary>Counts a job that ended and hands it to the reader, unless the reader has gone.</summary>
        private async ValueTask EndedAsync(JobCancellation job)
        {
            lock (_sync)
            {
                _done++;
                _tally.Add(job);
            }

            Report(job);
            try
            {
                await ended.WriteAsync(job, abandoned).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abandoned.IsCancellationRequested)
            {
                // Nobody reads any more.
            }
            catch (ChannelClosedException)
            {
                // Closed because the run failed; the reader meets that failure.
            }
        }

        private async Task TickAsync(TimeProvider clock, CancellationToken stop)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), clock, stop).ConfigureAwait(false);
                    Report(last: null);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The bulk cancel is over.
            }
        }

        private void Report(JobCancellation? last)
        {
            if (options.Progress is not { } progress)
            {
                return;
            }

            BulkCancelProgress snapshot;
            lock (_sync)
            {
                snapshot = new BulkCancelProgress(_done, _tally.Cancelled, _tally.AlreadyCompleted, _tally.Failed, runtime is null || partition is null ? TimeSpan.Zero : runtime.PeekGateWait(partition), last)
                {
                    Settling = Volatile.Read(ref _settling),
                };
            }

            progress.Report(snapshot);
        }
    }
}
