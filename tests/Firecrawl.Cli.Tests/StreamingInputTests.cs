using System.Text.Json;
using Firecrawl.Client.Testing;

namespace Firecrawl.Cli.Tests;

/// <summary>
/// Many ids in flat memory: the command reads ids only as the cancels need them and writes each job as it ends, keeping
/// counters, never the ids or the outcomes.
/// </summary>
public sealed class StreamingInputTests
{
    /// <summary>Standard input that hands out some lines, then holds the next until the test lets it go.</summary>
    private sealed class HeldInput(string[] first, string[] rest) : TextReader
    {
        private readonly SemaphoreSlim _release = new(0);
        private int _next;

        public int LinesRead => Volatile.Read(ref _next);

        public void Release() => _release.Release();

        public override string? ReadLine()
        {
            int at = Interlocked.Increment(ref _next) - 1;
            if (at == first.Length)
            {
                // A command that read everything before it sent anything would wait here for ever.
                Assert.True(_release.Wait(TimeSpan.FromSeconds(30)), "The command read past the first ids before cancelling them.");
            }

            return at < first.Length ? first[at] : at - first.Length < rest.Length ? rest[at - first.Length] : null;
        }
    }

    [Fact]
    public async Task FromStdin_TheFirstIdsAreCancelledBeforeTheRestIsRead_AndEachLineIsWrittenAsItEnds()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string[] first = [.. Enumerable.Range(0, 3).Select(_ => emulator.CreateBatchScrapeJob())];
        string[] rest = [.. Enumerable.Range(0, 2).Select(_ => emulator.CreateBatchScrapeJob())];
        var input = new HeldInput(first, rest);

        Task<Cli.Run> running = Cli.RunOnAsync(false, input, [], CancellationToken.None, "batch-scrape", "cancel", "--from-file", "-", "--json", "--concurrency", "1", "--api-url", emulator.BaseAddress.AbsoluteUri);
        using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (emulator.Requests.Count < 3)
            {
                await Task.Delay(5, guard.Token);
            }
        }

        input.Release();
        Cli.Run run = await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(first.Concat(rest), lines[..5].Select(l => JsonDocument.Parse(l).RootElement.GetProperty("jobId").GetString()));
        Assert.Contains("\"total\":5", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromStdin_Interrupted_DoesNotReadOnToCountTheRest_AndSaysSo()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string slow = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(slow, EmulatorFault.DelayBeforeHeaders(TimeSpan.FromMinutes(5)));
        var input = new HeldInput([slow], [emulator.CreateBatchScrapeJob()]);
        using var ctrlC = new CancellationTokenSource();

        Task<Cli.Run> json = Cli.RunOnAsync(false, input, [], ctrlC.Token, "batch-scrape", "cancel", "--from-file", "-", "--json", "--concurrency", "1", "--api-url", emulator.BaseAddress.AbsoluteUri);
        using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (emulator.Requests.Count < 1)
            {
                await Task.Delay(5, guard.Token);
            }
        }

        await ctrlC.CancelAsync();
        Cli.Run run = await json.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(130, run.ExitCode);
        using JsonDocument summary = JsonDocument.Parse(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("summary").GetProperty("notSent").ValueKind);
        Assert.True(summary.RootElement.GetProperty("summary").GetProperty("interrupted").GetBoolean());
        Assert.Equal(1, input.LinesRead);
    }

    [Fact]
    public async Task FromAFile_Interrupted_CountsTheRestAsNotSent()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string slow = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(slow, EmulatorFault.DelayBeforeHeaders(TimeSpan.FromMinutes(5)));
        string path = Path.GetTempFileName();
        await File.WriteAllLinesAsync(path, [slow, "a", "b", "# c", "a", "d"]);
        using var ctrlC = new CancellationTokenSource();
        try
        {
            Task<Cli.Run> running = Cli.RunAsync([], ctrlC.Token, "batch-scrape", "cancel", "--from-file", path, "--concurrency", "1", "--api-url", emulator.BaseAddress.AbsoluteUri);
            using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                while (emulator.Requests.Count < 1)
                {
                    await Task.Delay(5, guard.Token);
                }
            }

            await ctrlC.CancelAsync();
            Cli.Run run = await running.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(130, run.ExitCode);
            Assert.Contains("Interrupted. 4 batch scrape(s): 0 cancelled, 0 already completed, 1 failed, 3 not sent.", run.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task FromAFile_AtATerminal_TheProgressLineCountsWhatIsDone_SinceTheTotalIsNotReadAhead()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string[] ids = [.. Enumerable.Range(0, 3).Select(_ => emulator.CreateBatchScrapeJob())];
        emulator.Faults.EnqueueForJob(ids[0], EmulatorFault.RateLimited(2));

        Cli.Run run = await Cli.RunOnAsync(true, string.Join('\n', ids), [], CancellationToken.None,
            "batch-scrape", "cancel", "--from-file", "-", "--concurrency", "1", "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\r[0 done] 0 cancelled", run.Err, StringComparison.Ordinal);
        Assert.Contains("\r[3 done] 3 cancelled", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void JobIdSource_ReadsLazily_SkipsRepeatsBlanksAndComments_AndCountsTheRest()
    {
        var reader = new StringReader("b\n\n  # note\n a \nb\nc\n");
        using var source = new JobIdSource(["a", "x", "a"], reader, ownsLines: false, fromStdin: false);
        using IEnumerator<string> ids = source.GetEnumerator();

        Assert.Null(source.KnownTotal);
        Assert.Null(source.SingleArgument);
        Assert.True(ids.MoveNext());
        Assert.Equal("a", ids.Current);
        Assert.True(ids.MoveNext());
        Assert.Equal("x", ids.Current);
        Assert.Equal(2, source.Read);
        Assert.Equal(2, source.CountRest()); // b, c: the repeats of a and b are not counted
        Assert.Equal(4, source.Read);
        Assert.Equal(2, JobIdSource.Listed(["p", "q", "p"]).KnownTotal);
        Assert.Equal("p", JobIdSource.Listed(["p"]).SingleArgument);
    }
}
