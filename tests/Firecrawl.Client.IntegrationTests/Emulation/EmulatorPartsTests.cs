using System.Text;
using System.Text.Json;
using Firecrawl.Client.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.IntegrationTests.Emulation;

/// <summary>Each part of the emulator on its own: the route table, the job store, the limiter, the keys, the body parser.</summary>
public sealed class EmulatorPartsTests
{
    [Theory]
    [InlineData("DELETE", "/v1/batch/scrape/abc", "CancelBatchScrape", "v1", "abc")]
    [InlineData("DELETE", "/V2/BATCH/SCRAPE/abc/", "CancelBatchScrape", "v2", "abc")]
    [InlineData("DELETE", "/v1/crawl/abc", "CancelCrawl", "v1", "abc")]
    [InlineData("GET", "/v1/crawl/active", "ActiveCrawls", "v1", null)]
    [InlineData("GET", "/v2/crawl/ongoing", "ActiveCrawls", "v2", null)]
    [InlineData("GET", "/v1/crawl/abc", "CrawlStatus", "v1", "abc")]
    [InlineData("GET", "/v1/batch/scrape/abc", "BatchScrapeStatus", "v1", "abc")]
    [InlineData("POST", "/v1/crawl", "CreateCrawl", "v1", null)]
    [InlineData("POST", "/v2/batch/scrape/", "CreateBatchScrape", "v2", null)]
    public void RouteTable_MatchesAsExpressDoes(string method, string path, string endpoint, string version, string? id)
    {
        EmulatorRoute route = EmulatorRoutes.Match(method, path);

        Assert.Equal(Enum.Parse<EmulatorEndpoint>(endpoint), route.Endpoint);
        Assert.Equal(version, route.Version);
        Assert.Equal(id, route.JobId);
    }

    [Theory]
    [InlineData("DELETE", "/v1/batch/scrape/")]
    [InlineData("DELETE", "/v1/batch/scrape/abc//")]
    [InlineData("DELETE", "/v3/crawl/abc")]
    [InlineData("DELETE", "/v1/crawl/abc/extra")]
    [InlineData("PUT", "/v1/crawl/abc")]
    [InlineData("DELETE", "/v1/crawl/active")]
    [InlineData("GET", "/__emulator/jobs")]
    public void RouteTable_RoutesExpressDoesNotHave_MatchNothing(string method, string path)
    {
        EmulatorRoute route = EmulatorRoutes.Match(method, path);

        if (method == "DELETE" && path == "/v1/crawl/active")
        {
            // A DELETE of "active" is a cancel of a job called active, as on the server: the literal is GET only.
            Assert.Equal(EmulatorEndpoint.CancelCrawl, route.Endpoint);
            Assert.Equal("active", route.JobId);
            return;
        }

        Assert.Null(route.Endpoint);
    }

    [Fact]
    public void JobStore_ActiveCrawls_AreOneTeamsRunningCrawlsOldestFirst()
    {
        var store = new JobStore();
        var now = DateTimeOffset.UnixEpoch;
        EmulatedJob first = store.Add(new EmulatedJob("1", "a", isCrawl: true, "https://a", 1, now, null));
        store.Add(new EmulatedJob("2", "a", isCrawl: false, "https://b", 1, now, null));
        store.Add(new EmulatedJob("3", "b", isCrawl: true, "https://c", 1, now, null));
        EmulatedJob fourth = store.Add(new EmulatedJob("4", "a", isCrawl: true, "https://d", 1, now.AddSeconds(1), null));
        EmulatedJob fifth = store.Add(new EmulatedJob("5", "a", isCrawl: true, "https://e", 1, now.AddSeconds(2), null));
        fourth.Status = EmulatedJobStatus.Cancelled;

        Assert.Equal(["1", "5"], store.ActiveCrawls("a").Select(j => j.Id));
        Assert.Equal(["3"], store.ActiveCrawls("b").Select(j => j.Id));
        Assert.Empty(store.ActiveCrawls("nobody"));
        fifth.Status = EmulatedJobStatus.Expired;
        first.Status = EmulatedJobStatus.Completed;
        Assert.Empty(store.ActiveCrawls("a"));
    }

    [Fact]
    public void JobStore_AJobKnowsItsIdAndAnIdIsNeverReused()
    {
        var store = new JobStore();
        EmulatedJob job = store.Add(new EmulatedJob("x", "a", isCrawl: false, "https://a", 1, DateTimeOffset.UnixEpoch, null));

        Assert.True(store.TryGet("x", out EmulatedJob found));
        Assert.Same(job, found);
        Assert.Equal("x", found.Id);
        Assert.Throws<InvalidOperationException>(() => store.Add(new EmulatedJob("x", "b", isCrawl: true, "https://b", 1, DateTimeOffset.UnixEpoch, null)));
        store.Clear();
        Assert.False(store.TryGet("x", out _));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void RateLimiter_CountsRefusalsAndReopensAfterTheWindow_PerTeamAndMode()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var limiter = new RateLimiter(new FirecrawlEmulatorOptions { RateLimitPerWindow = 2, RateLimitWindow = TimeSpan.FromSeconds(10), TimeProvider = clock });

        Assert.Null(limiter.Check("a", create: false));
        Assert.Null(limiter.Check("a", create: false));
        EmulatorAnswer? third = limiter.Check("a", create: false);
        clock.Advance(TimeSpan.FromSeconds(1.6));
        EmulatorAnswer? fourth = limiter.Check("a", create: false);

        Assert.Equal(429, third?.Status);
        Assert.Contains("Consumed (req/min): 3", third!.Value.Body, StringComparison.Ordinal);
        Assert.Contains("retry after 10s", third.Value.Body, StringComparison.Ordinal);
        Assert.Contains("Consumed (req/min): 4", fourth!.Value.Body, StringComparison.Ordinal);
        Assert.Contains("retry after 8s", fourth.Value.Body, StringComparison.Ordinal); // 8.4 s, rounded as Math.round does
        Assert.Null(limiter.Check("b", create: false));
        Assert.Null(limiter.Check("a", create: true));

        clock.Advance(TimeSpan.FromSeconds(8.4));
        Assert.Null(limiter.Check("a", create: false));
        Assert.Null(limiter.Check("a", create: false));
        Assert.NotNull(limiter.Check("a", create: false));
        limiter.Clear();
        Assert.Null(limiter.Check("a", create: false));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("Bearer", "Unauthorized: Token missing")]
    [InlineData("Bearer fc-short", "Unauthorized: Invalid token")]
    [InlineData("Basic abc", "Unauthorized: Invalid token")]
    public void KeyAuthenticator_RefusesAsTheServerDoes(string? header, string? text)
    {
        string key = FirecrawlEmulator.NewApiKey();
        var auth = new KeyAuthenticator(new FirecrawlEmulatorOptions { ApiKeys = { key } });
        var context = new DefaultHttpContext();
        if (header is not null)
        {
            context.Request.Headers.Authorization = header;
        }

        Assert.Null(auth.Authenticate(context.Request));
        Assert.Equal(401, KeyAuthenticator.Unauthorized(context.Request).Status);
        Assert.Contains(text ?? "\"Unauthorized\"", KeyAuthenticator.Unauthorized(context.Request).Body, StringComparison.Ordinal);
        context.Request.Headers.Authorization = "Bearer " + key;
        Assert.Equal(key, auth.Authenticate(context.Request));
        Assert.True(auth.Accepts("Bearer " + key));
        Assert.False(auth.Accepts("Bearer " + FirecrawlEmulator.NewApiKey()));
        Assert.Null(auth.Accepts(null));
    }

    [Fact]
    public void KeyAuthenticator_WithoutKeys_TakesEveryRequestAsOneTeam()
    {
        var auth = new KeyAuthenticator(new FirecrawlEmulatorOptions());

        Assert.Equal(JobIds.KeylessTeam, auth.Authenticate(new DefaultHttpContext().Request));
        Assert.Equal("bypass", JobIds.TeamIdOf(JobIds.KeylessTeam));
        Assert.Matches("^[0-9a-f-]{36}$", JobIds.TeamIdOf(FirecrawlEmulator.NewApiKey()));
    }

    [Theory]
    [InlineData("", true, false)]
    [InlineData("{}", true, true)]
    [InlineData("[]", true, true)]
    [InlineData("\"text\"", false, false)]
    [InlineData("42", false, false)]
    [InlineData("{", false, false)]
    public void BodyParser_IsStrictAsExpressJson(string body, bool ok, bool hasDocument)
    {
        (ExpressBodyParser.Verdict verdict, JsonDocument? document) = ExpressBodyParser.Parse(Encoding.UTF8.GetBytes(body));
        using (document)
        {
            Assert.Equal(ok ? ExpressBodyParser.Verdict.Parsed : ExpressBodyParser.Verdict.Malformed, verdict);
            Assert.Equal(hasDocument, document is not null);
        }
    }

    [Fact]
    public async Task BodyParser_ABodyOverTheJsonLimit_IsNotBuffered()
    {
        Assert.Null(await ExpressBodyParser.ReadBoundedAsync(new MemoryStream(new byte[ExpressBodyParser.JsonLimit + 1]), ExpressBodyParser.JsonLimit, CancellationToken.None));
        Assert.Equal(ExpressBodyParser.JsonLimit, (await ExpressBodyParser.ReadBoundedAsync(new MemoryStream(new byte[ExpressBodyParser.JsonLimit]), ExpressBodyParser.JsonLimit, CancellationToken.None))!.Length);
    }

    [Fact]
    public void JobIds_UuidV7_CarriesTheTimeAndTheVersion()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(0x0190_b2a1_c3d4);
        string id = JobIds.NewUuidV7(at);

        Assert.StartsWith("0190b2a1-c3d4-7", id, StringComparison.Ordinal);
        Assert.Contains(id[19], "89ab");
        Assert.True(Guid.TryParse(JobIds.New(uuidV7: false, at), out _));
    }
}
