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
          firecrawl emulator [--profile <p>]             Serve a local emulator until Ctrl+C (self-hosted or newer-cloud)

        Options:
          --api-key <key>         API key (default: FIRECRAWL_API_KEY; none means no Authorization header)
          --api-url <url>         Server address (default: FIRECRAWL_API_URL, then https://api.firecrawl.dev)
          --api-version <v1|v2>   Route version (default: v1)
          --json                  Print the result or the error as one JSON object on stdout
          -h, --help              Show this help
          --version               Show the version

        Exit codes: 0 cancelled or already completed, 2 usage error, 3 not found,
                    4 unauthorized or forbidden, 5 rate limited, 6 server or network failure,
                    130 interrupted (Ctrl+C).
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
                    return await DemoCommand.RunAsync(stdout, cancellationToken).ConfigureAwait(false);
                case "emulator":
                    return await EmulatorCommand.RunAsync(command.NewerCloud, stdout, cancellationToken).ConfigureAwait(false);
                default:
                    return await CancelCommand.RunAsync(command, stdout, stderr, environment, configure, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }
}
