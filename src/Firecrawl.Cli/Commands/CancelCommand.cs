using System.Globalization;
using System.Net;
using Firecrawl.Client;
using Firecrawl.Client.Redis;

namespace Firecrawl.Cli;

/// <summary><c>firecrawl batch-scrape cancel &lt;id&gt;</c> and <c>firecrawl crawl cancel &lt;id&gt;</c>.</summary>
internal static class CancelCommand
{
    public static async Task<int> RunAsync(
        CancelRequest command,
        CliConsole console,
        Func<string, string?> environment,
        Action<FirecrawlClientOptions>? configure,
        CancellationToken cancellationToken)
    {
        JobKind kind = command.Kind;
        string what = kind.Noun;
        TextWriter stdout = console.Out;
        TextWriter stderr = console.Error;
        using WaitLine? waiting = WaitLine.For(console, command.Json);
        try
        {
            await using FirecrawlRedisRateLimitGate? gate = await SharedGateAsync(command, stderr, cancellationToken).ConfigureAwait(false);
            using FirecrawlClient client = CreateClient(command, environment, configure, waiting, gate);
            CancelJobResult result;
            try
            {
                result = await kind.CancelAsync(client, command.JobId, cancellationToken).ConfigureAwait(false);
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
                await stderr.WriteLineAsync($"error: {TerminalText.Clean(error.Message)}").ConfigureAwait(false);
                if (error is FirecrawlApiException { RetryAfter: { } wait })
                {
                    await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"The server asked to retry after {wait.TotalSeconds:0.###} s.")).ConfigureAwait(false);
                }
            }

            return code;
        }
    }

    /// <summary>The client a command line describes: options first, then the environment.</summary>
    /// <remarks>Its log events go to <paramref name="logging"/>: the live wait line on a terminal, or nowhere.</remarks>
    internal static FirecrawlClient CreateClient(
        CancelRequest command,
        Func<string, string?> environment,
        Action<FirecrawlClientOptions>? configure,
        Microsoft.Extensions.Logging.ILoggerFactory? logging = null,
        FirecrawlRateLimitGate? gate = null)
    {
        string? apiKey = command.ApiKey ?? environment(FirecrawlClientOptions.ApiKeyEnvironmentVariable);
        var options = new FirecrawlClientOptions
        {
            ApiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey,
            BaseAddress = ParseUrl(command.ApiUrl ?? environment(FirecrawlClientOptions.BaseAddressEnvironmentVariable)),
            ApiVersion = command.ApiVersion,
            LoggerFactory = logging,
            RateLimitGate = gate,
        };
        configure?.Invoke(options);
        return new FirecrawlClient(options);
    }

    /// <summary>
    /// The gate shared through Redis when <c>--redis</c> or <c>FIRECRAWL_REDIS</c> names one: every process pointed at it
    /// paces as one. Redis being down is not an error; the gate stands in locally.
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

    private static Uri? ParseUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? url)
            ? url
            : throw new ArgumentException("The server address is not an absolute URL such as https://api.firecrawl.dev or http://localhost:3002 (--api-url or FIRECRAWL_API_URL).", nameof(text));
    }
}
