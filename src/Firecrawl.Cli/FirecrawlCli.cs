using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Firecrawl.Client;

namespace Firecrawl.Cli;

/// <summary>
/// Parses the command line and runs a command. Everything goes through the given writers and environment, so tests
/// run the real command in-process.
/// </summary>
internal static class FirecrawlCli
{
    public const string Usage = """
        Usage:
          firecrawl batch-scrape cancel <id> [options]   Cancel a batch scrape job
          firecrawl crawl cancel <id> [options]          Cancel a crawl job
          firecrawl demo                                 Run an offline demo against a local Firecrawl emulator

        Options:
          --api-key <key>         API key (default: FIRECRAWL_API_KEY; none means no Authorization header)
          --api-url <url>         Server address (default: FIRECRAWL_API_URL, then https://api.firecrawl.dev)
          --api-version <v1|v2>   Route version (default: v1)
          --json                  Print the result or the error as one JSON object on stdout
          -h, --help              Show this help
          --version               Show the version

        Exit codes: 0 cancelled or already completed, 2 usage error, 3 not found,
                    4 unauthorized or forbidden, 5 rate limited, 6 server or network failure.
        """;

    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        Func<string, string?>? environment,
        Action<FirecrawlClientOptions>? configure,
        CancellationToken cancellationToken)
    {
        environment ??= Environment.GetEnvironmentVariable;
        ParsedCommand command;
        try
        {
            command = ParsedCommand.Parse(args);
        }
        catch (UsageException error)
        {
            await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync().ConfigureAwait(false);
            await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            switch (command.Name)
            {
                case "help":
                    await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                    return ExitCodes.Success;
                case "version":
                    await stdout.WriteLineAsync(typeof(FirecrawlCli).Assembly.GetName().Version?.ToString(3) ?? "0.0.0").ConfigureAwait(false);
                    return ExitCodes.Success;
                case "demo":
                    return await Demo.RunAsync(stdout, cancellationToken).ConfigureAwait(false);
                default:
                    return await CancelAsync(command, stdout, stderr, environment, configure, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }

    private static async Task<int> CancelAsync(
        ParsedCommand command,
        TextWriter stdout,
        TextWriter stderr,
        Func<string, string?> environment,
        Action<FirecrawlClientOptions>? configure,
        CancellationToken cancellationToken)
    {
        bool crawl = command.Name == "crawl";
        string what = crawl ? "crawl" : "batch scrape";
        try
        {
            string? apiKey = command.ApiKey ?? environment(FirecrawlClientOptions.ApiKeyEnvironmentVariable);
            var options = new FirecrawlClientOptions
            {
                ApiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey,
                BaseAddress = ParseUrl(command.ApiUrl ?? environment(FirecrawlClientOptions.BaseAddressEnvironmentVariable)),
                ApiVersion = command.ApiVersion,
            };
            configure?.Invoke(options);
            using var client = new FirecrawlClient(options);
            CancelJobResult result = crawl
                ? await client.CancelCrawlAsync(command.JobId!, cancellationToken).ConfigureAwait(false)
                : await client.CancelBatchScrapeAsync(command.JobId!, cancellationToken).ConfigureAwait(false);

            if (command.Json)
            {
                await stdout.WriteLineAsync(Json(writer =>
                {
                    writer.WriteString("jobId", result.JobId);
                    writer.WriteString("kind", crawl ? "crawl" : "batch-scrape");
                    writer.WriteString("outcome", result.Outcome == CancelOutcome.Cancelled ? "cancelled" : "already-completed");
                    writer.WriteString("message", result.Message);
                })).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync(result.Outcome == CancelOutcome.Cancelled
                    ? $"Cancelled {what} {result.JobId}."
                    : $"The {what} {result.JobId} had already completed; there was nothing left to cancel.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }
        catch (Exception error) when (error is FirecrawlException or ArgumentException)
        {
            int code = ExitCodeOf(error);
            if (command.Json)
            {
                await stdout.WriteLineAsync(ErrorJson(error, code)).ConfigureAwait(false);
            }
            else
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
                if (error is FirecrawlRateLimitException { RetryAfter: { } wait })
                {
                    await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Rate limited: retry after {wait.TotalSeconds:0.###} s.")).ConfigureAwait(false);
                }
            }

            return code;
        }
    }

    internal static int ExitCodeOf(Exception error) => error switch
    {
        ArgumentException => ExitCodes.Usage,
        FirecrawlNotFoundException => ExitCodes.NotFound,
        FirecrawlUnauthorizedException or FirecrawlForbiddenException => ExitCodes.Unauthorized,
        FirecrawlRateLimitException => ExitCodes.RateLimited,
        FirecrawlApiException { StatusCode: HttpStatusCode.BadRequest } => ExitCodes.Usage,
        _ => ExitCodes.Failure,
    };

    private static Uri? ParseUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? url)
            ? url
            : throw new ArgumentException($"'{text}' is not an absolute URL such as https://api.firecrawl.dev or http://localhost:3002 (--api-url or FIRECRAWL_API_URL).", nameof(text));
    }

    private static string ErrorJson(Exception error, int exitCode) => Json(writer =>
    {
        writer.WriteStartObject("error");
        writer.WriteString("type", error.GetType().Name);
        writer.WriteNumber("exitCode", exitCode);
        writer.WriteString("message", error.Message);
        if (error is FirecrawlApiException api)
        {
            writer.WriteNumber("status", (int)api.StatusCode);
            writer.WriteString("serverMessage", api.Error.Message);
            writer.WriteString("code", api.Error.Code);
            writer.WriteString("exceptionId", api.Error.ExceptionId);
        }

        if (error is FirecrawlRateLimitException { RetryAfter: { } wait })
        {
            writer.WriteNumber("retryAfterSeconds", wait.TotalSeconds);
        }

        writer.WriteEndObject();
    });

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
