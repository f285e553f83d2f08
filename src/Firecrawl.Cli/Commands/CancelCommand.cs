using System.CommandLine;
using System.Globalization;
using System.Net;
using Firecrawl.Client;
using Firecrawl.Client.Redis;

namespace Firecrawl.Cli;

/// <summary>
/// <c>firecrawl {kind} cancel &lt;id&gt;...</c> for every kind of job the library describes (batch scrapes, crawls,
/// agent jobs): its options, its checks, and the single-job run; many jobs go to <see cref="BulkCancelCommand"/>.
/// Nothing here asks which kind it is.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(FirecrawlJobKind kind, ClientOptions local, ClientOptions global, CliContext context)
    {
        var ids = new Argument<string[]>("id") { Description = "The job ids, as Firecrawl returned them", Arity = ArgumentArity.ZeroOrMore };
        var fromFile = new Option<string>("--from-file") { Description = "Read ids from a file, one per line ('-' reads stdin; blank lines and # comments are skipped)", HelpName = "path" };
        Option<int> concurrency = CliOptions.Number(
            "--concurrency", "How many cancels are in flight at once", "n", 1, 1000, BulkCancelOptions.DefaultMaxConcurrency, "a whole number from 1 to 1000");
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be cancelled and cancel nothing" };
        var redis = new Option<string>("--redis") { Description = $"Pace with every process that uses this Redis (a StackExchange.Redis configuration string; default: {ClientValues.RedisEnvironmentVariable})", HelpName = "configuration" };
        var allActive = new Option<bool>("--all-active") { Description = $"Cancel every active {kind.Noun} of the team" };
        var wait = new Option<bool>("--wait") { Description = "After the cancel, wait until each job has settled (its status final, its pages and credits unchanged) and print what it came to" };
        Option<TimeSpan?> waitTimeout = CliOptions.Duration(
            "--wait-timeout", "How long --wait waits for a job to settle (default: 2m)", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "a duration from 1s to 24h, such as 90s, 5m or 1h");
        var cancel = new Command("cancel", $"Cancel {kind.Noun}s (DELETE /{Versions(kind)}{kind.Route})") { ids, fromFile, concurrency, dryRun, redis, wait, waitTimeout };
        if (kind.ListsActive)
        {
            cancel.Add(allActive);
        }

        cancel.SetAction(async (parsed, token) =>
        {
            bool all = kind.ListsActive && parsed.GetValue(allActive);
            string? file = parsed.GetValue(fromFile);
            (JobIdSource? jobIds, string? problem) = await JobIdInput.OpenAsync(parsed.GetValue(ids) ?? [], file, all, context.Console.In, cancel).ConfigureAwait(false);
            using JobIdSource? source = jobIds;
            ClientValues values = local.Read(parsed, global, parsed.GetValue(redis));
            if (problem is not null)
            {
                return await context.UsageAsync(cancel, [problem]).ConfigureAwait(false);
            }

            if (parsed.GetValue(waitTimeout) is not null && !parsed.GetValue(wait))
            {
                return await context.UsageAsync(cancel, ["--wait-timeout needs --wait: without a wait there is nothing to time."]).ConfigureAwait(false);
            }

            (FirecrawlClientOptions options, string? redisConfiguration, List<string> problems) = values.Check(context.Environment);
            if (problems.Count > 0)
            {
                return await context.UsageAsync(cancel, problems, showHelp: false).ConfigureAwait(false);
            }

            if (parsed.GetValue(waitTimeout) is { } limit)
            {
                options.SettleTimeout = limit;
            }

            var request = new CancelRequest(kind, values.Json, options, redisConfiguration, parsed.GetValue(wait) ? JobWaitUntil.Settled : JobWaitUntil.Accepted);
            var settings = new BulkSettings(parsed.GetValue(concurrency), parsed.GetValue(dryRun), all);

            // Exactly one id, given as an argument: the single-job command, whose output scripts already rely on.
            return source!.SingleArgument is { } single && !all && !settings.DryRun
                ? await RunAsync(request, single, context, token).ConfigureAwait(false)
                : await BulkCancelCommand.RunAsync(request, source, settings, context, token).ConfigureAwait(false);
        });
        return cancel;
    }

    /// <summary>The versions that have the kind's route, as the usage writes them: <c>v1|v2</c>, or <c>v2</c>.</summary>
    private static string Versions(FirecrawlJobKind kind) =>
        string.Join('|', kind.ApiVersions.Select(static v => v == FirecrawlApiVersion.V2 ? "v2" : "v1"));

    private static async Task<int> RunAsync(CancelRequest command, string jobId, CliContext context, CancellationToken cancellationToken)
    {
        FirecrawlJobKind kind = command.Kind;
        TextWriter stdout = context.Console.Out;
        TextWriter stderr = context.Console.Error;
        using WaitLine? waiting = WaitLine.For(context.Console, command.Json);
        try
        {
            await using FirecrawlRedisRateLimitGate? gate = await SharedGateAsync(command, stderr, cancellationToken).ConfigureAwait(false);
            using FirecrawlClient client = CreateClient(command, context, waiting, gate);
            CancelJobResult result;
            try
            {
                result = await client.CancelJobAsync(kind, command.WaitUntil, jobId, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                waiting?.Clear();
            }

            if (command.Json)
            {
                await stdout.WriteLineAsync(JsonOutput.Result(result, kind, command.WaitUntil)).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync(TerminalText.Clean(Sentence(result, kind))).ConfigureAwait(false);
                if (result.Settlement is { } settlement)
                {
                    await stdout.WriteLineAsync(TerminalText.Clean(SettleText.Sentence(settlement))).ConfigureAwait(false);
                }
            }

            return result.Settlement is { Settled: false } ? ExitCodes.NotSettled : ExitCodes.Success;
        }
        catch (Exception error) when (error is FirecrawlException or ArgumentException)
        {
            int code = ExitCodeOf(error);
            if (command.Json)
            {
                await stdout.WriteLineAsync(JsonOutput.Error(error, code)).ConfigureAwait(false);
            }
            else
            {
                // The message carries the server's own text, which may hold escape sequences.
                await stderr.WriteLineAsync($"error: {TerminalText.Clean(CliText.Message(error))}").ConfigureAwait(false);
                if (error is FirecrawlApiException { RetryAfter: { } retry })
                {
                    await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"The server asked to retry after {retry.TotalSeconds:0.###} s.")).ConfigureAwait(false);
                }
            }

            return code;
        }
    }

    /// <summary>What the cancel did, in a sentence; a status read that confirmed it says so.</summary>
    private static string Sentence(CancelJobResult result, FirecrawlJobKind kind)
    {
        string confirmed = result.ConfirmedByStatusRead ? " (its answer was lost; a status read confirmed it)" : string.Empty;
        return result.Outcome == CancelOutcome.Cancelled
            ? $"Cancelled {kind.Noun} {result.JobId}{confirmed}."
            : $"The {kind.Noun} {result.JobId} had already completed; there was nothing left to cancel{confirmed}.";
    }

    /// <summary>The client a checked command line describes.</summary>
    /// <remarks>Its waits go to <paramref name="waits"/>: the live wait line on a terminal, or nowhere.</remarks>
    internal static FirecrawlClient CreateClient(
        CancelRequest command,
        CliContext context,
        IProgress<FirecrawlWait>? waits = null,
        FirecrawlRateLimitGate? gate = null)
    {
        FirecrawlClientOptions options = command.Options;
        options.WaitObserver = waits;
        options.RateLimitGate = gate;
        context.Configure?.Invoke(options);
        return new FirecrawlClient(options);
    }

    /// <summary>
    /// The gate shared through Redis when <c>--redis</c> or <c>FIRECRAWL_REDIS</c> names one: every process pointed at it
    /// paces as one. Redis being down is not an error; the gate stands in locally and says why on stderr.
    /// </summary>
    internal static async Task<FirecrawlRedisRateLimitGate?> SharedGateAsync(CancelRequest command, TextWriter stderr, CancellationToken cancellationToken) =>
        command.Redis is { } redis
            ? await FirecrawlRedisRateLimitGate.ConnectAsync(redis, new FirecrawlRedisGateOptions { LoggerFactory = new StderrWarnings(stderr) }, cancellationToken).ConfigureAwait(false)
            : null;

    internal static int ExitCodeOf(Exception error) => error switch
    {
        ArgumentException => ExitCodes.Usage,
        FirecrawlNotFoundException => ExitCodes.NotFound,
        FirecrawlUnauthorizedException or FirecrawlForbiddenException => ExitCodes.Unauthorized,
        FirecrawlRateLimitException => ExitCodes.RateLimited,
        FirecrawlApiException { StatusCode: HttpStatusCode.BadRequest } => ExitCodes.Usage,
        _ => ExitCodes.Failure,
    };
}

/// <summary>A cancel, as the command line asked for it, after its inputs were checked.</summary>
internal sealed record CancelRequest(FirecrawlJobKind Kind, bool Json, FirecrawlClientOptions Options, string? Redis, JobWaitUntil WaitUntil);

/// <summary>How a settled (or unsettled) job is told to a person.</summary>
internal static class SettleText
{
    public static string Sentence(JobSettlement settlement)
    {
        string figures = Figures(settlement.Status);
        return settlement.Settled
            ? string.Create(CultureInfo.InvariantCulture, $"It settled after {settlement.Elapsed.TotalSeconds:0.0} s: {figures}.")
            : $"It did not settle: {settlement.Reason}.{(settlement.Status is null ? string.Empty : $" Last read: {figures}.")}";
    }

    /// <summary>"cancelled, 5 pages completed, 5 credits used", leaving out what the server did not say.</summary>
    public static string Figures(FirecrawlJobStatus? status)
    {
        if (status is null)
        {
            return "no status read";
        }

        var parts = new List<string> { status.Status };
        if (status.Completed is { } pages)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{pages} page(s) completed"));
        }

        parts.Add(status.CreditsUsed is { } credits ? string.Create(CultureInfo.InvariantCulture, $"{credits} credit(s) used") : "credits not reported");
        return string.Join(", ", parts);
    }
}
