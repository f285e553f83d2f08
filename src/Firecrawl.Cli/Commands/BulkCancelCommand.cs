using System.Globalization;
using Firecrawl.Client;
using Firecrawl.Client.Redis;

namespace Firecrawl.Cli;

/// <summary>
/// <c>firecrawl {kind} cancel &lt;id&gt; &lt;id&gt; ...</c>, <c>--from-file</c>, and
/// <c>firecrawl crawl cancel --all-active</c>: many jobs at the rate limiter's pace, each reported as it ends, and with
/// <c>--wait</c> what each came to once it settled. The ids are read as the cancels need them and each job's line is
/// written as it ends: the command keeps counters, never the ids or the outcomes, so a million ids cost what a hundred do.
/// </summary>
internal static class BulkCancelCommand
{
    public static async Task<int> RunAsync(
        CancelRequest command,
        JobIdSource ids,
        BulkSettings settings,
        CliContext context,
        CancellationToken cancellationToken)
    {
        string noun = command.Kind.Noun;
        CliConsole console = context.Console;

        // The live wait line serves the listing of active crawls; the bulk cancel's own progress line takes over after it.
        using WaitLine? waiting = WaitLine.For(console, command.Json);
        FirecrawlRedisRateLimitGate? gate = await CancelCommand.SharedGateAsync(command, console.Error, cancellationToken).ConfigureAwait(false);
        await using (gate)
        using (FirecrawlClient client = CancelCommand.CreateClient(command, context, waiting, gate))
        {
            JobIdSource jobs = ids;
            if (settings.AllActive)
            {
                (JobIdSource? listed, int failed) = await ListActiveAsync(client, command, console, waiting, cancellationToken).ConfigureAwait(false);
                if (listed is null)
                {
                    return failed;
                }

                jobs = listed;
            }

            waiting?.Pause();
            if (settings.DryRun)
            {
                return await DryRunAsync(command, jobs, console, noun).ConfigureAwait(false);
            }

            var reporter = new Reporter(command, jobs.KnownTotal, console, noun);
            var options = new BulkCancelOptions
            {
                MaxConcurrency = settings.Concurrency,
                Progress = reporter,
                WaitUntil = command.WaitUntil,

                // The source gives each id once already; a second set of a million hashes would double what it holds.
                IdsAreDistinct = true,
            };
            await foreach (JobCancellation job in client.CancelJobsStreamingAsync(command.Kind, jobs, options, cancellationToken).ConfigureAwait(false))
            {
                reporter.Ended(job);
            }

            reporter.EndProgressLine();
            bool interrupted = cancellationToken.IsCancellationRequested;
            int? notSent = interrupted ? jobs.CountRest() : 0;
            OutcomeTally tally = reporter.Tally;
            bool waited = command.WaitUntil == JobWaitUntil.Settled;
            int total = tally.Count + (notSent ?? 0);
            if (command.Json)
            {
                await console.Out.WriteLineAsync(JsonOutput.Summary(total, tally, notSent, interrupted, waited)).ConfigureAwait(false);
            }
            else
            {
                string notSentText = notSent switch
                {
                    null => ", and the rest of standard input not read",
                    > 0 => $", {notSent} not sent",
                    _ => string.Empty,
                };
                string settled = !waited ? string.Empty : string.Create(
                    CultureInfo.InvariantCulture,
                    $" {tally.Settled} settled, {tally.NotSettled} did not settle in time; {(tally.CreditsKnown ? $"{tally.CreditsUsed} credit(s) used in all" : "no credits reported")}.");
                await console.Out.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{(interrupted ? "Interrupted. " : string.Empty)}{total} {noun}(s): {tally.Cancelled} cancelled, {tally.AlreadyCompleted} already completed, {tally.Failed} failed{notSentText}.{settled}")).ConfigureAwait(false);
            }

            return interrupted ? ExitCodes.Interrupted
                : tally.Failed > 0 ? ExitCodes.SomeJobsFailed
                : tally.NotSettled > 0 ? ExitCodes.NotSettled
                : ExitCodes.Success;
        }
    }

    /// <summary>The team's running crawls, or none and the exit code (with the error written) when the list cannot be read.</summary>
    private static async Task<(JobIdSource? Listed, int ExitCode)> ListActiveAsync(FirecrawlClient client, CancelRequest command, CliConsole console, WaitLine? waiting, CancellationToken cancellationToken)
    {
        try
        {
            // Only a kind the server lists offers --all-active: crawls.
            return (JobIdSource.Listed([.. (await client.GetActiveCrawlsAsync(cancellationToken).ConfigureAwait(false)).Select(static crawl => crawl.Id)]), ExitCodes.Success);
        }
        catch (FirecrawlException error)
        {
            waiting?.Pause();
            int code = CancelCommand.ExitCodeOf(error);
            await (command.Json ? console.Out.WriteLineAsync(JsonOutput.Error(error, code)) : console.Error.WriteLineAsync($"error: {TerminalText.Clean(CliText.Message(error))}")).ConfigureAwait(false);
            return (null, code);
        }
        finally
        {
            waiting?.Pause();
        }
    }

    private static async Task<int> DryRunAsync(CancelRequest command, JobIdSource jobs, CliConsole console, string noun)
    {
        foreach (string id in jobs)
        {
            await console.Out.WriteLineAsync(command.Json
                ? JsonOutput.Object(writer =>
                {
                    JsonOutput.WriteKind(writer, id, command.Kind);
                    writer.WriteString("outcome", "would-cancel");
                })
                : $"Would cancel {noun} {TerminalText.Clean(JobText.Shown(id))}").ConfigureAwait(false);
        }

        int count = jobs.Read;
        await console.Out.WriteLineAsync(command.Json
            ? JsonOutput.Object(writer =>
            {
                writer.WriteStartObject("summary");
                writer.WriteNumber("total", count);
                writer.WriteBoolean("dryRun", true);
                writer.WriteEndObject();
            })
            : $"Dry run: {count} {noun}(s) would be cancelled; nothing was sent.").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Writes each job as it ends (a JSON line, a line per failure, a line per settled job), counts it, and keeps a
    /// one-line progress display on stderr while stderr is a terminal. Progress arrives from the workers and jobs from the
    /// reader, so writing is serialised here.
    /// </summary>
    private sealed class Reporter(CancelRequest command, int? total, CliConsole console, string noun) : IProgress<BulkCancelProgress>
    {
        private readonly object _sync = new();
        private bool _lineShown;
        private OutcomeTally _tally;

        public OutcomeTally Tally
        {
            get
            {
                lock (_sync)
                {
                    return _tally;
                }
            }
        }

        public void Ended(JobCancellation job)
        {
            lock (_sync)
            {
                _tally.Add(job);
                ClearProgressLine();
                if (command.Json)
                {
                    console.Out.WriteLine(JsonOutput.Job(job, command.Kind, job.Error is null ? ExitCodes.Success : CancelCommand.ExitCodeOf(job.Error), command.WaitUntil));
                }
                else if (job.Error is { } error)
                {
                    console.Error.WriteLine($"error: {noun} {TerminalText.Clean(JobText.Shown(job.JobId))}: {TerminalText.Clean(CliText.Message(error))}");
                }
                else if (job.Settlement is { } settlement)
                {
                    console.Out.WriteLine(TerminalText.Clean($"{noun} {JobText.Shown(job.JobId)}: {SettleText.Sentence(settlement)}"));
                }
            }
        }

        public void Report(BulkCancelProgress value)
        {
            if (!console.ErrorIsTerminal)
            {
                return;
            }

            lock (_sync)
            {
                ClearProgressLine();
                string wait = value.RateLimitWait > TimeSpan.Zero
                    ? string.Create(CultureInfo.InvariantCulture, $", waiting {value.RateLimitWait.TotalSeconds:0.0} s for the rate limit to reopen. Ctrl+C stops.")
                    : string.Empty;
                string settling = value.Settling > 0 ? string.Create(CultureInfo.InvariantCulture, $", {value.Settling} stopped and settling") : string.Empty;
                string done = total is { } known ? string.Create(CultureInfo.InvariantCulture, $"{value.Done}/{known}") : string.Create(CultureInfo.InvariantCulture, $"{value.Done} done");
                console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{done}] {value.Cancelled} cancelled, {value.AlreadyCompleted} already completed, {value.Failed} failed{settling}{wait}"));
                _lineShown = true;
            }
        }

        public void EndProgressLine()
        {
            lock (_sync)
            {
                ClearProgressLine();
            }
        }

        private void ClearProgressLine()
        {
            if (_lineShown)
            {
                console.Error.Write("\r\u001B[2K");
                _lineShown = false;
            }
        }
    }
}

/// <summary>The bulk options of a cancel command line.</summary>
internal sealed record BulkSettings(int Concurrency, bool DryRun, bool AllActive);
