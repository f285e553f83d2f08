using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using Firecrawl.Client;

namespace Firecrawl.Cli;

/// <summary>
/// The command line, declared once with System.CommandLine (help, usage, <c>--name=value</c>, response files,
/// suggestions and shell completion come with it), and run against the given writers and environment so tests run the
/// real command in-process. Each command is declared in its own file under <c>Commands/</c>. Errors are written here,
/// not by the library, because its messages for unknown tokens quote them, and a stray token may be a key.
/// </summary>
internal static class FirecrawlCli
{
    /// <summary>What the root's help says besides its commands and options: what it is for, and the exit codes.</summary>
    private const string Description = """
        Stop Firecrawl jobs: cancel batch scrapes, crawls and agent jobs, one or many, at the pace of the team's
        rate limit, with typed exit codes; --wait then waits until each job has settled and says what it came to.
        Ids come as arguments, one per line from --from-file <path> ('-' reads stdin), or from --all-active.

        Exit codes: 0 every job cancelled or already completed, 2 usage error, 3 not found,
                    4 unauthorized or forbidden, 5 rate limited, 6 server or network failure,
                    7 some jobs of a bulk cancel not stopped, 8 stopped but not settled in time (--wait),
                    130 interrupted (Ctrl+C).
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
        var console = new CliConsole(stdout, stderr, stdin ?? Console.In, stderrIsTerminal ?? !Console.IsErrorRedirected);
        var context = new CliContext(console, environment ?? Environment.GetEnvironmentVariable, configure);
        RootCommand root = Build(context);

        // A flag given a value in the GNU form (--json=x) would leave the value behind as an id; name the flag instead,
        // and never the value.
        if (args.FirstOrDefault(a => Flags(root).Any(f => a.StartsWith(f + "=", StringComparison.Ordinal) || a.StartsWith(f + ":", StringComparison.Ordinal))) is { } flag)
        {
            return await context.UsageAsync(root, [$"{flag.Split('=', ':')[0]} takes no value."]).ConfigureAwait(false);
        }

        ParseResult parsed = root.Parse(args);

        // Shell completion ([suggest:N] from dotnet-suggest) answers with the names that fit, whatever else is on the line.
        bool completing = root.Directives.OfType<SuggestDirective>().Any(directive => parsed.GetResult(directive) is not null);
        if (parsed.Errors.Count > 0 && !AsksForHelp(parsed) && !completing)
        {
            return await context.UsageAsync(parsed.CommandResult.Command, Describe(parsed).Distinct(StringComparer.Ordinal)).ConfigureAwait(false);
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

    /// <summary>The command tree: the client options on the root, a noun per kind of job, the demo and the emulator.</summary>
    internal static RootCommand Build(CliContext context)
    {
        // The client options are given before the noun (firecrawl --json crawl cancel x) or anywhere after it, and only
        // where they do something: firecrawl emulator's help does not list a key it never uses.
        ClientOptions global = ClientOptions.Create(recursive: false);
        var root = new RootCommand(Description);
        global.AddTo(root);
        foreach (FirecrawlJobKind kind in FirecrawlJobKind.All)
        {
            ClientOptions local = ClientOptions.Create(recursive: true);
            var noun = new Command(kind.Name, char.ToUpperInvariant(kind.Noun[0]) + kind.Noun[1..] + "s") { CancelCommand.Create(kind, local, global, context) };
            local.AddTo(noun);
            root.Add(noun);
        }

        root.Add(DemoCommand.Create(context));
        root.Add(EmulatorCommand.Create(context));
        return root;
    }

    private static bool AsksForHelp(ParseResult parsed) =>
        parsed.Tokens.Any(static t => t.Type == TokenType.Option && t.Value is "-h" or "--help" or "-?" or "/?" or "/h");

    /// <summary>The options that take no value, anywhere in the tree.</summary>
    private static IEnumerable<string> Flags(Command command) =>
        command.Options.Where(static o => o.ValueType == typeof(bool)).Select(static o => o.Name)
            .Concat(command.Subcommands.SelectMany(Flags))
            .Distinct(StringComparer.Ordinal);

    /// <summary>What is wrong, in words that name options and commands but never repeat a value the user typed.</summary>
    private static IEnumerable<string> Describe(ParseResult parsed)
    {
        Command parsedCommand = parsed.CommandResult.Command;
        foreach (string token in parsed.UnmatchedTokens)
        {
            if (token.StartsWith('-'))
            {
                yield return UnknownOption(token.Split('=', ':')[0], parsedCommand);
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
                // Our own words, declared with the option (CliOptions): they name it and never echo its value.
                case OptionResult or ArgumentResult when error.Message.StartsWith("The value of ", StringComparison.Ordinal)
                    || error.Message.StartsWith("--", StringComparison.Ordinal):
                    yield return error.Message;
                    break;
                case OptionResult option:
                    yield return $"{option.Option.Name} needs a value.";
                    break;
                case CommandResult command when parsed.UnmatchedTokens.Count == 0:
                    yield return command.Command is RootCommand
                        ? "No command given."
                        : command.Command.Subcommands.Count > 0
                            ? $"'{command.Command.Name}' needs an action: firecrawl {command.Command.Name} {command.Command.Subcommands[0].Name} <id>."
                            : error.Message;
                    break;
            }
        }
    }

    /// <summary>"Unknown option '--jsn'. Did you mean '--json'?", from the options <paramref name="command"/> takes.</summary>
    internal static string UnknownOption(string name, Command command)
    {
        var inherited = new List<Option>();
        for (Command? parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            inherited.AddRange(parent.Options.Where(static o => o.Recursive));
        }

        IEnumerable<string> known = command.Options.Concat(inherited).Select(static o => o.Name).Append("--help");
        return $"Unknown option {InputText.Quote(name)}.{DidYouMean(name, known)}";
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
        if (a.Length > 64)
        {
            return int.MaxValue;
        }

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
}

/// <summary>What every command's action needs: the streams, the environment, and the tests' hook on the client options.</summary>
internal sealed record CliContext(CliConsole Console, Func<string, string?> Environment, Action<FirecrawlClientOptions>? Configure)
{
    /// <summary>
    /// Writes what is wrong, then the command's usage as System.CommandLine renders it for <c>--help</c> (a command line
    /// that does not parse), or only where to find it (a value that parsed but cannot be used); the exit code of a
    /// usage error.
    /// </summary>
    public async Task<int> UsageAsync(Command command, IEnumerable<string> problems, bool showHelp = true)
    {
        TextWriter stderr = Console.Error;
        foreach (string problem in problems)
        {
            await stderr.WriteLineAsync($"error: {TerminalText.Clean(problem)}").ConfigureAwait(false);
        }

        var path = new List<string> { "--help" };
        Command root = command;
        while (root.Parents.OfType<Command>().FirstOrDefault() is { } parent)
        {
            path.Insert(0, root.Name);
            root = parent;
        }

        if (!showHelp)
        {
            await stderr.WriteLineAsync($"Run 'firecrawl {string.Join(' ', path)}' for its usage and options.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await stderr.WriteLineAsync().ConfigureAwait(false);
        await root.Parse(path).InvokeAsync(new InvocationConfiguration { Output = stderr, Error = stderr }).ConfigureAwait(false);
        return ExitCodes.Usage;
    }
}

/// <summary>The streams a command uses, and whether stderr is a terminal (only then is a live progress line drawn).</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, bool ErrorIsTerminal);

/// <summary>How the command line prints an exception: in a person's words.</summary>
internal static class CliText
{
    /// <summary>
    /// The message, without the <c>(Parameter 'id')</c> an <see cref="ArgumentException"/> appends: it names a parameter
    /// of a library, not anything the person typed; the message itself already names the input.
    /// </summary>
    public static string Message(Exception error)
    {
        string message = error.Message;
        if (error is ArgumentException { ParamName: { } name })
        {
            string suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                message = message[..^suffix.Length];
            }
        }

        return message;
    }
}

/// <summary>How a job id is shown in a line of output.</summary>
internal static class JobText
{
    /// <summary>As it is when it is as short as an id can be; otherwise its start and its length, never a megabyte of it.</summary>
    public static string Shown(string id) => id.Length <= InputText.MaxQuoted ? id : InputText.Quote(id);
}
