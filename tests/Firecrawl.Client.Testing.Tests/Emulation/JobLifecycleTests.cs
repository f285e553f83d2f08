using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.Testing.Tests.Emulation;

/// <summary>
/// What the emulator does to a job around its cancel, over real sockets, by server build: the status and its <c>next</c>
/// link, work in flight that finishes after the cancel, the newest build's repeat-cancel 500, agent jobs and their bucket.
/// </summary>
public sealed class JobLifecycleTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, Uri url, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    public static TheoryData<FirecrawlServerProfile, string, string, bool, int> StatusAfterCancel => new()
    {
        // The August 2025 build, as recorded: a crawl whose kickoff never ran knows no page and links nothing; a batch
        // scrape keeps its pending page, and links ?skip=0 until it drains.
        { FirecrawlServerProfile.SelfHosted2025, "v1", "crawl", false, 0 },
        { FirecrawlServerProfile.SelfHosted2025, "v2", "crawl", false, 0 },
        { FirecrawlServerProfile.SelfHosted2025, "v1", "batch/scrape", true, 1 },
        { FirecrawlServerProfile.SelfHosted2025, "v2", "batch/scrape", true, 1 },

        // August 2026: any status but completed links next, to itself when nothing was scraped.
        { FirecrawlServerProfile.NewerCloud, "v1", "crawl", true, 0 },
        { FirecrawlServerProfile.NewerCloud, "v2", "batch/scrape", true, 1 },

        // The newest: next only while scraping.
        { FirecrawlServerProfile.NewestCloud, "v1", "crawl", false, 0 },
        { FirecrawlServerProfile.NewestCloud, "v2", "batch/scrape", false, 1 },
    };

    [Theory]
    [MemberData(nameof(StatusAfterCancel))]
    public async Task StatusAfterACancel_IsEachBuildsAnswer(FirecrawlServerProfile profile, string version, string route, bool links, int total)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = profile });
        string body = route == "crawl" ? """{"url":"https://example.com"}""" : """{"urls":["https://example.com"]}""";
        (HttpStatusCode created, JsonElement job) = await SendAsync(HttpMethod.Post, new Uri(emulator.BaseAddress, $"{version}/{route}"), body);
        string id = job.GetProperty("id").GetString()!;
        var url = new Uri(emulator.BaseAddress, $"{version}/{route}/{id}");

        (HttpStatusCode cancelled, _) = await SendAsync(HttpMethod.Delete, url);
        (HttpStatusCode read, JsonElement status) = await SendAsync(HttpMethod.Get, url);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (created, cancelled, read));
        Assert.Equal("cancelled", status.GetProperty("status").GetString());
        Assert.Equal(0, status.GetProperty("completed").GetInt32());
        Assert.Equal(total, status.GetProperty("total").GetInt32());
        Assert.Equal(links, status.TryGetProperty("next", out JsonElement next));
        if (links)
        {
            Assert.Equal(url.AbsoluteUri + "?skip=0", next.GetString());
        }
    }

    [Fact]
    public async Task WorkInFlight_FinishesAfterTheCancel_PieceByPiece_AndQueuedPagesLeaveTheTotal()
    {
        var time = new FakeTimeProvider();
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { TimeProvider = time });
        string id = emulator.CreateBatchScrapeJob();
        emulator.SetProgress(id, completed: 2, inFlight: 4, drainTime: TimeSpan.FromSeconds(2));
        var url = new Uri(emulator.BaseAddress, $"v1/batch/scrape/{id}");
        (_, JsonElement before) = await SendAsync(HttpMethod.Get, url);

        await SendAsync(HttpMethod.Delete, url);
        var seen = new List<(int Completed, int Total, int Credits)>();
        for (int step = 0; step <= 5; step++)
        {
            (_, JsonElement status) = await SendAsync(HttpMethod.Get, url);
            seen.Add((status.GetProperty("completed").GetInt32(), status.GetProperty("total").GetInt32(), status.GetProperty("creditsUsed").GetInt32()));
            time.Advance(TimeSpan.FromSeconds(0.5));
        }

        Assert.Equal(("scraping", 2, 6), (before.GetProperty("status").GetString(), before.GetProperty("completed").GetInt32(), before.GetProperty("total").GetInt32()));
        Assert.Equal([(2, 6, 2), (3, 6, 3), (4, 6, 4), (5, 6, 5), (6, 6, 6), (6, 6, 6)], seen);
    }

    [Theory]
    [InlineData(FirecrawlServerProfile.SelfHosted2025, FirecrawlApiVersion.V1)]
    [InlineData(FirecrawlServerProfile.SelfHosted2025, FirecrawlApiVersion.V2)]
    [InlineData(FirecrawlServerProfile.NewerCloud, FirecrawlApiVersion.V1)]
    [InlineData(FirecrawlServerProfile.NewerCloud, FirecrawlApiVersion.V2)]
    [InlineData(FirecrawlServerProfile.NewestCloud, FirecrawlApiVersion.V2)]
    public async Task Settled_TheClientWaitsOutTheDrainOverRealSockets_AndReportsTheFinalFigures(FirecrawlServerProfile profile, FirecrawlApiVersion version)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = profile });
        string id = emulator.CreateCrawlJob();
        emulator.SetProgress(id, completed: 3, inFlight: 3, drainTime: TimeSpan.FromMilliseconds(900));
        using FirecrawlClient client = emulator.CreateClient(o =>
        {
            o.ApiVersion = version;
            o.SettleInterval = TimeSpan.FromMilliseconds(300);
        });

        CancelCrawlResult result = await client.CancelCrawlAsync(JobWaitUntil.Settled, id);

        JobSettlement settlement = result.Settlement!;
        Assert.True(settlement.Settled, settlement.Reason);
        Assert.Equal((6, 6), (settlement.Completed, settlement.CreditsUsed));
        Assert.True(settlement.Reads >= 2);
        Assert.True(settlement.Elapsed >= TimeSpan.FromMilliseconds(900), settlement.Elapsed.ToString());
    }

    [Theory]
    [InlineData(FirecrawlApiVersion.V1)]
    [InlineData(FirecrawlApiVersion.V2)]
    public async Task NewestBuild_TheFirstAnswerLost_TheRetryMeetsTheRepeatCancel500_AndAStatusReadConfirmsTheCancel(FirecrawlApiVersion version)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewestCloud });
        string id = emulator.CreateCrawlJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.TruncatedBody());
        using FirecrawlClient client = emulator.CreateClient(o =>
        {
            o.ApiVersion = version;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.MaxRetries = 2;
        });

        CancelCrawlResult result = await client.CancelCrawlAsync(id);

        Assert.Equal((CancelOutcome.Cancelled, true), (result.Outcome, result.ConfirmedByStatusRead));
        Assert.Equal(2, emulator.CountResponses(500));
        Assert.Equal(["DELETE", "DELETE", "DELETE", "GET"], emulator.Requests.Select(r => r.Method));
        Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id));
    }

    [Fact]
    public async Task NewestBuild_ASecondCancel_Is500FailedToCancelCrawl()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewestCloud });
        string id = emulator.CreateBatchScrapeJob();
        var url = new Uri(emulator.BaseAddress, $"v2/batch/scrape/{id}");

        (HttpStatusCode first, _) = await SendAsync(HttpMethod.Delete, url);
        (HttpStatusCode second, JsonElement body) = await SendAsync(HttpMethod.Delete, url);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.InternalServerError), (first, second));
        Assert.Equal("Failed to cancel crawl", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AgentJobs_OnTheNewerBuilds_AnswerAsTheAgentController()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });
        var create = new Uri(emulator.BaseAddress, "v2/agent");

        (HttpStatusCode noPrompt, _) = await SendAsync(HttpMethod.Post, create, "{}");
        (HttpStatusCode created, JsonElement job) = await SendAsync(HttpMethod.Post, create, """{"prompt":"Find the pricing pages"}""");
        string id = job.GetProperty("id").GetString()!;
        var url = new Uri(emulator.BaseAddress, $"v2/agent/{id}");
        (_, JsonElement running) = await SendAsync(HttpMethod.Get, url);
        (HttpStatusCode cancelled, JsonElement cancelBody) = await SendAsync(HttpMethod.Delete, url);
        (HttpStatusCode again, JsonElement againBody) = await SendAsync(HttpMethod.Delete, url);
        (_, JsonElement after) = await SendAsync(HttpMethod.Get, url);
        (HttpStatusCode unknown, JsonElement unknownBody) = await SendAsync(HttpMethod.Delete, new Uri(emulator.BaseAddress, $"v2/agent/{Guid.NewGuid()}"));
        (HttpStatusCode notUuid, _) = await SendAsync(HttpMethod.Delete, new Uri(emulator.BaseAddress, "v2/agent/not-a-uuid"));
        string done = emulator.CreateAgentJob();
        emulator.CompleteJob(done);
        (HttpStatusCode finished, JsonElement finishedBody) = await SendAsync(HttpMethod.Delete, new Uri(emulator.BaseAddress, $"v2/agent/{done}"));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK), (noPrompt, created));
        Assert.Equal("processing", running.GetProperty("status").GetString());
        Assert.False(running.TryGetProperty("creditsUsed", out _));
        Assert.Equal((HttpStatusCode.OK, """{"success":true}"""), (cancelled, cancelBody.GetRawText()));
        Assert.Equal((HttpStatusCode.Conflict, "Agent is already cancelled"), (again, againBody.GetProperty("error").GetString()));
        Assert.Equal(("failed", "Agent job was cancelled."), (after.GetProperty("status").GetString(), after.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "Agent job not found"), (unknown, unknownBody.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, notUuid);
        Assert.Equal((HttpStatusCode.Conflict, "Agent already finished"), (finished, finishedBody.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task AgentJobs_AnAgentIdOnACrawlRoute_IsNotFound_AndACrawlIdOnTheAgentRouteToo()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });
        string agent = emulator.CreateAgentJob();
        string crawl = emulator.CreateCrawlJob();

        (HttpStatusCode onCrawl, _) = await SendAsync(HttpMethod.Delete, new Uri(emulator.BaseAddress, $"v1/crawl/{agent}"));
        (HttpStatusCode onAgent, _) = await SendAsync(HttpMethod.Delete, new Uri(emulator.BaseAddress, $"v2/agent/{crawl}"));
        (HttpStatusCode batchRouteFindsCrawl, _) = await SendAsync(HttpMethod.Get, new Uri(emulator.BaseAddress, $"v1/batch/scrape/{crawl}"));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK), (onCrawl, onAgent, batchRouteFindsCrawl));
    }

    [Fact]
    public async Task AgentRoutes_OnTheAugust2025Build_AreExpresss404()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(emulator.BaseAddress, $"v2/agent/{Guid.NewGuid()}"));

        using HttpResponseMessage response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Cannot DELETE /v2/agent/", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => emulator.CreateAgentJob());
    }

    [Fact]
    public async Task Limiter_AgentCallsCountInTheirOwnBucket_SoAFullCrawlBucketLeavesThemRoom()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions
        {
            Profile = FirecrawlServerProfile.NewerCloud,
            RateLimitPerWindow = 2,
            TimeProvider = new FakeTimeProvider(),
        });
        string crawl = emulator.CreateCrawlJob();
        string agent = emulator.CreateAgentJob();
        var crawlUrl = new Uri(emulator.BaseAddress, $"v1/crawl/{crawl}");
        var agentUrl = new Uri(emulator.BaseAddress, $"v2/agent/{agent}");

        HttpStatusCode[] crawlCalls = [(await SendAsync(HttpMethod.Get, crawlUrl)).Status, (await SendAsync(HttpMethod.Get, crawlUrl)).Status, (await SendAsync(HttpMethod.Delete, crawlUrl)).Status];
        HttpStatusCode[] agentCalls = [(await SendAsync(HttpMethod.Get, agentUrl)).Status, (await SendAsync(HttpMethod.Delete, agentUrl)).Status, (await SendAsync(HttpMethod.Get, agentUrl)).Status];

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], crawlCalls);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], agentCalls);
    }

    [Fact]
    public async Task Client_AgentCancelAndStatus_AgainstTheEmulator_OverRealSockets()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });
        string id = emulator.CreateAgentJob();
        emulator.SetProgress(id, completed: 7, inFlight: 0, drainTime: TimeSpan.Zero);
        using FirecrawlClient client = emulator.CreateClient();

        CancelAgentResult first = await client.CancelAgentAsync(id);
        CancelAgentResult again = await client.CancelAgentAsync(id);
        FirecrawlJobStatus status = await client.GetAgentStatusAsync(id);

        Assert.Equal((CancelOutcome.Cancelled, CancelOutcome.Cancelled), (first.Outcome, again.Outcome));
        Assert.Equal("Agent is already cancelled", again.Message);
        Assert.Equal((FirecrawlJobState.Cancelled, 7), (status.State, status.CreditsUsed));
    }
}
