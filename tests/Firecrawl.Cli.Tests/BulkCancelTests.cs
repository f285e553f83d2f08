using System.Text.Json;
using Firecrawl.Client.Testing;

namespace Firecrawl.Cli.Tests;

/// <summary>Many jobs from the command line: ids, files, stdin, dry runs, the kill switch, partial failure and Ctrl+C.</summary>
public sealed class BulkCancelTests
{
    [Fact]
    public async Task Cancel_ManyIdsWithAFailureAnInvalidIdAndADuplicate_ReportsEachAndExitsSeven()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string[] running = [emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob()];
        string unknown = Guid.NewGuid().ToString();

        Cli.Run run = await Cli.RunAsync("batch-scrape", "cancel", running[0], running[1], unknown, "a/b", running[2], running[0], "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("5 batch scrape(s): 3 cancelled, 0 already completed, 2 failed.", run.Out, StringComparison.Ordinal);
        Assert.Contains($"error: batch scrape {unknown}: ", run.Err, StringComparison.Ordinal);
        Assert.Contains("error: batch scrape a/b: The job id 'a/b' contains '/'", run.Err, StringComparison.Ordinal);
        Assert.All(running, id => Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id)));
        Assert.Equal(4, emulator.Requests.Count);
    }

    [Fact]
    public async Task Cancel_ManyIdsAsJson_OneLinePerJobThenASummary()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });
        string cancelled = emulator.CreateCrawlJob();
        string completed = emulator.CreateCrawlJob();
        emulator.CompleteJob(completed);
        string unknown = Guid.NewGuid().ToString();

        Cli.Run run = await Cli.RunAsync("crawl", "cancel", cancelled, completed, unknown, "--api-url", emulator.BaseAddress.AbsoluteUri, "--json");

        string[] lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        var jobs = lines[..3].Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("jobId").GetString()!);
        Assert.Equal("cancelled", jobs[cancelled].GetProperty("outcome").GetString());
        Assert.Equal("already-completed", jobs[completed].GetProperty("outcome").GetString());
        Assert.Equal("crawl", jobs[unknown].GetProperty("kind").GetString());
        Assert.Equal(404, jobs[unknown].GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal(3, jobs[unknown].GetProperty("error").GetProperty("exitCode").GetInt32());
        using JsonDocument summary = JsonDocument.Parse(lines[3]);
        Assert.Equal(
            """{"total":3,"cancelled":1,"alreadyCompleted":1,"failed":1,"notSent":0,"interrupted":false}""",
            summary.RootElement.GetProperty("summary").GetRawText());
        Assert.Equal(7, run.ExitCode);
    }

    [Fact]
    public async Task Cancel_FromAFileAndFromStdin_SkipsBlankLinesAndComments()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string[] fromFile = [emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob()];
        string[] fromStdin = [emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob()];
        string path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, $"# jobs a bug started\n{fromFile[0]}\n\n   {fromFile[1]}  \n# done\n");
        try
        {
            Cli.Run file = await Cli.RunAsync("batch-scrape", "cancel", "--from-file", path, "--api-url", emulator.BaseAddress.AbsoluteUri);
            Cli.Run stdin = await Cli.RunWithInputAsync($"{fromStdin[0]}\n#x\n{fromStdin[1]}\n", [], CancellationToken.None, "batch-scrape", "cancel", "--from-file=-", "--api-url", emulator.BaseAddress.AbsoluteUri);

            Assert.Equal(0, file.ExitCode);
            Assert.Equal(0, stdin.ExitCode);
            Assert.Contains("2 batch scrape(s): 2 cancelled, 0 already completed, 0 failed.", file.Out, StringComparison.Ordinal);
            Assert.Contains("2 batch scrape(s): 2 cancelled, 0 already completed, 0 failed.", stdin.Out, StringComparison.Ordinal);
            Assert.All(fromFile.Concat(fromStdin), id => Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("# only a comment\n\n")]
    [InlineData("")]
    public async Task Cancel_EmptyInput_IsAUsageError(string stdin)
    {
        Cli.Run run = await Cli.RunWithInputAsync(stdin, [], CancellationToken.None, "crawl", "cancel", "--from-file", "-");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: No job ids given", run.Err, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_AllActiveDryRun_ListsTheActiveCrawlsAndCancelsNothing()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string[] active = [emulator.CreateCrawlJob(), emulator.CreateCrawlJob()];
        string batch = emulator.CreateBatchScrapeJob();

        Cli.Run run = await Cli.RunAsync("crawl", "cancel", "--all-active", "--dry-run", "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(0, run.ExitCode);
        Assert.All(active, id => Assert.Contains($"Would cancel crawl {id}", run.Out, StringComparison.Ordinal));
        Assert.DoesNotContain(batch, run.Out, StringComparison.Ordinal);
        Assert.Contains("Dry run: 2 crawl(s) would be cancelled; nothing was sent.", run.Out, StringComparison.Ordinal);
        Assert.All(active, id => Assert.Equal(EmulatedJobStatus.Scraping, emulator.GetJobStatus(id)));
        Assert.DoesNotContain(emulator.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Cancel_AllActive_StopsEveryRunningCrawlOfTheTeamAndNothingElse()
    {
        string key = FirecrawlEmulator.NewApiKey();
        string other = FirecrawlEmulator.NewApiKey();
        var options = new FirecrawlEmulatorOptions();
        options.ApiKeys.Add(key);
        options.ApiKeys.Add(other);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        string[] ours = [emulator.CreateCrawlJob(key), emulator.CreateCrawlJob(key), emulator.CreateCrawlJob(key)];
        string theirs = emulator.CreateCrawlJob(other);
        string batch = emulator.CreateBatchScrapeJob(key);

        Cli.Run run = await Cli.RunAsync("crawl", "cancel", "--all-active", "--api-key", key, "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("3 crawl(s): 3 cancelled, 0 already completed, 0 failed.", run.Out, StringComparison.Ordinal);
        Assert.All(ours, id => Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id)));
        Assert.Equal(EmulatedJobStatus.Scraping, emulator.GetJobStatus(theirs));
        Assert.Equal(EmulatedJobStatus.Scraping, emulator.GetJobStatus(batch));
    }

    [Theory]
    [InlineData("crawl", "cancel", "--all-active", "x")]
    [InlineData("crawl", "cancel", "x", "--concurrency", "0")]
    [InlineData("batch-scrape", "cancel", "x", "--all-active")]
    public async Task Cancel_BulkOptionsThatCannotWork_AreUsageErrors(params string[] args)
    {
        Cli.Run run = await Cli.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_CtrlCMidRun_StopsNewSendsPrintsTheSummaryAndExits130()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string fast = emulator.CreateBatchScrapeJob();
        string slow = emulator.CreateBatchScrapeJob();
        string[] never = Enumerable.Range(0, 5).Select(_ => emulator.CreateBatchScrapeJob()).ToArray();
        emulator.Faults.EnqueueForJob(slow, EmulatorFault.DelayBeforeHeaders(TimeSpan.FromMinutes(5)));
        using var ctrlC = new CancellationTokenSource();

        Task<Cli.Run> running = Cli.RunAsync([], ctrlC.Token, ["batch-scrape", "cancel", fast, slow, .. never, "--concurrency", "1", "--api-url", emulator.BaseAddress.AbsoluteUri]);
        while (emulator.Requests.Count < 2)
        {
            await Task.Delay(10);
        }

        await ctrlC.CancelAsync();
        Cli.Run run = await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(130, run.ExitCode);
        Assert.Contains("Interrupted. 7 batch scrape(s): 1 cancelled, 0 already completed, 1 failed, 5 not sent.", run.Out, StringComparison.Ordinal);
        Assert.Equal(2, emulator.Requests.Count);
        Assert.All(never, id => Assert.Equal(EmulatedJobStatus.Scraping, emulator.GetJobStatus(id)));
    }

    [Fact]
    public async Task Cancel_ManyIdsAtATerminal_KeepsOneLiveProgressLineThatNamesTheWaitAndCtrlC()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string[] ids = Enumerable.Range(0, 3).Select(_ => emulator.CreateBatchScrapeJob()).ToArray();
        emulator.Faults.EnqueueForJob(ids[0], EmulatorFault.RateLimited(2));

        Cli.Run run = await Cli.RunOnAsync(terminal: true, string.Empty, [], CancellationToken.None,
            ["batch-scrape", "cancel", .. ids, "--concurrency", "1", "--api-url", emulator.BaseAddress.AbsoluteUri]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\r[0/3] 0 cancelled, 0 already completed, 0 failed, waiting ", run.Err, StringComparison.Ordinal);
        Assert.Contains(" s for the rate limit to reopen. Ctrl+C stops.", run.Err, StringComparison.Ordinal);
        Assert.Contains("\r[3/3] 3 cancelled", run.Err, StringComparison.Ordinal);
        Assert.EndsWith("\r\u001B[2K", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ManyIdsNotAtATerminal_DrawsNoProgressLine()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string[] ids = Enumerable.Range(0, 3).Select(_ => emulator.CreateBatchScrapeJob()).ToArray();

        Cli.Run run = await Cli.RunAsync(["batch-scrape", "cancel", .. ids, "--api-url", emulator.BaseAddress.AbsoluteUri]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Err);
        Assert.Contains("3 batch scrape(s): 3 cancelled", run.Out, StringComparison.Ordinal);
    }
}
