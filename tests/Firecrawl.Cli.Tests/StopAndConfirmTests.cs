using System.Reflection;
using System.Text.Json;
using Firecrawl.Client;
using Firecrawl.Client.Testing;

namespace Firecrawl.Cli.Tests;

/// <summary>
/// Agent jobs and <c>--wait</c> from the command line, end to end against the emulator, and the tie between the
/// layers: every kind the library describes has its command, its client methods and its emulator model.
/// </summary>
public sealed class StopAndConfirmTests
{
    private static Task<FirecrawlEmulator> Newer() => FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });

    [Fact]
    public async Task EveryKind_IsDescribedInEveryLayer_TheCommandTheClientAndTheEmulator()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewestCloud });
        var root = FirecrawlCli.Build(new CliContext(new CliConsole(TextWriter.Null, TextWriter.Null, TextReader.Null, false), _ => null, null));
        Assert.Equal(FirecrawlJobKind.All.Select(k => k.Name), root.Subcommands.Select(c => c.Name).Where(n => n is not "demo" and not "emulator"));

        foreach (FirecrawlJobKind kind in FirecrawlJobKind.All)
        {
            // The client: a typed cancel, its waiting form, a status read and a bulk cancel, named after the kind.
            string pascal = string.Concat(kind.Name.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
            Type client = typeof(FirecrawlClient);
            Assert.NotNull(client.GetMethod($"Cancel{pascal}Async", [typeof(string), typeof(CancellationToken)]));
            Assert.NotNull(client.GetMethod($"Cancel{pascal}Async", [typeof(JobWaitUntil), typeof(string), typeof(CancellationToken)]));
            Assert.NotNull(client.GetMethod($"Get{pascal}StatusAsync", [typeof(string), typeof(CancellationToken)]));
            Assert.NotNull(client.GetMethod($"Cancel{pascal}sAsync", BindingFlags.Public | BindingFlags.Instance));

            // The emulator models it, and the command stops it through the client's routes, then waits for it to settle.
            string id = emulator.CreateJob(kind);
            Cli.Run run = await Cli.RunAsync(kind.Name, "cancel", id, "--wait", "--json", "--api-url", emulator.BaseAddress.AbsoluteUri);

            Assert.True(run.ExitCode == 0, $"{kind}: {run.Out} {run.Err}");
            using JsonDocument line = JsonDocument.Parse(run.Out);
            Assert.Equal(kind.Name, line.RootElement.GetProperty("kind").GetString());
            Assert.Equal("cancelled", line.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(JsonValueKind.Object, line.RootElement.GetProperty("settled").ValueKind);
            Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id));
        }
    }

    [Fact]
    public async Task AgentCancel_OnTheNewerServer_CancelsOnV2_AndACancelAgainIsStillCancelled()
    {
        await using FirecrawlEmulator emulator = await Newer();
        string id = emulator.CreateAgentJob();

        Cli.Run first = await Cli.RunAsync("agent", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri);
        Cli.Run again = await Cli.RunAsync("agent", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri, "--api-version", "v1");

        Assert.Equal((0, $"Cancelled agent job {id}.\n"), (first.ExitCode, first.Out.ReplaceLineEndings("\n")));
        Assert.Equal((0, $"Cancelled agent job {id}.\n"), (again.ExitCode, again.Out.ReplaceLineEndings("\n")));
        Assert.All(emulator.Requests, r => Assert.Equal($"/v2/agent/{id}", r.RawTarget));
    }

    [Fact]
    public async Task AgentCancel_OnTheAugust2025Build_WhichHasNoAgentRoute_IsNotFound()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();

        Cli.Run run = await Cli.RunAsync("agent", "cancel", Guid.NewGuid().ToString(), "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(3, run.ExitCode);
        Assert.Throws<InvalidOperationException>(() => emulator.CreateAgentJob());
    }

    [Fact]
    public async Task AgentCancel_FromStdinAndAFile_LikeTheOtherKinds()
    {
        await using FirecrawlEmulator emulator = await Newer();
        string[] ids = [emulator.CreateAgentJob(), emulator.CreateAgentJob()];
        string finished = emulator.CreateAgentJob();
        emulator.CompleteJob(finished);

        Cli.Run run = await Cli.RunWithInputAsync($"{ids[0]}\n# a comment\n{ids[1]}\n{finished}\n", [], CancellationToken.None, "agent", "cancel", "--from-file", "-", "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("3 agent job(s): 2 cancelled, 1 already completed, 0 failed.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentCancel_HasNoAllActive_TheServerListsOnlyCrawls()
    {
        Cli.Run run = await Cli.RunAsync("agent", "cancel", "--all-active");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown option '--all-active'", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrawlCancelWait_PagesInFlightFinishAfterTheCancel_TheSettledFiguresCountThem()
    {
        await using FirecrawlEmulator emulator = await Newer();
        string id = emulator.CreateCrawlJob();
        emulator.SetProgress(id, completed: 2, inFlight: 3, drainTime: TimeSpan.FromMilliseconds(600));

        Cli.Run json = await Cli.RunAsync("crawl", "cancel", id, "--wait", "--json", "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(0, json.ExitCode);
        using JsonDocument line = JsonDocument.Parse(json.Out);
        JsonElement settled = line.RootElement.GetProperty("settled");
        Assert.Equal("cancelled", settled.GetProperty("status").GetString());
        Assert.Equal(5, settled.GetProperty("completed").GetInt32());
        Assert.Equal(5, settled.GetProperty("creditsUsed").GetInt32());

        // The last page finished 0.6 s after the cancel, and then the figures had to hold for the 0.3 s interval.
        Assert.True(settled.GetProperty("seconds").GetDouble() >= 0.8, json.Out);
    }

    [Fact]
    public async Task CrawlCancelWait_InText_SaysWhatTheJobCameTo()
    {
        await using FirecrawlEmulator emulator = await Newer();
        string id = emulator.CreateCrawlJob();
        emulator.SetProgress(id, completed: 4, inFlight: 0, drainTime: TimeSpan.Zero);

        Cli.Run run = await Cli.RunAsync("crawl", "cancel", id, "--wait", "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Cancelled crawl {id}.", lines[0]);
        Assert.Matches(@"^It settled after \d+\.\d s: cancelled, 4 page\(s\) completed, 4 credit\(s\) used\.$", lines[1]);
    }

    [Fact]
    public async Task CrawlCancelWait_NotSettledInTime_ExitsEightWithTheReason()
    {
        await using FirecrawlEmulator emulator = await Newer();
        string id = emulator.CreateCrawlJob();
        emulator.SetProgress(id, completed: 0, inFlight: 1000, drainTime: TimeSpan.FromMinutes(1)); // a page every 60 ms: every read sees more

        Cli.Run json = await Cli.RunAsync("crawl", "cancel", id, "--wait", "--wait-timeout", "1s", "--json", "--api-url", emulator.BaseAddress.AbsoluteUri);
        Cli.Run text = await Cli.RunAsync("crawl", "cancel", id, "--wait", "--wait-timeout", "1s", "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(8, json.ExitCode);
        using JsonDocument line = JsonDocument.Parse(json.Out);
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("settled").ValueKind);
        Assert.Equal("its pages or credits were still moving within 1 s (SettleTimeout)", line.RootElement.GetProperty("settleReason").GetString());
        Assert.Equal(8, text.ExitCode);
        Assert.Contains("It did not settle: its pages or credits were still moving within 1 s (SettleTimeout). Last read: cancelled", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkCancelWait_EachJobLineHasItsSettledFigures_AndTheSummaryTheirCredits()
    {
        await using FirecrawlEmulator emulator = await Newer();
        string[] ids = [emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob()];
        for (int i = 0; i < ids.Length; i++)
        {
            emulator.SetProgress(ids[i], completed: i + 1, inFlight: 1, drainTime: TimeSpan.FromMilliseconds(200));
        }

        Cli.Run json = await Cli.RunAsync(["batch-scrape", "cancel", .. ids, "--wait", "--json", "--api-url", emulator.BaseAddress.AbsoluteUri]);

        Assert.Equal(0, json.ExitCode);
        string[] lines = json.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal(
            [2, 3, 4],
            lines[..3].Select(l => JsonDocument.Parse(l).RootElement.GetProperty("settled").GetProperty("creditsUsed").GetInt32()).Order());
        using JsonDocument summary = JsonDocument.Parse(lines[3]);
        Assert.Equal(0, summary.RootElement.GetProperty("summary").GetProperty("notSettled").GetInt32());
        Assert.Equal(9, summary.RootElement.GetProperty("summary").GetProperty("creditsUsed").GetInt64());
    }

    [Fact]
    public async Task BulkCancelWait_InText_AJobLinePerSettledJobAndTheTotalCredits()
    {
        await using FirecrawlEmulator emulator = await Newer();
        string[] ids = [emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob()];

        Cli.Run run = await Cli.RunAsync(["batch-scrape", "cancel", .. ids, "--wait", "--api-url", emulator.BaseAddress.AbsoluteUri]);

        Assert.Equal(0, run.ExitCode);
        Assert.All(ids, id => Assert.Contains($"batch scrape {id}: It settled after", run.Out, StringComparison.Ordinal));
        Assert.Contains("2 batch scrape(s): 2 cancelled, 0 already completed, 0 failed. 2 settled, 0 did not settle in time; 0 credit(s) used in all.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllActiveWait_TheKillSwitchStopsEveryRunningCrawlAndWaitsForEach()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string[] crawls = [emulator.CreateCrawlJob(), emulator.CreateCrawlJob()];
        emulator.SetProgress(crawls[0], completed: 3, inFlight: 2, drainTime: TimeSpan.FromMilliseconds(300));

        Cli.Run run = await Cli.RunAsync("crawl", "cancel", "--all-active", "--wait", "--json", "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var settled = lines[..2].Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("jobId").GetString()!, e => e.GetProperty("settled"));
        Assert.Equal(5, settled[crawls[0]].GetProperty("completed").GetInt32());
        Assert.Equal(0, settled[crawls[1]].GetProperty("completed").GetInt32());
        Assert.Equal(5, JsonDocument.Parse(lines[2]).RootElement.GetProperty("summary").GetProperty("creditsUsed").GetInt64());
        Assert.All(crawls, id => Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id)));
    }

    [Theory]
    [InlineData("--wait-timeout needs --wait", "--wait-timeout", "5s")]
    [InlineData("The value of --wait-timeout is not valid", "--wait", "--wait-timeout", "0s")]
    [InlineData("The value of --wait-timeout is not valid", "--wait", "--wait-timeout", "soon")]
    public async Task WaitOptions_ThatCannotWork_AreUsageErrors(string expected, params string[] options)
    {
        Cli.Run run = await Cli.RunAsync(["crawl", "cancel", Guid.NewGuid().ToString(), .. options]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Err, StringComparison.Ordinal);
    }
}
