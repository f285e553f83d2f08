using System.CommandLine;
using System.Net;
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
          firecrawl emulator [--port 3002] [--control]   Serve a standalone Firecrawl for tests until Ctrl+C

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
    private static readonly string[] Flags = ["--json", "--dry-run", "--all-active", "--control", "--allow-remote"];

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
            "--port" => ": expected a whole number from 0 (a free port) to 65535",
            "--host" => ": expected an IP address, such as 127.0.0.1 or ::1, or localhost",
            "--accept-key" => ": a key is 'fc-' followed by 32 hex digits",
            "--rate-limit" => ": expected a whole number from 1 to 1000000",
            "--rate-limit-window" => ": expected a duration from 100ms to 24h, such as 60s, 1m or 1500ms",
            "--json" => ": it takes no value",
            _ => ": it needs a value",
        };

    /// <summary>The command tree. Each command's action lives in its own file under <c>Commands/</c>.</summary>
    private sealed class Commands
    {
        public Commands(CliConsole console, Func<string, string?> environment, Action<FirecrawlClientOptions>? configure)
        {
            // The client options are given before the noun (firecrawl --json crawl cancel x) or anywhere after it, and
            // only where they do something: firecrawl emulator's help does not list a key it never uses.
            ClientOptions global = ClientOptions.Create(recursive: false);
            var profile = new Option<string>("--profile") { Description = "Which server to answer like", HelpName = "self-hosted|newer-cloud", DefaultValueFactory = static _ => "self-hosted" };
            profile.AcceptOnlyFromAmong("self-hosted", "newer-cloud");

            Root = new RootCommand(Summary);
            global.AddTo(Root);
            foreach (JobKind kind in JobKind.All)
            {
                ClientOptions local = ClientOptions.Create(recursive: true);
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
                var allActive = new Option<bool>("--all-active") { Description = $"Cancel every active {kind.Noun} of the team" };
                var cancel = new Command("cancel", $"Cancel {kind.Noun} jobs (DELETE {kind.Route})") { ids, fromFile, concurrency, dryRun, redis };
                if (kind.ListsActive)
                {
                    cancel.Add(allActive);
                }

                cancel.SetAction(async (parsed, token) =>
                {
                    bool all = kind.ListsActive && parsed.GetValue(allActive);
                    (List<string>? jobIds, string? problem) = await ReadIdsAsync(parsed.GetValue(ids) ?? [], parsed.GetValue(fromFile), all, console.In, cancel).ConfigureAwait(false);
                    if (problem is not null)
                    {
                        return await UsageAsync(console.Error, [problem]).ConfigureAwait(false);
                    }

                    string? version = parsed.GetValue(local.ApiVersion) ?? parsed.GetValue(global.ApiVersion);
                    var request = new CancelRequest(
                        Kind: kind,
                        JobId: jobIds!.FirstOrDefault() ?? string.Empty,
                        ApiKey: parsed.GetValue(local.ApiKey) ?? parsed.GetValue(global.ApiKey),
                        ApiUrl: parsed.GetValue(local.ApiUrl) ?? parsed.GetValue(global.ApiUrl),
                        ApiVersion: version is "v2" or "2" ? FirecrawlApiVersion.V2 : FirecrawlApiVersion.V1,
                        Json: parsed.GetValue(local.Json) || parsed.GetValue(global.Json),
                        Redis: parsed.GetValue(redis) is { Length: > 0 } shared ? shared : environment(RedisEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
                    var settings = new BulkSettings(parsed.GetValue(concurrency), parsed.GetValue(dryRun), all);

                    // Exactly one id, given as an argument: the single-job command, whose output scripts already rely on.
                    return jobIds!.Count == 1 && !all && !settings.DryRun && parsed.GetValue(fromFile) is null
                        ? await CancelCommand.RunAsync(request, console, environment, configure, token).ConfigureAwait(false)
                        : await BulkCancelCommand.RunAsync(request, jobIds, settings, console, environment, configure, token).ConfigureAwait(false);
                });
                var noun = new Command(kind.Command, kind.Description) { cancel };
                local.AddTo(noun);
                Root.Add(noun);
            }

            var demo = new Command("demo", "Run an offline demo against a local Firecrawl emulator");
            demo.SetAction((_, token) => DemoCommand.RunAsync(console.Out, token));
            Root.Add(demo);
            Root.Add(EmulatorCommandLine(console, profile));
        }

        /// <summary><c>firecrawl emulator</c> and its options, each checked before the server starts.</summary>
        private static Command EmulatorCommandLine(CliConsole console, Option<string> profile)
        {
            var port = new Option<int>("--port") { Description = "The port to listen on, by default the real server's; 0 picks a free one", HelpName = "n", DefaultValueFactory = static _ => EmulatorCommand.DefaultPort };
            port.Validators.Add(static result =>
            {
                if (result.GetValueOrDefault<int>() is < 0 or > 65535)
                {
                    result.AddError("--port");
                }
            });
            var host = new Option<string>("--host") { Description = "The address to listen on (default: 127.0.0.1); any other than loopback needs --allow-remote", HelpName = "address" };
            host.Validators.Add(static result =>
            {
                if (ParseHost(result.GetValueOrDefault<string>()) is null)
                {
                    result.AddError("--host");
                }
            });
            var allowRemote = new Option<bool>("--allow-remote") { Description = "Let --host be an address beyond this machine, although the emulator has no real security" };
            var acceptKey = new Option<string[]>("--accept-key") { Description = "A key to accept, its own team; repeat for more teams (default: none, the keyless self-hosted mode)", HelpName = "key", AllowMultipleArgumentsPerToken = false };
            acceptKey.Validators.Add(static result =>
            {
                if ((result.GetValueOrDefault<string[]>() ?? []).Any(static key => !IsKey(key)))
                {
                    result.AddError("--accept-key");
                }
            });
            var rateLimit = new Option<int?>("--rate-limit") { Description = "Cancels, status reads and active-crawl lists each team may make per window, then Firecrawl's 429 (default: no limit)", HelpName = "n" };
            rateLimit.Validators.Add(static result =>
            {
                if (result.GetValueOrDefault<int?>() is < 1 or > 1_000_000)
                {
                    result.AddError("--rate-limit");
                }
            });
            var rateLimitWindow = new Option<string>("--rate-limit-window") { Description = "The rate-limit window, per team and mode (default: 60s)", HelpName = "duration" };
            rateLimitWindow.Validators.Add(static result =>
            {
                if (result.GetValueOrDefault<string>() is { } text && !EmulatorSettings.TryParseDuration(text, out _))
                {
                    result.AddError("--rate-limit-window");
                }
            });
            var control = new Option<bool>("--control") { Description = "Serve the control API under /__emulator/: create jobs in a state, queue faults, read requests, reset" };
            var json = new Option<bool>("--json") { Description = "Print the ready line as a JSON object (url, port, profile, keys, rate limit, control)" };

            var emulator = new Command("emulator", "Serve a standalone Firecrawl for tests in any language until Ctrl+C or SIGTERM")
            {
                port, host, allowRemote, acceptKey, rateLimit, rateLimitWindow, profile, control, json,
            };
            emulator.SetAction(async (parsed, token) =>
            {
                IPAddress address = ParseHost(parsed.GetValue(host)) ?? IPAddress.Loopback;
                if (!IPAddress.IsLoopback(address) && !parsed.GetValue(allowRemote))
                {
                    return await UsageAsync(console.Error, ["--host is not a loopback address: the emulator has no real security, so serving beyond this machine needs --allow-remote as well."]).ConfigureAwait(false);
                }

                if (parsed.GetResult(rateLimitWindow) is not null && parsed.GetValue(rateLimit) is null)
                {
                    return await UsageAsync(console.Error, ["--rate-limit-window needs --rate-limit: without a limit there is no window."]).ConfigureAwait(false);
                }

                TimeSpan window = EmulatorSettings.TryParseDuration(parsed.GetValue(rateLimitWindow) ?? "60s", out TimeSpan parsedWindow) ? parsedWindow : TimeSpan.FromSeconds(60);
                var settings = new EmulatorSettings(
                    address,
                    parsed.GetValue(port),
                    [.. (parsed.GetValue(acceptKey) ?? []).Distinct(StringComparer.Ordinal)],
                    parsed.GetValue(rateLimit),
                    window,
                    parsed.GetValue(profile) == "newer-cloud",
                    parsed.GetValue(control),
                    parsed.GetValue(json));
                return await EmulatorCommand.RunAsync(settings, console, token).ConfigureAwait(false);
            });
            return emulator;
        }

        private static IPAddress? ParseHost(string? text) =>
            text is null ? IPAddress.Loopback
            : text.Trim().Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(text.Trim().Trim('[', ']'), out IPAddress? address) ? address
            : null;

        /// <summary>A key the real server could ever accept, checked here so a typo is a usage error, not a failed start.</summary>
        private static bool IsKey(string key) =>
            key.Length == 35 && key.StartsWith("fc-", StringComparison.Ordinal) && key.AsSpan(3).IndexOfAnyExcept(HexDigits) < 0;

        private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

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

/// <summary>The options of a command that talks to a Firecrawl server, made once for the root and once per noun.</summary>
internal sealed record ClientOptions(Option<string> ApiKey, Option<string> ApiUrl, Option<string> ApiVersion, Option<bool> Json)
{
    public static ClientOptions Create(bool recursive)
    {
        var apiVersion = new Option<string>("--api-version") { Description = "Route version (default: v1)", HelpName = "v1|v2", Recursive = recursive };
        apiVersion.AcceptOnlyFromAmong("v1", "v2", "1", "2");
        return new ClientOptions(
            new Option<string>("--api-key") { Description = "API key (default: FIRECRAWL_API_KEY; none means no Authorization header)", HelpName = "key", Recursive = recursive },
            new Option<string>("--api-url") { Description = "Server address (default: FIRECRAWL_API_URL, then https://api.firecrawl.dev)", HelpName = "url", Recursive = recursive },
            apiVersion,
            new Option<bool>("--json") { Description = "Print the result or the error as JSON on stdout (one object per line for many jobs)", Recursive = recursive });
    }

    public void AddTo(Command command)
    {
        command.Add(ApiKey);
        command.Add(ApiUrl);
        command.Add(ApiVersion);
        command.Add(Json);
    }
}

/// <summary>A cancel, as the command line asked for it.</summary>
internal sealed record CancelRequest(JobKind Kind, string JobId, string? ApiKey, string? ApiUrl, FirecrawlApiVersion ApiVersion, bool Json, string? Redis = null);
