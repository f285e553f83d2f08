using System.Net;
using System.Text;
using System.Text.Json;
using Firecrawl.Client.Contract;
using Firecrawl.Client.Testing;
using Firecrawl.Client.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>Every contract row, end to end over real sockets, through the plain client and the DI client.</summary>
public sealed class EmulatorContractTests
{
    private static readonly string Key = FirecrawlEmulator.NewApiKey();
    private static readonly string OtherKey = FirecrawlEmulator.NewApiKey();

    [Theory]
    [MemberData(nameof(Clients.PathsAndProfiles), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_JobCreatedOverHttp_CancelledThenIdempotent(string path, FirecrawlServerProfile profile)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(Keys(profile, Key));
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        using HttpResponseMessage created = await http.PostAsync("v1/batch/scrape", Json("""{"urls":["https://example.com"]}"""));
        using JsonDocument body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        string id = body.RootElement.GetProperty("id").GetString()!;
        using Clients clients = Clients.For(emulator, path, o => o.ApiKey = Key);

        CancelBatchScrapeResult first = await clients.Client.CancelBatchScrapeAsync(id);
        CancelBatchScrapeResult second = await clients.Client.CancelBatchScrapeAsync(id);

        Assert.True(body.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal($"{emulator.BaseAddress}v1/batch/scrape/{id}", body.RootElement.GetProperty("url").GetString());
        Assert.Equal(profile == FirecrawlServerProfile.NewerCloud ? '7' : '4', id[14]);
        Assert.Equal(CancelOutcome.Cancelled, first.Outcome);
        Assert.Equal(CancelOutcome.Cancelled, second.Outcome);
        Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id));
        RecordedRequest delete = emulator.Requests[^1];
        Assert.Contains("\"status\":\"cancelled\"", await http.GetStringAsync($"v1/batch/scrape/{id}"), StringComparison.Ordinal);
        Assert.Equal("DELETE", delete.Method);
        Assert.Equal($"/v1/batch/scrape/{id}", delete.RawTarget);
        Assert.Equal("Bearer " + Key, delete.Headers["Authorization"]);
        Assert.StartsWith("Firecrawl.Client/", delete.Headers["User-Agent"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients.PathsAndProfiles), MemberType = typeof(Clients))]
    public async Task CancelCrawlAsync_CrawlJob_CancelledOnTheCrawlRoute(string path, FirecrawlServerProfile profile)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = profile });
        string id = emulator.CreateCrawlJob();
        using Clients clients = Clients.For(emulator, path);

        CancelCrawlResult result = await clients.Client.CancelCrawlAsync(id);

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal($"/v1/crawl/{id}", emulator.Requests.Single().RawTarget);
        Assert.False(emulator.Requests.Single().Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [MemberData(nameof(Clients.Paths), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_V2OnNewerCloud_UsesV2RouteAndNewerBody(string path)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });
        string id = emulator.CreateBatchScrapeJob();
        using Clients clients = Clients.For(emulator, path, o => o.ApiVersion = FirecrawlApiVersion.V2);

        CancelBatchScrapeResult result = await clients.Client.CancelBatchScrapeAsync(id);
        var invalid = await Assert.ThrowsAsync<FirecrawlApiException>(() => clients.Client.CancelBatchScrapeAsync("not-a-uuid"));

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal($"/v2/batch/scrape/{id}", emulator.Requests[0].RawTarget);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("Invalid job ID format. Job ID must be a valid UUID.", invalid.Error.Message);
        Assert.Equal('7', id[14]);
    }

    [Theory]
    [MemberData(nameof(Clients.Paths), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_V2OnTheSelfHostedBuild_AnswersExactlyLikeV1(string path)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        using Clients clients = Clients.For(emulator, path, o => o.ApiVersion = FirecrawlApiVersion.V2);

        CancelBatchScrapeResult result = await clients.Client.CancelBatchScrapeAsync(id);
        var notUuid = await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => clients.Client.CancelBatchScrapeAsync("not-a-uuid"));

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal($"/v2/batch/scrape/{id}", emulator.Requests[0].RawTarget);
        Assert.Equal("Job not found", notUuid.Error.Message);
        Assert.Equal("""{"error":"Job not found"}""", notUuid.Error.RawBody);
        Assert.Equal('4', id[14]);
    }

    [Theory]
    [MemberData(nameof(Clients.PathsAndProfiles), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_UnknownOrNonUuidIdOnV1_ThrowsNotFound(string path, FirecrawlServerProfile profile)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = profile });
        using Clients clients = Clients.For(emulator, path);

        var unknown = await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => clients.Client.CancelBatchScrapeAsync("019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f"));
        var notUuid = await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => clients.Client.CancelBatchScrapeAsync("not-a-uuid"));

        Assert.Equal("Job not found", unknown.Error.Message);
        Assert.Equal("Job not found", notUuid.Error.Message);
        Assert.Equal(2, emulator.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(Clients.Paths), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_CompletedJob_DependsOnServerGeneration(string path)
    {
        await using FirecrawlEmulator older = await FirecrawlEmulator.StartAsync();
        await using FirecrawlEmulator newer = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });
        string oldJob = older.CreateBatchScrapeJob();
        string newJob = newer.CreateBatchScrapeJob();
        older.CompleteJob(oldJob);
        newer.CompleteJob(newJob);
        using Clients oldClients = Clients.For(older, path);
        using Clients newClients = Clients.For(newer, path);

        CancelBatchScrapeResult oldResult = await oldClients.Client.CancelBatchScrapeAsync(oldJob);
        CancelBatchScrapeResult newResult = await newClients.Client.CancelBatchScrapeAsync(newJob);

        Assert.Equal(CancelOutcome.Cancelled, oldResult.Outcome);
        Assert.Equal(CancelOutcome.AlreadyCompleted, newResult.Outcome);
        Assert.Equal("Crawl is already completed", newResult.Message);
    }

    /// <summary>
    /// Another team's job: forbidden on v1 by every build; on v2 the self-hosted build says forbidden too, the newer
    /// cloud hides it as not found. Either way the job keeps running.
    /// </summary>
    [Theory]
    [MemberData(nameof(Clients.PathsAndProfiles), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_JobOfAnotherTeam_ForbiddenOnV1_AndOnV2ForbiddenSelfHostedOrNotFoundOnNewerCloud(string path, FirecrawlServerProfile profile)
    {
        FirecrawlEmulatorOptions options = Keys(Key, OtherKey);
        options.Profile = profile;
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        string theirs = emulator.CreateBatchScrapeJob(OtherKey);
        using Clients v1 = Clients.For(emulator, path, o => o.ApiKey = Key);
        using Clients v2 = Clients.For(emulator, path, o =>
        {
            o.ApiKey = Key;
            o.ApiVersion = FirecrawlApiVersion.V2;
        });

        var onV1 = await Assert.ThrowsAsync<FirecrawlForbiddenException>(() => v1.Client.CancelBatchScrapeAsync(theirs));
        var onV2 = await Assert.ThrowsAnyAsync<FirecrawlApiException>(() => v2.Client.CancelBatchScrapeAsync(theirs));

        Assert.Equal("Unauthorized", onV1.Error.Message);
        (Type type, string text) = profile == FirecrawlServerProfile.NewerCloud
            ? (typeof(FirecrawlNotFoundException), "Job not found")
            : (typeof(FirecrawlForbiddenException), "Unauthorized");
        Assert.Equal((type, text), (onV2.GetType(), onV2.Error.Message));
        Assert.Equal(EmulatedJobStatus.Scraping, emulator.GetJobStatus(theirs));
    }

    [Theory]
    [MemberData(nameof(Clients.PathsAndProfiles), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_MissingOrBadKey_ThrowsUnauthorizedWithTheServerText(string path, FirecrawlServerProfile profile)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(Keys(profile, Key));
        string id = emulator.CreateBatchScrapeJob();
        using Clients bad = Clients.For(emulator, path, o => o.ApiKey = FirecrawlEmulator.NewApiKey());

        var invalid = await Assert.ThrowsAsync<FirecrawlUnauthorizedException>(() => bad.Client.CancelBatchScrapeAsync(id));

        Assert.Equal("Unauthorized: Invalid token", invalid.Error.Message);
        Assert.Single(emulator.Requests);
    }

    [Fact]
    public async Task Emulator_AuthRows_AnswerLikeTheServersAuthMode()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(Keys(Key));
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        string id = emulator.CreateBatchScrapeJob();

        using var none = new HttpRequestMessage(HttpMethod.Delete, $"v1/batch/scrape/{id}");
        using var bare = new HttpRequestMessage(HttpMethod.Delete, $"v1/batch/scrape/{id}");
        bare.Headers.TryAddWithoutValidation("Authorization", "Bearer");
        using HttpResponseMessage noneAnswer = await http.SendAsync(none);
        using HttpResponseMessage bareAnswer = await http.SendAsync(bare);
        using HttpResponseMessage emptyId = await http.DeleteAsync("v1/batch/scrape/");

        Assert.Equal(HttpStatusCode.Unauthorized, noneAnswer.StatusCode);
        Assert.Equal("""{"success":false,"error":"Unauthorized"}""", await noneAnswer.Content.ReadAsStringAsync());
        Assert.Equal("""{"success":false,"error":"Unauthorized: Token missing"}""", await bareAnswer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, emptyId.StatusCode);
        Assert.Equal("text/html", emptyId.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Cannot DELETE /v1/batch/scrape/", await emptyId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients.PathsAndProfiles), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_TeamOverItsLimit_ThrowsRateLimitWithTheWaitFromTheMessage(string path, FirecrawlServerProfile profile)
    {
        // The emulator's clock stands still, so the window has exactly 60 s left when the second request arrives.
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(
            new FirecrawlEmulatorOptions { RateLimitPerWindow = 1, TimeProvider = new FakeTimeProvider(), Profile = profile });
        string id = emulator.CreateBatchScrapeJob();
        using Clients clients = Clients.For(emulator, path, o =>
        {
            o.MaxRetries = 0;
            o.Jitter = static () => 0;
        });

        await clients.Client.CancelBatchScrapeAsync(id);
        var limited = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => clients.Client.CancelBatchScrapeAsync(id));

        // "retry after 60s", padded by half a second because the server rounds.
        Assert.Equal(TimeSpan.FromSeconds(60.5), limited.RetryAfter);
        Assert.StartsWith("Rate limit exceeded. Consumed (req/min): 2, Remaining (req/min): 0.", limited.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, emulator.CountResponses(429));
    }

    [Theory]
    [MemberData(nameof(Clients.Paths), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_AuthLayerFails_SurfacesTheExceptionId(string path)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        emulator.Faults.Enqueue(EmulatorFault.Status(500, """{"success":false,"code":"UNKNOWN_ERROR","error":"An unexpected error occurred. Please contact help@firecrawl.com for help. Your exception ID is 4f9938d9e4d34fdcbd2a1a4bcaa02c0b"}"""));
        using Clients clients = Clients.For(emulator, path, o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => clients.Client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob()));

        Assert.Equal("4f9938d9e4d34fdcbd2a1a4bcaa02c0b", error.Error.ExceptionId);
        Assert.Equal("UNKNOWN_ERROR", error.Error.Code);
    }

    public static TheoryData<string, string> EveryRowOnBothPaths()
    {
        var rows = new TheoryData<string, string>();
        foreach (string path in new[] { Clients.Plain, Clients.Injected })
        {
            foreach (ContractRow row in ContractRows.All)
            {
                rows.Add(path, row.Name);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(EveryRowOnBothPaths))]
    public async Task CancelBatchScrapeAsync_EveryContractRowOverTheWire_MapsAsSpecified(string path, string name)
    {
        ContractRow row = ContractRows.Get(name);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.Status(row.Status, row.Body));
        using Clients clients = Clients.For(emulator, path, o => o.MaxRetries = 0);

        string outcome;
        string? text;
        try
        {
            CancelBatchScrapeResult result = await clients.Client.CancelBatchScrapeAsync(id);
            (outcome, text) = (result.Outcome.ToString(), result.Message);
        }
        catch (FirecrawlApiException error)
        {
            (outcome, text) = (error.GetType().Name, error.Error.Message);
            Assert.Equal(row.Status, (int)error.StatusCode);
            Assert.Equal(row.ExceptionId, error.Error.ExceptionId);
        }

        Assert.Equal(row.Expected, outcome);
        if (row.IsJson && (row.ServerText is not null || outcome == "Cancelled"))
        {
            Assert.Equal(row.ServerText, text);
        }

        Assert.Single(emulator.Requests);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_RetryAfterAsHttpDate_WaitsUntilThen()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.Enqueue(EmulatorFault.RetryAfter(429, DateTimeOffset.UtcNow.AddSeconds(2)));
        using FirecrawlClient client = emulator.CreateClient(o => o.RetryBaseDelay = TimeSpan.Zero);

        await client.CancelBatchScrapeAsync(id);

        IReadOnlyList<RecordedRequest> requests = emulator.Requests;
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.9), "The client must wait for the Retry-After date.");
    }

    [Fact]
    public async Task Emulator_RecordingOff_AnswersButKeepsNoRequests()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { RecordRequests = false });
        using FirecrawlClient client = emulator.CreateClient();

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob());

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Empty(emulator.Requests);
        Assert.Equal(1, emulator.CountResponses(200));
    }

    [Fact]
    public async Task Faults_Clear_DropsQueuedFaultsAndTheBlanketRateLimit()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.Enqueue(EmulatorFault.Status(500));
        emulator.Faults.EnqueueForJob(id, EmulatorFault.Status(503));
        emulator.Faults.RateLimitEverythingFor(TimeSpan.FromMinutes(5), retryAfterSeconds: 300);

        emulator.Faults.Clear();
        RawResponse response = await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + id);

        Assert.Equal(200, response.Status);
        Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id));
    }

    [Fact]
    public async Task Faults_RateLimitEverythingFor_AnswersEveryRouteWithTheRealBodyUntilItEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { TimeProvider = time });
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.RateLimitEverythingFor(TimeSpan.FromSeconds(30), retryAfterSeconds: 30);

        RawResponse cancel = await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + id);
        RawResponse list = await RawHttp.SendAsync(emulator.BaseAddress, "GET", "/v1/crawl/active");
        time.Advance(TimeSpan.FromSeconds(30));
        RawResponse after = await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + id);

        Assert.Equal(429, cancel.Status);
        Assert.Contains("please retry after 30s", cancel.Text, StringComparison.Ordinal);
        Assert.Equal(429, list.Status);
        Assert.Equal(200, after.Status);
    }

    private static FirecrawlEmulatorOptions Keys(params string[] keys) => Keys(FirecrawlServerProfile.SelfHosted2025, keys);

    private static FirecrawlEmulatorOptions Keys(FirecrawlServerProfile profile, params string[] keys)
    {
        var options = new FirecrawlEmulatorOptions { Profile = profile };
        foreach (string key in keys)
        {
            options.ApiKeys.Add(key);
        }

        return options;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
