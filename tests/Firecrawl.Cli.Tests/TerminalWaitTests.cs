using System.Diagnostics;
using Firecrawl.Client.Testing;

namespace Firecrawl.Cli.Tests;

/// <summary>
/// A person at a terminal is never left guessing: a wait over about two seconds shows one live line on stderr that says
/// what it waits for, how long is left, and that Ctrl+C stops it. Nothing extra when stderr is not a terminal, or with
/// --json. The real command runs under a pseudo-terminal (util-linux's <c>script</c>), as a person would see it.
/// </summary>
[Collection(nameof(TerminalWaitTests))]
public sealed class TerminalWaitTests
{
    [Fact]
    public async Task Cancel_AtATerminal_RateLimitWaitOverTwoSeconds_ShowsALiveLineThenTheResult()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.RateLimited(3));

        (int code, string screen) = await UnderTerminalAsync(emulator, "batch-scrape", "cancel", id);

        Assert.Equal(0, code);
        Assert.Matches(@"Waiting [34] s for Firecrawl's rate limit to reopen\. Ctrl\+C stops\.", screen);
        Assert.Contains("Cancelled batch scrape " + id, screen, StringComparison.Ordinal);
        Assert.Equal(2, emulator.Requests.Count);
    }

    [Fact]
    public async Task Cancel_AtATerminal_BackOffOverTwoSeconds_SaysWhichRetryAndWhy()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateCrawlJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.RetryAfter(503, TimeSpan.FromSeconds(3)));

        (int code, string screen) = await UnderTerminalAsync(emulator, "crawl", "cancel", id);

        Assert.Equal(0, code);
        Assert.Matches(@"Waiting [23] s for the server's Retry-After before retry 1\. Ctrl\+C stops\.", screen);
        Assert.Contains("Cancelled crawl " + id, screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelWait_AtATerminal_ShowsWhatTheJobReadsWhileItSettles()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });
        string id = emulator.CreateCrawlJob();
        emulator.SetProgress(id, completed: 1, inFlight: 2, drainTime: TimeSpan.FromSeconds(2));

        (int code, string screen) = await UnderTerminalAsync(emulator, "crawl", "cancel", id, "--wait", "--wait-timeout", "30s");

        Assert.Equal(0, code);
        Assert.Matches($@"Waiting up to \d+ s for crawl {id} to settle \(last read: cancelled, [123] page\(s\), [123] credit\(s\)\)\. Ctrl\+C stops\.", screen);
        Assert.Contains("It settled after", screen, StringComparison.Ordinal);
        Assert.Contains("3 page(s) completed, 3 credit(s) used", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_AtATerminal_WaitUnderTwoSeconds_ShowsNoLine()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.RateLimited(1));

        (int code, string screen) = await UnderTerminalAsync(emulator, "batch-scrape", "cancel", id);

        Assert.Equal(0, code);
        Assert.Equal(2, emulator.Requests.Count);
        Assert.DoesNotContain("Waiting", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_AtATerminalWithJson_ShowsNoLine()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.RateLimited(3));

        (int code, string screen) = await UnderTerminalAsync(emulator, "batch-scrape", "cancel", id, "--json");

        Assert.Equal(0, code);
        Assert.Equal(2, emulator.Requests.Count);
        Assert.DoesNotContain("Waiting", screen, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"cancelled\"", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_StderrNotATerminal_ShowsNoLine()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.RateLimited(3));

        Cli.Run run = await Cli.RunAsync("batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, emulator.Requests.Count);
        Assert.Equal(string.Empty, run.Err);
    }

    /// <summary>Runs the real <c>firecrawl</c> with stdout and stderr on a pseudo-terminal; returns what the terminal showed.</summary>
    private static async Task<(int Code, string Screen)> UnderTerminalAsync(FirecrawlEmulator emulator, params string[] args)
    {
        string command = string.Join(" ", new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "firecrawl.dll") }
            .Concat(args).Concat(["--api-url", emulator.BaseAddress.AbsoluteUri]).Select(Quote));
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["FIRECRAWL_API_KEY"] = string.Empty;
        using Process process = Process.Start(start)!;
        Task<string> screen = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await screen);
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
