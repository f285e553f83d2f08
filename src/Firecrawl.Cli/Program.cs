namespace Firecrawl.Cli;

/// <summary>The process entry point: wires Ctrl+C to cancellation and hands over to <see cref="FirecrawlCli"/>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        return await FirecrawlCli.RunAsync(args, Console.Out, Console.Error, environment: null, configure: null, cancellation.Token)
            .ConfigureAwait(false);
    }
}
