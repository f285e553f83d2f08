using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using Firecrawl.Client;

namespace Firecrawl.Cli;

/// <summary>
/// The command line, declared once with System.CommandLine (help, <c>--name=value</c>, response files, suggestions and
/// shell completion come with it), and run against the given writers and environment so tests run the real command
/// in-process. Parse errors are written here, not by the library, because its messages quote the offending token,
/// which may be a key.
/// </summary>
internal static class FirecrawlCli
{
    private const string Summary = """
        Stop Firecrawl jobs: cancel batch scrapes and crawls, with typed exit codes.

        Usage:
          firecrawl batch-scrape cancel <id>... [options]   Cancel batch scrape jobs
          firecrawl crawl cancel <id>... [options]          Cancel crawl jobs
          firecrawl crawl cancel --all-active [--dry-run]   Cancel every active crawl of the team
          firecrawl demo                                 Run an offline demo against a local Firecrawl emulator
          firecrawl emulator [--profile <p>]             Serve a local emulator until Ctrl+C (self-hosted or newer-cloud)

        Ids come as arguments, one per line from --from-file <path> ('-' reads stdin; blank lines and lines starting
        with # are skipped), or from --all-active. Many jobs are cancelled --concurrency at a time (default 8) at the
        pace of the team's rate limit.

        Exit codes: 0 every job cancelled or already completed, 2 usage error, 3 not found,
                    4 unauthorized or forbidden, 5 rate limited, 6 server or network failure,
                    7 some jobs of a bulk cancel not stopped, 130 interrupted (Ctrl+C).
        """;

    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        Func<string, string?>? environment,
        Action<FirecrawlClientOptions>? configure,
        CancellationToken cancellationToken,
        TextReader? stdin = null,
        bool? stderrIsTerminal = null)
    {
        // A flag given a value in the GNU form (--json=x) would leave the value behind as an id; name the flag instead,
        // and never the value.
        if (args.FirstOrDefault(static a => Flags.Any(f => a.StartsWith(f + "=", StringComparison.Ordinal) || a.StartsWith(f + ":", StringComparison.Ordinal))) is { } flag)
        {
            return await UsageAsync(stderr, [$"{flag.Split('=', ':')[0]} takes no value."]).ConfigureAwait(false);
        }

        var console = new CliConsole(stdout, stderr, stdin ?? Console.In, stderrIsTerminal ?? !Console.IsErrorRedirected);
        var cli = new Commands(console, environment ?? Environment.GetEnvironmentVariable, configure);
        ParseResult parsed = cli.Root.Parse(args);

        // Shell completion ([suggest:N] from dotnet-suggest) answers with the names that fit, whatever else is on the line.
        bool completing = cli.Root.Directives.OfType<SuggestDirective>().Any(directive => parsed.GetResult(directive) is not null);
        if (parsed.Errors.Count > 0 && !AsksForHelp(parsed) && !completing)
        {
            return await UsageAsync(stderr, Describe(parsed).Distinct(StringComparer.Ordinal)).ConfigureAwait(false);
        }

        try
        {
            // Ctrl+C is wired by the caller into cancellationToken; the library must not install a handler of its own.
            var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>Writes what is wrong and the usage summary; the exit code of a usage error.</summary>
    private static async Task<int> UsageAsync(TextWriter stderr, IEnumerable<string> problems)
    {
        foreach (string problem in problems)
        {
            await stderr.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
        }

        await stderr.WriteLineAsync().ConfigureAwait(false);
        await stderr.WriteLineAsync(Summary).ConfigureAwait(false);
        await stderr.WriteLineAsync("Run 'firecrawl --help' for every option.").ConfigureAwait(false);
        return ExitCodes.Usage;
    }

    private static bool AsksForHelp(ParseResult parsed) =>
        parsed.Tokens.Any(static t => t.Type == TokenType.Option && t.Value is "-h" or "--help" or "-?" or "/?" or "/h");

    /// <summary>The environment variable that names the Redis a fleet of <c>firecrawl</c> processes paces through.</summary>
    public const string RedisEnvironmentVariable = "FIRECRAWL_REDIS";

    /// <summary>What is wrong, in words that name options and commands but never repeat a value the user typed.</summary>
    private static readonly string[] Flags = ["--json", "--dry-run", "--all-active"];

    private static IEnumerable<string> Describe(ParseResult parsed)
    {
        Command parsedCommand = parsed.CommandResult.Command;
        foreach (string token in parsed.UnmatchedTokens)
        {
            if (token.StartsWith('-'))
            {
                string name = token.Split('=', ':')[0];
                yield return UnknownOption(name, parsedCommand);
            }
            else
            {
                // The token is not repeated: a stray argument may be a key pasted in the wrong place.
                string suggestion = DidYouMean(token, parsedCommand.Subcommands.Select(static c => c.Name));
                yield return suggestion.Length > 0
                    ? $"Unknown command.{suggestion}"
                    : "Unexpected argument: every command takes at most the options listed below.";
            }
        }

        foreach (ParseError error in parsed.Errors)
        {
            switch (error.SymbolResult)
            {
                case OptionResult option:
                    yield return $"The value of {option.Option.Name} is not valid{Expected(option.Option)}.";
                    break;
                case ArgumentResult { Argument.Name: "id" }:
                case CommandResult { Command.Name: "cancel" }:
                    yield return $"Missing the job id: firecrawl {parsed.CommandResult.Command.Parents.OfType<Command>().FirstOrDefault()?.Name ?? "batch-scrape"} cancel <id>.";
                    break;
                case CommandResult command when parsed.UnmatchedTokens.Count == 0:
                    yield return command.Command is RootCommand
                        ? "No command given."
                        : $"'{command.Command.Name}' needs an action: firecrawl {command.Command.Name} cancel <id>.";
                    break;
            }
        }
    }

    /// <summary>"Unknown option '--jsn'. Did you mean '--json'?", from the options <paramref name="command"/> takes.</summary>
    private static string UnknownOption(string name, Command command)
    {
        var inherited = new List<Option>();
        for (Command? parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            inherited.AddRange(parent.Options.Where(static o => o.Recursive));
        }

        IEnumerable<string> known = command.Options.Concat(inherited).Select(static o => o.Name).Append("--help");
        return $"Unknown option '{TerminalText.Clean(name)}'.{DidYouMean(name, known)}";
    }

    /// <summary>" Did you mean '--json'?" when one known name is within two edits of what was typed, or starts with it.</summary>
    private static string DidYouMean(string typed, IEnumerable<string> known)
    {
        string? best = known
            .Select(name => (Name: name, Distance: Distance(typed, name)))
            .Where(candidate => candidate.Distance <= 2 || (typed.Length > 2 && candidate.Name.StartsWith(typed, StringComparison.Ordinal)))
            .OrderBy(static candidate => candidate.Distance)
            .Select(static candidate => candidate.Name)
            .FirstOrDefault();
        return best is null ? string.Empty : $" Did you mean '{best}'?";
    }

    /// <summary>The Levenshtein distance: the fewest single-character edits that turn one name into the other.</summary>
    private static int Distance(string a, string b)
    {
        int[] previous = [.. Enumerable.Range(0, b.Length + 1)];
        for (int i = 1; i <= a.Length; i++)
        {
            int[] current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static string Expected(Option option) =>
        option.Name switch
        {
            "--api-version" => ": expected v1 or v2",
            "--profile" => ": expected self-hosted or newer-cloud",
            "--concurrency" => ": expected a whole number from 1 to 1000",
            "--json" => ": it takes no value",
            _ => ": it needs a value",
        };

    /// <summary>The command tree. Each command's action lives in its own file under <c>Commands/</c>.</summary>
    private sealed class Commands
    {
        public Commands(CliConsole console, Func<string, string?> environment, Action<FirecrawlClientOptions>? configure)
        {
            var apiKey = new Option<string>("--api-key") { Description = "API key (default: FIRECRAWL_API_KEY; none means no Authorization header)", HelpName = "key", Recursive = true };
            var apiUrl = new Option<string>("--api-url") { Description = "Server address (default: FIRECRAWL_API_URL, then https://api.firecrawl.dev)", HelpName = "url", Recursive = true };
            var apiVersion = new Option<string>("--api-version") { Description = "Route version", HelpName = "v1|v2", DefaultValueFactory = static _ => "v1", Recursive = true };
            apiVersion.AcceptOnlyFromAmong("v1", "v2", "1", "2");
            var json = new Option<bool>("--json") { Description = "Print the result or the error as JSON on stdout (one object per line for many jobs)", Recursive = true };
            var profile = new Option<string>("--profile") { Description = "Which server to answer like", HelpName = "self-hosted|newer-cloud", DefaultValueFactory = static _ => "self-hosted" };
            profile.AcceptOnlyFromAmong("self-hosted", "newer-cloud");

            Root = new RootCommand(Summary) { apiKey, apiUrl, apiVersion, json };
            foreach ((string name, string what) in new[] { ("batch-scrape", "Batch scrape jobs"), ("crawl", "Crawl jobs") })
            {
                bool crawl = name == "crawl";
                var ids = new Argument<string[]>("id") { Description = "The job ids, as Firecrawl returned them", Arity = ArgumentArity.ZeroOrMore };
                var fromFile = new Option<string>("--from-file") { Description = "Read ids from a file, one per line ('-' reads stdin; blank lines and # comments are skipped)", HelpName = "path" };
                var concurrency = new Option<int>("--concurrency") { Description = "How many cancels are in flight at once", HelpName = "n", DefaultValueFactory = static _ => BulkCancelOptions.DefaultMaxConcurrency };
                concurrency.Validators.Add(static result =>
                {
                    if (result.GetValueOrDefault<int>() is < 1 or > 1000)
                    {
                        result.AddError("--concurrency must be between 1 and 1000.");
                    }
                });
                var dryRun = new Option<bool>("--dry-run") { Description = "List what would be cancelled and cancel nothing" };
                var redis = new Option<string>("--redis") { Description = "Pace with every process that uses this Redis (a StackExchange.Redis configuration string; default: FIRECRAWL_REDIS)", HelpName = "configuration" };
                var allActive = new Option<bool>("--all-active") { Description = "Cancel every active crawl of the team" };
                var cancel = new Command("cancel", $"Cancel {(crawl ? "crawl" : "batch scrape")} jobs") { ids, fromFile, concurrency, dryRun, redis };
                if (crawl)
                {
                    cancel.Add(allActive);
                }

                cancel.SetAction(async (parsed, token) =>
                {
                    bool all = crawl && parsed.GetValue(allActive);
                    (List<string>? jobIds, string? problem) = await ReadIdsAsync(parsed.GetValue(ids) ?? [], parsed.GetValue(fromFile), all, console.In, cancel).ConfigureAwait(false);
                    if (problem is not null)
                    {
                        return await UsageAsync(console.Error, [problem]).ConfigureAwait(false);
                    }

                    var request = new CancelRequest(
                        Crawl: crawl,
                        JobId: jobIds!.FirstOrDefault() ?? string.Empty,
                        ApiKey: parsed.GetValue(apiKey),
                        ApiUrl: parsed.GetValue(apiUrl),
                        ApiVersion: parsed.GetValue(apiVersion) is "v2" or "2" ? FirecrawlApiVersion.V2 : FirecrawlApiVersion.V1,
                        Json: parsed.GetValue(json),
                        Redis: parsed.GetValue(redis) is { Length: > 0 } shared ? shared : environment(RedisEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
                    var settings = new BulkSettings(parsed.GetValue(concurrency), parsed.GetValue(dryRun), all);

                    // Exactly one id, given as an argument: the single-job command, whose output scripts already rely on.
                    return jobIds!.Count == 1 && !all && !settings.DryRun && parsed.GetValue(fromFile) is null
                        ? await CancelCommand.RunAsync(request, console, environment, configure, token).ConfigureAwait(false)
                        : await BulkCancelCommand.RunAsync(request, jobIds, settings, console, environment, configure, token).ConfigureAwait(false);
                });
                Root.Add(new Command(name, what) { cancel });
            }

            var demo = new Command("demo", "Run an offline demo against a local Firecrawl emulator");
            demo.SetAction((_, token) => DemoCommand.RunAsync(console.Out, token));
            Root.Add(demo);

            var emulator = new Command("emulator", "Serve a local Firecrawl emulator until Ctrl+C") { profile };
            emulator.SetAction((parsed, token) => EmulatorCommand.RunAsync(parsed.GetValue(profile) == "newer-cloud", console.Out, token));
            Root.Add(emulator);
        }

        public RootCommand Root { get; }

        /// <summary>The ids from the arguments and the file, in order, or what is wrong with the command line.</summary>
        private static async Task<(List<string>? Ids, string? Problem)> ReadIdsAsync(string[] arguments, string? fromFile, bool allActive, TextReader stdin, Command command)
        {
            // The id list takes any token, so an option this command does not have lands in it; no id starts with '-'.
            if (arguments.FirstOrDefault(static a => a.Length > 1 && a.StartsWith('-')) is { } option)
            {
                return (null, UnknownOption(option.Split('=', ':')[0], command));
            }

            if (allActive)
            {
                return arguments.Length > 0 || fromFile is not null
                    ? (null, "--all-active takes no ids: it cancels every active crawl of the team.")
                    : ([], null);
            }

            var ids = new List<string>(arguments);
            if (fromFile is not null)
            {
                try
                {
                    TextReader reader = fromFile == "-" ? stdin : new StreamReader(fromFile);
                    using (fromFile == "-" ? null : reader)
                    {
                        // ReadLineAsync on a file reader: a file of 100,000 ids is read line by line.
                        while (await reader!.ReadLineAsync().ConfigureAwait(false) is { } line)
                        {
                            string id = line.Trim();
                            if (id.Length > 0 && !id.StartsWith('#'))
                            {
                                ids.Add(id);
                            }
                        }
                    }
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    return (null, $"Cannot read --from-file: {TerminalText.Clean(error.Message)}");
                }
            }

            return ids.Count == 0
                ? (null, "No job ids given: pass them as arguments, with --from-file, or (for crawls) use --all-active.")
                : (ids, null);
        }
    }
}

/// <summary>A cancel, as the command line asked for it.</summary>
internal sealed record CancelRequest(bool Crawl, string JobId, string? ApiKey, string? ApiUrl, FirecrawlApiVersion ApiVersion, bool Json, string? Redis = null);
