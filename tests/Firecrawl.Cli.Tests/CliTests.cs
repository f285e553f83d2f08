using System.Text.Json;
using Firecrawl.Client;
using Firecrawl.Client.Testing;
using Run = Firecrawl.Cli.Tests.Cli.Run;

namespace Firecrawl.Cli.Tests;

/// <summary>The real command, run in-process against the emulator, for every exit code.</summary>
public sealed class CliTests
{
    private static readonly string Key = FirecrawlEmulator.NewApiKey();

    [Theory]
    [InlineData("batch-scrape", "/v1/batch/scrape/")]
    [InlineData("crawl", "/v1/crawl/")]
    public async Task Cancel_RunningJob_ExitsZeroAndSaysCancelled(string kind, string route)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = kind == "crawl" ? emulator.CreateCrawlJob() : emulator.CreateBatchScrapeJob();

        Run run = await RunAsync(kind, "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"Cancelled {(kind == "crawl" ? "crawl" : "batch scrape")} {id}.", run.Out, StringComparison.Ordinal);
        Assert.Equal(route + id, emulator.Requests.Single().RawTarget);
    }

    [Fact]
    public async Task Cancel_CompletedJobOnNewerServer_ExitsZeroAndSaysAlreadyCompleted()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });
        string id = emulator.CreateBatchScrapeJob();
        emulator.CompleteJob(id);

        Run run = await RunAsync("batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri, "--json");

        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Out);
        Assert.Equal("already-completed", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(id, json.RootElement.GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task Cancel_KeyAndUrlFromEnvironmentAndV2_SendsThem()
    {
        var options = new FirecrawlEmulatorOptions();
        options.ApiKeys.Add(Key);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        string id = emulator.CreateBatchScrapeJob();
        var environment = new Dictionary<string, string?>
        {
            ["FIRECRAWL_API_KEY"] = Key,
            ["FIRECRAWL_API_URL"] = emulator.BaseAddress.AbsoluteUri,
        };

        Run run = await RunAsync(environment, "batch-scrape", "cancel", id, "--api-version", "v2");

        Assert.Equal(0, run.ExitCode);
        RecordedRequest request = emulator.Requests.Single();
        Assert.Equal("/v2/batch/scrape/" + id, request.RawTarget);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.DoesNotContain(Key, run.Out + run.Err, StringComparison.Ordinal);
    }

    public static TheoryData<string[]> UsageErrors => new()
    {
        Array.Empty<string>(),
        new[] { "scrape" },
        new[] { "batch-scrape" },
        new[] { "batch-scrape", "cancel" },
        new[] { "batch-scrape", "stop", "x" },
        new[] { "crawl", "cancel", "id", "--api-version", "v3" },
        new[] { "crawl", "cancel", "id", "--api-key" },
        new[] { "crawl", "cancel", "id", "--bogus" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Run_BadCommandLine_ExitsTwoWithUsage(string[] args)
    {
        Run run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Err, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    public async Task Cancel_HostileIdOrBadUrl_ExitsTwoWithoutARequest(string id)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();

        Run badId = await RunAsync("batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri);
        Run badUrl = await RunAsync("batch-scrape", "cancel", "abc", "--api-url", "not a url");

        Assert.Equal(2, badId.ExitCode);
        Assert.Equal(2, badUrl.ExitCode);
        Assert.Contains("--api-url", badUrl.Err, StringComparison.Ordinal);
        Assert.Empty(emulator.Requests);
    }

    [Fact]
    public async Task Cancel_NonUuidOnV2OfANewerServer_ExitsTwoBecauseTheServerCalledItBadRequest()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });

        Run run = await RunAsync("batch-scrape", "cancel", "not-a-uuid", "--api-url", emulator.BaseAddress.AbsoluteUri, "--api-version", "v2");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Invalid job ID format", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_UnknownJob_ExitsThree()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();

        Run run = await RunAsync("batch-scrape", "cancel", "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f", "--api-url", emulator.BaseAddress.AbsoluteUri, "--json");

        Assert.Equal(3, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Out);
        JsonElement error = json.RootElement.GetProperty("error");
        Assert.Equal("FirecrawlNotFoundException", error.GetProperty("type").GetString());
        Assert.Equal(404, error.GetProperty("status").GetInt32());
        Assert.Equal("Job not found", error.GetProperty("serverMessage").GetString());
    }

    [Fact]
    public async Task Cancel_BadKeyOrOtherTeamsJob_ExitsFour()
    {
        var options = new FirecrawlEmulatorOptions();
        options.ApiKeys.Add(Key);
        string other = FirecrawlEmulator.NewApiKey();
        options.ApiKeys.Add(other);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        string theirs = emulator.CreateBatchScrapeJob(other);

        Run badKey = await RunAsync("batch-scrape", "cancel", theirs, "--api-url", emulator.BaseAddress.AbsoluteUri, "--api-key", "fc-wrong");
        Run forbidden = await RunAsync("batch-scrape", "cancel", theirs, "--api-url", emulator.BaseAddress.AbsoluteUri, "--api-key", Key);

        Assert.Equal(4, badKey.ExitCode);
        Assert.Contains("Unauthorized: Invalid token", badKey.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("fc-wrong", badKey.Err, StringComparison.Ordinal);
        Assert.Equal(4, forbidden.ExitCode);
    }

    [Fact]
    public async Task Cancel_RateLimitedWithLongWait_ExitsFiveAndSaysWhenToRetry()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.Enqueue(EmulatorFault.RateLimited(600));

        Run text = await RunAsync("batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri);
        emulator.Faults.Enqueue(EmulatorFault.RateLimited(600));
        Run json = await RunAsync("batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri, "--json");

        Assert.Equal(5, text.ExitCode);
        // "retry after 600s", padded by half a second and up to a quarter second of jitter because the server rounds.
        Assert.Matches(@"The server asked to retry after 600\.[5-7]\d* s\.", text.Err);
        Assert.Equal(5, json.ExitCode);
        using JsonDocument parsed = JsonDocument.Parse(json.Out);
        Assert.InRange(parsed.RootElement.GetProperty("error").GetProperty("retryAfterSeconds").GetDouble(), 600.5, 600.75);
    }

    [Fact]
    public async Task Cancel_ServerKeepsFailing_ExitsSix()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.Enqueue(Enumerable.Range(0, 4).Select(_ => EmulatorFault.HtmlError(502)).ToArray());

        Run run = await RunAsync("batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(6, run.ExitCode);
        Assert.Contains("502", run.Err, StringComparison.Ordinal);
        Assert.Equal(4, emulator.Requests.Count);
    }

    [Fact]
    public async Task Cancel_NobodyListening_ExitsSix()
    {
        Uri closed;
        await using (FirecrawlEmulator gone = await FirecrawlEmulator.StartAsync())
        {
            closed = gone.BaseAddress;
        }

        Run run = await RunAsync("batch-scrape", "cancel", "abc", "--api-url", closed.AbsoluteUri);

        Assert.Equal(6, run.ExitCode);
        Assert.Contains("could not get an answer", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_Offline_WalksThroughEveryStepAndExitsZero()
    {
        Run run = await RunAsync("demo");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Started a local Firecrawl emulator at http://127.0.0.1:", run.Out, StringComparison.Ordinal);
        Assert.Contains("cancel is idempotent", run.Out, StringComparison.Ordinal);
        Assert.Contains("FirecrawlNotFoundException (404)", run.Out, StringComparison.Ordinal);
        Assert.Contains("<- 503 Service Unavailable", run.Out, StringComparison.Ordinal);
        Assert.Contains("<- 429 Too Many Requests", run.Out, StringComparison.Ordinal);
        Assert.Contains("attempt 3 after waiting", run.Out, StringComparison.Ordinal);
        Assert.Contains("-> Cancelled after 3 attempts", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_PrintsUsageAndExitsZero(string flag)
    {
        Run run = await RunAsync(flag);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        Assert.All(FirecrawlJobKind.All, kind => Assert.Contains($"  {kind.Name} ", run.Out, StringComparison.Ordinal));
        Assert.Contains("Exit codes:", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("batch-scrape", "Cancel batch scrapes (DELETE /v1|v2/batch/scrape/{id})", true)]
    [InlineData("crawl", "Cancel crawls (DELETE /v1|v2/crawl/{id})", true)]
    [InlineData("agent", "Cancel agent jobs (DELETE /v2/agent/{id})", false)]
    public async Task EveryJobKind_HasItsCommandRouteAndAllActiveOnlyWhereTheServerListsThatKind(string name, string usage, bool paged)
    {
        FirecrawlJobKind kind = FirecrawlJobKind.All.Single(k => k.Name == name);
        Run run = await RunAsync(name, "cancel", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(usage, run.Out, StringComparison.Ordinal);
        Assert.Contains("--wait ", run.Out, StringComparison.Ordinal);
        Assert.Contains("--wait-timeout ", run.Out, StringComparison.Ordinal);
        Assert.Equal(kind.ListsActive, run.Out.Contains("--all-active", StringComparison.Ordinal));
        Assert.Equal(paged, kind.ApiVersions.Contains(FirecrawlApiVersion.V1));
    }

    [Fact]
    public async Task EmulatorHelp_ListsItsOwnOptionsAndNoClientOption()
    {
        Run run = await RunAsync("emulator", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (string option in new[] { "--port", "--host", "--allow-remote", "--accept-key", "--rate-limit", "--rate-limit-window", "--profile", "--control", "--json" })
        {
            Assert.Contains(option + " ", run.Out, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("--api-key", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("--api-url", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("--api-version", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--json", "batch-scrape", "cancel")]
    [InlineData("batch-scrape", "--json", "cancel")]
    [InlineData("batch-scrape", "cancel", "--json")]
    public async Task ClientOptions_WorkBeforeTheNounAfterItOrAfterTheCommand(string first, string second, string third)
    {
        string key = FirecrawlEmulator.NewApiKey();
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { ApiKeys = { key } });
        string id = emulator.CreateBatchScrapeJob();

        Run run = await RunAsync(first, second, third, id, "--api-key", key, "--api-url", emulator.BaseAddress.AbsoluteUri, "--api-version", "v2");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("{\"jobId\":", run.Out, StringComparison.Ordinal);
        Assert.Equal("/v2/batch/scrape/" + id, emulator.Requests.Single().RawTarget);
    }

    [Fact]
    public async Task Cancel_InterruptedByCtrlC_Exits130()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.Enqueue(EmulatorFault.DelayBeforeHeaders(TimeSpan.FromMinutes(1)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Run run = await RunAsync(new Dictionary<string, string?>(), cts.Token, "batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(130, run.ExitCode);
    }

    private static Task<Run> RunAsync(params string[] args) => Cli.RunAsync(args);

    private static Task<Run> RunAsync(Dictionary<string, string?> environment, params string[] args) =>
        Cli.RunAsync(environment, CancellationToken.None, args);

    private static Task<Run> RunAsync(Dictionary<string, string?> environment, CancellationToken cancellationToken, params string[] args) =>
        Cli.RunAsync(environment, cancellationToken, args);

    [Fact]
    public async Task Cancel_ResponseFile_ReadsTheArgumentsFromIt()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateCrawlJob();
        string file = Path.Combine(Path.GetTempPath(), $"firecrawl-{Guid.NewGuid():N}.rsp");
        await File.WriteAllLinesAsync(file, ["crawl", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri, "--json"]);
        try
        {
            Run run = await RunAsync("@" + file);

            Assert.Equal(0, run.ExitCode);
            Assert.Contains("\"outcome\":\"cancelled\"", run.Out, StringComparison.Ordinal);
            Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("Unknown option '--jsn'. Did you mean '--json'?", "batch-scrape", "cancel", "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f", "--jsn")]
    [InlineData("Unknown option '--api-kye'. Did you mean '--api-key'?", "crawl", "cancel", "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f", "--api-kye=fc-0123")]
    [InlineData("Unknown option '--concurency'. Did you mean '--concurrency'?", "crawl", "cancel", "a", "b", "--concurency", "4")]
    [InlineData("Unknown command. Did you mean 'batch-scrape'?", "batch-scrpe", "cancel", "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f")]
    [InlineData("Unknown command. Did you mean 'cancel'?", "crawl", "cancle", "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f")]
    [InlineData("Unknown command. Did you mean 'emulator'?", "emulater")]
    public async Task Run_Typo_SuggestsTheNearestNameWithoutEchoingValues(string expected, params string[] args)
    {
        Run run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: " + expected, run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("fc-0123", run.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bat", "batch-scrape")]
    [InlineData("crawl cancel --all", "--all-active")]
    [InlineData("batch-scrape cancel --js", "--json")]
    public async Task Suggest_Directive_CompletesTheCommandLineForTheShell(string line, string completion)
    {
        Run run = await RunAsync("[suggest:" + line.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", line);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(completion, run.Out.Split('\n', StringSplitOptions.TrimEntries));
    }
}
