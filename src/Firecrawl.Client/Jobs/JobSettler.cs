using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Firecrawl.Client;

/// <summary>
/// Waits for a cancelled job to go quiet: reads its status until the status is final and its pages completed and credits
/// used have not moved for <see cref="ClientConfiguration.SettleInterval"/>, or until
/// <see cref="ClientConfiguration.SettleTimeout"/>. Each read is an ordinary status call (retries, time limits, the
/// gate), in the job's own rate-limit bucket, so the wait spends the same budget a cancel does and keeps to the pace the
/// gate has learned; between reads it backs off, from a short first wait up to half the settle interval.
/// </summary>
internal static class JobSettler
{
    /// <summary>The first wait between reads; each later one is twice the last, up to <see cref="MaxPoll"/> or half the settle interval.</summary>
    public static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two reads.</summary>
    public static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(10);

    public static async Task<JobSettlement> SettleAsync(OperationRunner runner, FirecrawlJobKind kind, string id, CancellationToken cancellationToken)
    {
        ClientConfiguration configuration = runner.Runtime.Configuration;
        TimeProvider clock = configuration.TimeProvider;
        TimeSpan interval = configuration.SettleInterval;
        TimeSpan limit = configuration.SettleTimeout;
        TimeSpan longestPoll = Max(Min(interval / 2, MaxPoll), FirstPoll);
        TimeSpan poll = Min(FirstPoll, longestPoll);
        long started = clock.GetTimestamp();
        long stableSince = started;
        FirecrawlJobStatus? last = null;
        string? readFailure = null;
        int reads = 0;

        // The client's disposal ends the wait as it ends a call's waits.
        using var waits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, runner.Disposal);
        while (true)
        {
            FirecrawlJobStatus? status = null;
            try
            {
                status = await runner.RunAsync(kind.StatusOperation, id, cancellationToken).ConfigureAwait(false);
                readFailure = null;
            }
            catch (FirecrawlException failure)
            {
                // One failed read does not end the wait: the next may answer. The last failure is the reason if none does.
                readFailure = failure.Message;
            }

            reads++;
            long now = clock.GetTimestamp();
            if (status is not null)
            {
                if (last is null || !status.IsFinal || !SameFigures(last, status))
                {
                    stableSince = now;
                }

                last = status;
                if (status.IsFinal && clock.GetElapsedTime(stableSince, now) >= interval)
                {
                    return Ended(runner, kind, id, new JobSettlement { Settled = true, Status = status, Elapsed = clock.GetElapsedTime(started, now), Reads = reads });
                }
            }

            TimeSpan elapsed = clock.GetElapsedTime(started, now);
            if (elapsed >= limit)
            {
                return Ended(runner, kind, id, new JobSettlement { Settled = false, Status = last, Elapsed = elapsed, Reads = reads, Reason = Why(last, readFailure, limit) });
            }

            TimeSpan wait = Min(poll, limit - elapsed);
            poll = Min(poll * 2, longestPoll);
            ILogger logger = runner.Runtime.Logger;
            if (logger.IsEnabled(LogLevel.Information))
            {
                FirecrawlLog.JobSettling(
                    logger, kind.Noun, id, last?.Status ?? "unread", last?.Completed, last?.CreditsUsed, elapsed.TotalMilliseconds, wait.TotalMilliseconds, (limit - elapsed).TotalMilliseconds);
            }

            if (runner.Runtime.ObservesWaits)
            {
                runner.Runtime.Waiting(new FirecrawlWait
                {
                    Reason = FirecrawlWaitReason.Settling,
                    Delay = wait,
                    Operation = kind.StatusOperation.Name,
                    JobId = id,
                    Kind = kind,
                    LastStatus = last,
                    Left = limit - elapsed,
                });
            }

            try
            {
                await Task.Delay(wait, clock, waits.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (runner.Disposal.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ObjectDisposedException($"The FirecrawlClient was disposed while it waited for {kind.Noun} {InputText.Quote(id)} to settle.");
            }
            catch (OperationCanceledException stopped) when (cancellationToken.IsCancellationRequested)
            {
                // The caller's cancellation carries the caller's token, not the linked one the wait used.
                throw new OperationCanceledException($"The wait for {kind.Noun} {InputText.Quote(id)} to settle was stopped: the caller's CancellationToken was cancelled.", stopped, cancellationToken);
            }
        }
    }

    /// <summary>Logs how the wait ended, and returns it.</summary>
    private static JobSettlement Ended(OperationRunner runner, FirecrawlJobKind kind, string id, JobSettlement settlement)
    {
        ILogger logger = runner.Runtime.Logger;
        if (logger.IsEnabled(LogLevel.Information))
        {
            FirecrawlJobStatus? last = settlement.Status;
            FirecrawlLog.JobSettled(
                logger, kind.Noun, id, settlement.Settled ? "settled" : "did not settle", settlement.Elapsed.TotalMilliseconds, settlement.Reads, last?.Status, last?.Completed, last?.CreditsUsed);
        }

        return settlement;
    }

    /// <summary>Whether two reads say the same: the state, the pages completed and the credits used.</summary>
    private static bool SameFigures(FirecrawlJobStatus a, FirecrawlJobStatus b) =>
        a.State == b.State && a.Completed == b.Completed && a.CreditsUsed == b.CreditsUsed;

    private static string Why(FirecrawlJobStatus? last, string? readFailure, TimeSpan limit)
    {
        string within = string.Create(CultureInfo.InvariantCulture, $"within {limit.TotalSeconds:0.###} s (SettleTimeout)");
        return last is null
            ? $"its status could not be read {within}: {readFailure}"
            : !last.IsFinal
                ? $"it still read '{last.Status}' {within}"
                : $"its pages or credits were still moving {within}";
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
