using System.Diagnostics;

namespace Firecrawl.Cli.Tests;

/// <summary>A process that hosts a running emulator must still stop on SIGTERM and on Ctrl+C.</summary>
public sealed class EmulatorHostTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Emulator_HostProcessGetsASignal_TheProcessExits(string signal)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "firecrawl.dll"), "emulator" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        try
        {
            string? first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("Firecrawl emulator (SelfHosted2025) listening on http://127.0.0.1:", first, StringComparison.Ordinal);

            // The second line is written just before the command waits: a signal now meets a settled process.
            string? second = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("A running crawl to cancel:", second, StringComparison.Ordinal);

            using (Process kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            // Well before anyone would give up on it; a process that swallowed the signal never exits.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (signal == "INT")
            {
                Assert.Equal(0, process.ExitCode);
            }
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
