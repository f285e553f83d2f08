using System.Runtime.InteropServices;

namespace Firecrawl.Cli;

/// <summary>The process entry point: wires Ctrl+C and SIGTERM to cancellation and hands over to <see cref="FirecrawlCli"/>.</summary>
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

        // A container runtime, systemd or a test harness stops a process with SIGTERM: treat it as Ctrl+C, so a cancel
        // run reports what it stopped and the emulator closes its port, rather than the runtime killing it mid-write.
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });

        return await FirecrawlCli.RunAsync(args, Console.Out, Console.Error, environment: null, configure: null, cancellation.Token)
            .ConfigureAwait(false);
    }
}
