using Firecrawl.Client.Testing;

namespace Firecrawl.Cli;

/// <summary>
/// <c>firecrawl emulator</c>: serves a local Firecrawl emulator until Ctrl+C, for trying a client, a script or another
/// SDK against a server that answers like the real one, with no network and no account.
/// </summary>
internal static class EmulatorCommand
{
    public static async Task<int> RunAsync(bool newerCloud, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new FirecrawlEmulatorOptions
        {
            Profile = newerCloud ? FirecrawlServerProfile.NewerCloud : FirecrawlServerProfile.SelfHosted2025,
            RecordRequests = false,
        };
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
        string running = emulator.CreateCrawlJob();
        await output.WriteLineAsync($"Firecrawl emulator ({options.Profile}) listening on {emulator.BaseAddress}").ConfigureAwait(false);
        await output.WriteLineAsync($"A running crawl to cancel: {running}. Stop with Ctrl+C.").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: a normal way to stop.
        }

        return ExitCodes.Success;
    }
}
