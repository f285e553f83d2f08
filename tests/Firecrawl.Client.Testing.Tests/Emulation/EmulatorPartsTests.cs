using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.Testing.Tests.Emulation;

/// <summary>Each part of the emulator on its own: the route table, the job store, the limiter, the keys, the body parser.</summary>
public sealed class EmulatorPartsTests
{
    private static readonly EmulatorRoutes SelfHosted = EmulatorRoutes.For(EmulatorProfile.For(FirecrawlServerProfile.SelfHosted2025));
    private static readonly EmulatorRoutes Newer = EmulatorRoutes.For(EmulatorProfile.For(FirecrawlServerProfile.NewerCloud));

    [Theory]
    [InlineData("DELETE", "/v1/batch/scrape/abc", "cancel-batch-scrape", "v1", "abc")]
    [InlineData("DELETE", "/V2/BATCH/SCRAPE/abc/", "cancel-batch-scrape", "v2", "abc")]
    [InlineData("DELETE", "/v1/crawl/abc", "cancel-crawl", "v1", "abc")]
    [InlineData("GET", "/v1/crawl/active", "active-crawls", "v1", null)]
    [InlineData("GET", "/v2/crawl/ongoing", "active-crawls", "v2", null)]
    [InlineData("GET", "/v1/crawl/abc", "crawl-status", "v1", "abc")]
    [InlineData("GET", "/v1/batch/scrape/abc", "batch-scrape-status", "v1", "abc")]
    [InlineData("POST", "/v1/crawl", "create-crawl", "v1", null)]
    [InlineData("POST", "/v2/batch/scrape/", "create-batch-scrape", "v2", null)]
    [InlineData("DELETE", "/v1/crawl/active", "cancel-crawl", "v1", "active")] // the literal is GET only: a DELETE cancels a job called active
    public void RouteTable_MatchesAsExpressDoes(string method, string path, string name, string version, string? id)
    {
        foreach (EmulatorRoutes routes in new[] { SelfHosted, Newer })
        {
            EmulatorRoute route = routes.Match(method, path);

            Assert.Equal(name, route.Name);
            Assert.Equal(version, route.Version);
            Assert.Equal(id, route.JobId);
        }
    }

    [Theory]
    [InlineData("DELETE", "/v1/batch/scrape/")]
    [InlineData("DELETE", "/v1/batch/scrape/abc//")]
    [InlineData("DELETE", "/v3/crawl/abc")]
    [InlineData("DELETE", "/v1/crawl/abc/extra")]
    [InlineData("PUT", "/v1/crawl/abc")]
    [InlineData("GET", "/__emulator/jobs")]
    [InlineData("DELETE", "/v1/agent/abc")]
    [InlineData("PUT", "/v2/agent/abc")]
    public void RouteTable_RoutesExpressDoesNotHave_MatchNothing(string method, string path)
    {
        Assert.Null(SelfHosted.Match(method, path).Endpoint);
        Assert.Null(Newer.Match(method, path).Endpoint);
    }

    [Theory]
    [InlineData("DELETE", "/v2/agent/abc", "cancel-agent", "agent")]
    [InlineData("GET", "/v2/Agent/abc/", "agent-status", "agent")]
    [InlineData("POST", "/v2/agent", "create-agent", "agent")]
    public void RouteTable_AgentRoutes_ExistOnlyOnTheBuildsThatHaveThem(string method, string path, string name, string kind)
    {
        EmulatorRoute route = Newer.Match(method, path);

        Assert.Equal(name, route.Name);
        Assert.Equal(kind, route.Kind?.Name);
        Assert.Equal("v2", route.Version);
        Assert.Null(SelfHosted.Match(method, path).Endpoint);
    }

    [Fact]
    public void RouteTable_EveryKindHasItsRoutesInEveryVersionItHas_AndNoOthers()
    {
        foreach (FirecrawlJobKind kind in FirecrawlJobKind.All)
        {
            foreach (string version in new[] { "v1", "v2" })
            {
                bool has = kind.ApiVersions.Contains(version == "v1" ? FirecrawlApiVersion.V1 : FirecrawlApiVersion.V2);
                string path = "/" + version + kind.Route.Replace("{id}", "0190b2a1-c3d4-7000-8000-000000000000", StringComparison.Ordinal);
                EmulatorRoute cancel = Newer.Match("DELETE", path);
                EmulatorRoute status = Newer.Match("GET", path);

                Assert.Equal(has ? $"cancel-{kind.Name}" : null, cancel.Name);
                Assert.Equal(has ? $"{kind.Name}-status" : null, status.Name);
                Assert.Equal(has ? kind.RateLimitBucket : null, has ? cancel.Bucket : null);
            }
        }

        Assert.Equal(
            ["active-crawls", "agent-status", "batch-scrape-status", "cancel-agent", "cancel-batch-scrape", "cancel-crawl", "crawl-status", "create-agent", "create-batch-scrape", "create-crawl"],
            Newer.Names.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("cancel-agent", SelfHosted.Names);
    }

    [Fact]
    public void JobStore_ActiveCrawls_AreOneTeamsRunningCrawlsOldestFirst()
    {
        var store = new JobStore();
        var now = DateTimeOffset.UnixEpoch;
        EmulatedJob first = store.Add(new EmulatedJob("1", "a", FirecrawlJobKind.Crawl, "https://a", 1, now, null));
        store.Add(new EmulatedJob("2", "a", FirecrawlJobKind.BatchScrape, "https://b", 1, now, null));
        store.Add(new EmulatedJob("3", "b", FirecrawlJobKind.Crawl, "https://c", 1, now, null));
        EmulatedJob fourth = store.Add(new EmulatedJob("4", "a", FirecrawlJobKind.Crawl, "https://d", 1, now.AddSeconds(1), null));
        EmulatedJob fifth = store.Add(new EmulatedJob("5", "a", FirecrawlJobKind.Crawl, "https://e", 1, now.AddSeconds(2), null));
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
        EmulatedJob job = store.Add(new EmulatedJob("x", "a", FirecrawlJobKind.BatchScrape, "https://a", 1, DateTimeOffset.UnixEpoch, null));

        Assert.True(store.TryGet("x", out EmulatedJob found));
        Assert.Same(job, found);
        Assert.Equal("x", found.Id);
        Assert.Throws<InvalidOperationException>(() => store.Add(new EmulatedJob("x", "b", FirecrawlJobKind.Crawl, "https://b", 1, DateTimeOffset.UnixEpoch, null)));
        store.Clear();
        Assert.False(store.TryGet("x", out _));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void RateLimiter_CountsRefusalsAndReopensAfterTheWindow_PerTeamAndBucket()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var limiter = new RateLimiter(new FirecrawlEmulatorOptions { RateLimitPerWindow = 2, CreateRateLimitPerWindow = 2, RateLimitWindow = TimeSpan.FromSeconds(10), TimeProvider = clock });
        EmulatorRoute cancel = Newer.Match("DELETE", "/v1/crawl/x");
        EmulatorRoute status = Newer.Match("GET", "/v2/batch/scrape/x");
        EmulatorRoute create = Newer.Match("POST", "/v1/crawl");
        EmulatorRoute agent = Newer.Match("DELETE", "/v2/agent/x");

        Assert.Null(limiter.Check("a", cancel));
        Assert.Null(limiter.Check("a", status));
        EmulatorAnswer? third = limiter.Check("a", cancel);
        clock.Advance(TimeSpan.FromSeconds(1.6));
        EmulatorAnswer? fourth = limiter.Check("a", status);

        Assert.Equal(429, third?.Status);
        Assert.Contains("Consumed (req/min): 3", third!.Value.Body, StringComparison.Ordinal);
        Assert.Contains("retry after 10s", third.Value.Body, StringComparison.Ordinal);
        Assert.Contains("Consumed (req/min): 4", fourth!.Value.Body, StringComparison.Ordinal);
        Assert.Contains("retry after 8s", fourth.Value.Body, StringComparison.Ordinal); // 8.4 s, rounded as Math.round does
        Assert.Null(limiter.Check("b", cancel));
        Assert.Null(limiter.Check("a", create));
        Assert.Null(limiter.Check("a", agent)); // extractStatus: its own window
        Assert.Null(limiter.Check("a", agent));
        Assert.NotNull(limiter.Check("a", agent));

        clock.Advance(TimeSpan.FromSeconds(8.4));
        Assert.Null(limiter.Check("a", cancel));
        Assert.Null(limiter.Check("a", cancel));
        Assert.NotNull(limiter.Check("a", cancel));
        limiter.Clear();
        Assert.Null(limiter.Check("a", cancel));
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
