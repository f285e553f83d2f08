using System.Diagnostics;
using System.Globalization;
using Firecrawl.Client.Testing;

namespace Firecrawl.Cli.Tests;

/// <summary>A container runtime or a test harness stops a process with SIGTERM; a cancel takes it as Ctrl+C.</summary>
public sealed class SignalTests
{
    [Fact]
    public async Task Cancel_GetsSigterm_ExitsAsInterrupted()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.Enqueue(EmulatorFault.DelayBeforeHeaders(TimeSpan.FromMinutes(5)));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "firecrawl.dll"), "batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        try
        {
            // Signal once the request is in flight, held by the delay: the process is then past start-up.
            while (emulator.Requests.Count == 0 && !process.HasExited)
            {
                await Task.Delay(20);
            }

            using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(130, process.ExitCode);
            Assert.Contains("Interrupted.", await errors, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
