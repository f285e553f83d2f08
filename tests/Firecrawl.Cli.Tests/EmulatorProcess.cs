using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Firecrawl.Cli.Tests;

/// <summary>A <c>firecrawl emulator</c> process, as a test in another language would run it: started, read, signalled.</summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;

    private EmulatorProcess(Process process, string firstLine)
    {
        _process = process;
        FirstLine = firstLine;
        _errors = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The first line the command wrote on stdout.</summary>
    public string FirstLine { get; }

    public int Id => _process.Id;

    /// <summary>Starts the command and waits for its first stdout line (null when it exited without one).</summary>
    public static async Task<EmulatorProcess> StartAsync(params string[] args)
    {
        // A shell starts background jobs with SIGINT ignored, and an ignored signal stays ignored across exec (that is
        // how nohup works, and .NET honours it). When this test host inherited that, give the child SIGINT back, so
        // a test can ask what it means to: does the command stop on Ctrl+C.
        var start = new ProcessStartInfo(SigIntIgnoredHere() ? "env" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (start.FileName == "env")
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "firecrawl.dll"));
        start.ArgumentList.Add("emulator");
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start)!;
        string? first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new EmulatorProcess(process, first ?? string.Empty);
    }

    /// <summary>A port that was free a moment ago, for a test that must name one.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sends a signal, then waits for the process to exit; its exit code and stderr.</summary>
    public async Task<(int Code, string Errors)> StopAsync(string signal)
    {
        using (Process kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        // Well before anyone would give up on it; a process that swallowed the signal never exits.
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (_process.ExitCode, await _errors);
    }

    /// <summary>Waits for a process that ends by itself (a usage error, a taken port).</summary>
    public async Task<(int Code, string Errors)> ExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (_process.ExitCode, await _errors);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static bool SigIntIgnoredHere()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0b10) != 0;
    }
}
