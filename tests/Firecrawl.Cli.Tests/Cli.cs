using System.Text.Json.Serialization;

namespace Firecrawl.Cli.Tests;

/// <summary>Runs the real command in-process, with its output captured and a short back-off.</summary>
internal static class Cli
{
    public static Task<Run> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), CancellationToken.None, args);

    public static Task<Run> RunAsync(Dictionary<string, string?> environment, CancellationToken cancellationToken, params string[] args) =>
        RunWithInputAsync(string.Empty, environment, cancellationToken, args);

    public static Task<Run> RunWithInputAsync(string stdin, Dictionary<string, string?> environment, CancellationToken cancellationToken, params string[] args) =>
        RunOnAsync(terminal: false, stdin, environment, cancellationToken, args);

    /// <summary>Runs the command as if stderr were a terminal, or not: the live lines are drawn only on one.</summary>
    public static async Task<Run> RunOnAsync(bool terminal, string stdin, Dictionary<string, string?> environment, CancellationToken cancellationToken, params string[] args)
    {
        using var input = new StringReader(stdin);
        return await RunOnAsync(terminal, input, environment, cancellationToken, args);
    }

    /// <summary>Runs the command with standard input from a reader of the test's own (one that streams, or blocks).</summary>
    public static async Task<Run> RunOnAsync(bool terminal, TextReader input, Dictionary<string, string?> environment, CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await FirecrawlCli.RunAsync(
            args,
            stdout,
            stderr,
            name => environment.TryGetValue(name, out string? value) ? value : null,
            options =>
            {
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);

                // The command line has no option for it: short, so a --wait test settles in a second, not in five.
                options.SettleInterval = TimeSpan.FromMilliseconds(300);
            },
            cancellationToken,
            input,
            stderrIsTerminal: terminal);
        return new Run(code, stdout.ToString(), stderr.ToString());
    }

    internal sealed record Run(int ExitCode, string Out, string Err);
}

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class CliJson : JsonSerializerContext;
