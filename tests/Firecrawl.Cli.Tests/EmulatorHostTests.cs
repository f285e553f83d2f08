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
        // A shell starts background jobs with SIGINT ignored, and an ignored signal stays ignored across exec (that is
        // how nohup works, and .NET honours it). When this test host inherited that, give the child SIGINT back, so
        // the test asks what it means to: does the command stop on Ctrl+C.
        var start = new ProcessStartInfo(SigIntIgnoredHere() ? "env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (start.FileName == "env")
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "firecrawl.dll"));
        start.ArgumentList.Add("emulator");
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

    private static bool SigIntIgnoredHere()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && (ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & 0b10) != 0;
    }
}
