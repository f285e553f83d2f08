using System.CommandLine;
using System.Globalization;
using System.Net;
using Firecrawl.Client;
using Firecrawl.Client.Redis;

namespace Firecrawl.Cli;

/// <summary>
/// <c>firecrawl batch-scrape cancel &lt;id&gt;...</c> and <c>firecrawl crawl cancel &lt;id&gt;...</c>: its options, its
/// checks, and the single-job run; many jobs go to <see cref="BulkCancelCommand"/>.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(JobKind kind, ClientOptions local, ClientOptions global, CliContext context)
    {
        var ids = new Argument<string[]>("id") { Description = "The job ids, as Firecrawl returned them", Arity = ArgumentArity.ZeroOrMore };
        var fromFile = new Option<string>("--from-file") { Description = "Read ids from a file, one per line ('-' reads stdin; blank lines and # comments are skipped)", HelpName = "path" };
        Option<int> concurrency = CliOptions.Number(
            "--concurrency", "How many cancels are in flight at once", "n", 1, 1000, BulkCancelOptions.DefaultMaxConcurrency, "a whole number from 1 to 1000");
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be cancelled and cancel nothing" };
        var redis = new Option<string>("--redis") { Description = $"Pace with every process that uses this Redis (a StackExchange.Redis configuration string; default: {ClientValues.RedisEnvironmentVariable})", HelpName = "configuration" };
        var allActive = new Option<bool>("--all-active") { Description = $"Cancel every active {kind.Noun} of the team" };
        var cancel = new Command("cancel", $"Cancel {kind.Noun} jobs (DELETE {kind.Route})") { ids, fromFile, concurrency, dryRun, redis };
        if (kind.ListsActive)
        {
            cancel.Add(allActive);
        }

        cancel.SetAction(async (parsed, token) =>
        {
            bool all = kind.ListsActive && parsed.GetValue(allActive);
            string? file = parsed.GetValue(fromFile);
            (List<string>? jobIds, string? problem) = await JobIdInput.ReadAsync(parsed.GetValue(ids) ?? [], file, all, context.Console.In, cancel).ConfigureAwait(false);
            ClientValues values = local.Read(parsed, global, parsed.GetValue(redis));
            if (problem is not null)
            {
                return await context.UsageAsync(cancel, [problem]).ConfigureAwait(false);
            }

            (FirecrawlClientOptions options, string? redisConfiguration, List<string> problems) = values.Check(context.Environment);
            if (problems.Count > 0)
            {
                return await context.UsageAsync(cancel, problems, showHelp: false).ConfigureAwait(false);
            }

            var request = new CancelRequest(kind, values.Json, options, redisConfiguration);
            var settings = new BulkSettings(parsed.GetValue(concurrency), parsed.GetValue(dryRun), all);

            // Exactly one id, given as an argument: the single-job command, whose output scripts already rely on.
            return jobIds!.Count == 1 && !all && !settings.DryRun && file is null
                ? await RunAsync(request, jobIds[0], context, token).ConfigureAwait(false)
                : await BulkCancelCommand.RunAsync(request, jobIds, settings, context, token).ConfigureAwait(false);
        });
        return cancel;
    }

    private static async Task<int> RunAsync(CancelRequest command, string jobId, CliContext context, CancellationToken cancellationToken)
    {
        JobKind kind = command.Kind;
        string what = kind.Noun;
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
                result = await kind.CancelAsync(client, jobId, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                waiting?.Clear();
            }

            if (command.Json)
            {
                await stdout.WriteLineAsync(JsonOutput.Result(result, kind)).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync(TerminalText.Clean(result.Outcome == CancelOutcome.Cancelled
                    ? $"Cancelled {what} {result.JobId}."
                    : $"The {what} {result.JobId} had already completed; there was nothing left to cancel.")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
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
                if (error is FirecrawlApiException { RetryAfter: { } wait })
                {
                    await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"The server asked to retry after {wait.TotalSeconds:0.###} s.")).ConfigureAwait(false);
                }
            }

            return code;
        }
    }

    /// <summary>The client a checked command line describes.</summary>
    /// <remarks>Its log events go to <paramref name="logging"/>: the live wait line on a terminal, or nowhere.</remarks>
    internal static FirecrawlClient CreateClient(
        CancelRequest command,
        CliContext context,
        Microsoft.Extensions.Logging.ILoggerFactory? logging = null,
        FirecrawlRateLimitGate? gate = null)
    {
        FirecrawlClientOptions options = command.Options;
        options.LoggerFactory = logging;
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
internal sealed record CancelRequest(JobKind Kind, bool Json, FirecrawlClientOptions Options, string? Redis);
