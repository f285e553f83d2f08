using System.Globalization;
using Firecrawl.Client;
using Firecrawl.Client.Redis;

namespace Firecrawl.Cli;

/// <summary>
/// <c>firecrawl {kind} cancel &lt;id&gt; &lt;id&gt; ...</c>, <c>--from-file</c>, and
/// <c>firecrawl crawl cancel --all-active</c>: many jobs at the rate limiter's pace, each reported on its own, and with
/// <c>--wait</c> what each came to once it settled.
/// </summary>
internal static class BulkCancelCommand
{
    public static async Task<int> RunAsync(
        CancelRequest command,
        IReadOnlyList<string> ids,
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
            // A repeated id is cancelled once; the counts are of distinct jobs.
            string[] jobs = ids.Distinct(StringComparer.Ordinal).ToArray();
            if (settings.AllActive)
            {
                try
                {
                    // Only a kind the server lists offers --all-active: crawls.
                    jobs = [.. (await client.GetActiveCrawlsAsync(cancellationToken).ConfigureAwait(false)).Select(static crawl => crawl.Id)];
                }
                catch (FirecrawlException error)
                {
                    waiting?.Pause();
                    int code = CancelCommand.ExitCodeOf(error);
                    await (command.Json ? console.Out.WriteLineAsync(JsonOutput.Error(error, code)) : console.Error.WriteLineAsync($"error: {TerminalText.Clean(CliText.Message(error))}")).ConfigureAwait(false);
                    return code;
                }
                finally
                {
                    waiting?.Pause();
                }
            }

            waiting?.Pause();
            if (settings.DryRun)
            {
                return await DryRunAsync(command, jobs, console, noun).ConfigureAwait(false);
            }

            var reporter = new Reporter(command, jobs.Length, console, noun);
            var options = new BulkCancelOptions { MaxConcurrency = settings.Concurrency, Progress = reporter, WaitUntil = command.WaitUntil };
            BulkCancelResult result = await client.CancelJobsAsync(command.Kind, jobs, options, cancellationToken).ConfigureAwait(false);
            reporter.EndProgressLine();

            bool waited = command.WaitUntil == JobWaitUntil.Settled;
            if (command.Json)
            {
                await console.Out.WriteLineAsync(JsonOutput.Summary(jobs.Length, result, waited)).ConfigureAwait(false);
            }
            else
            {
                string notSent = result.Jobs.Count < jobs.Length ? $", {jobs.Length - result.Jobs.Count} not sent" : string.Empty;
                string settled = !waited ? string.Empty : string.Create(
                    CultureInfo.InvariantCulture,
                    $" {result.Jobs.Count(static j => j.Settlement is { Settled: true })} settled, {result.NotSettled} did not settle in time; {(result.CreditsUsed is { } credits ? $"{credits} credit(s) used in all" : "no credits reported")}.");
                await console.Out.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{(result.Interrupted ? "Interrupted. " : string.Empty)}{jobs.Length} {noun}(s): {result.Cancelled} cancelled, {result.AlreadyCompleted} already completed, {result.Failed} failed{notSent}.{settled}")).ConfigureAwait(false);
            }

            return result.Interrupted ? ExitCodes.Interrupted
                : !result.AllStopped ? ExitCodes.SomeJobsFailed
                : result.NotSettled > 0 ? ExitCodes.NotSettled
                : ExitCodes.Success;
        }
    }

    private static async Task<int> DryRunAsync(CancelRequest command, string[] jobs, CliConsole console, string noun)
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

        int count = jobs.Length;
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
    /// Writes each job as it ends (a JSON line, or a line per failure), and keeps a one-line progress display on stderr
    /// while stderr is a terminal. Reports arrive from several workers at once, so writing is serialised here.
    /// </summary>
    private sealed class Reporter(CancelRequest command, int total, CliConsole console, string noun) : IProgress<BulkCancelProgress>
    {
        private readonly object _sync = new();
        private bool _lineShown;

        public void Report(BulkCancelProgress value)
        {
            lock (_sync)
            {
                ClearProgressLine();
                if (value.Last is { } job)
                {
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

                if (console.ErrorIsTerminal)
                {
                    string wait = value.RateLimitWait > TimeSpan.Zero
                        ? string.Create(CultureInfo.InvariantCulture, $", waiting {value.RateLimitWait.TotalSeconds:0.0} s for the rate limit to reopen. Ctrl+C stops.")
                        : string.Empty;
                    string settling = value.Settling > 0 ? string.Create(CultureInfo.InvariantCulture, $", {value.Settling} stopped and settling") : string.Empty;
                    console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{value.Done}/{total}] {value.Cancelled} cancelled, {value.AlreadyCompleted} already completed, {value.Failed} failed{settling}{wait}"));
                    _lineShown = true;
                }
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
