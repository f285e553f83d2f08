using System.Net;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>One gate per server bucket: crawl and batch-scrape calls share <c>crawlStatus</c>; agent calls count in <c>extractStatus</c>.</summary>
public sealed class BucketTests
{
    private const string AgentUrl = Stub.Base + "/v2/agent/" + Stub.JobId;
    private const string Limited = """{"success":false,"error":"Rate limit exceeded. Consumed (req/min): 6, Remaining (req/min): 0. please retry after 20s, resets at x"}""";

    private static FirecrawlClient Client(MockHttpMessageHandler mock, FakeTimeProvider time) => Stub.Client(mock, o =>
    {
        o.TimeProvider = time;
        o.MaxRetries = 0;
    });

    [Fact]
    public async Task A429OnAnAgentCancel_DoesNotHoldCrawlOrBatchScrapeCalls_ButHoldsTheNextAgentCancel()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, AgentUrl).Respond(HttpStatusCode.TooManyRequests, Limited);
        MockedRequest agent = mock.When(HttpMethod.Delete, AgentUrl).Respond(HttpStatusCode.OK, """{"success":true}""");
        mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        mock.When(HttpMethod.Get, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"scraping"}""");
        using var client = Client(mock, time);
        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelAgentAsync(Stub.JobId));

        Task<CancelAgentResult> held = client.CancelAgentAsync(Stub.JobId);
        CancelCrawlResult crawl = await client.CancelCrawlAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20));
        FirecrawlJobStatus batch = await client.GetBatchScrapeStatusAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20));

        // No fake time has passed: the crawl bucket's calls went at once, while the agent's waits for its window.
        Assert.Equal(CancelOutcome.Cancelled, crawl.Outcome);
        Assert.Equal(FirecrawlJobState.Running, batch.State);
        Assert.False(held.IsCompleted);
        Assert.Equal(0, mock.GetMatchCount(agent));
        await held.WithFakeTime(time);
        Assert.Equal(1, mock.GetMatchCount(agent));
    }

    [Fact]
    public async Task A429OnACrawlStatusRead_HoldsTheCancelsOfItsBucket_NotTheAgents()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.TooManyRequests, Limited);
        MockedRequest batch = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        mock.When(HttpMethod.Delete, AgentUrl).Respond(HttpStatusCode.OK, """{"success":true}""");
        using var client = Client(mock, time);
        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.GetCrawlStatusAsync(Stub.JobId));

        Task<CancelBatchScrapeResult> held = client.CancelBatchScrapeAsync(Stub.JobId);
        CancelAgentResult agent = await client.CancelAgentAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(CancelOutcome.Cancelled, agent.Outcome);
        Assert.False(held.IsCompleted);
        Assert.Equal(0, mock.GetMatchCount(batch));
        Assert.Equal(CancelOutcome.Cancelled, (await held.WithFakeTime(time)).Outcome);
    }

    [Fact]
    public void Partitions_DifferByBucket_AndKeepTheirKeyAndAddress()
    {
        var crawl = FirecrawlGatePartition.For(Stub.SecretKey, new Uri(Stub.Base), FirecrawlJobKind.Crawl.RateLimitBucket);
        var agent = FirecrawlGatePartition.For(Stub.SecretKey, new Uri(Stub.Base), FirecrawlJobKind.Agent.RateLimitBucket);
        var batch = FirecrawlGatePartition.For(Stub.SecretKey, new Uri(Stub.Base), FirecrawlJobKind.BatchScrape.RateLimitBucket);

        Assert.Equal(crawl, batch);
        Assert.NotEqual(crawl, agent);
        Assert.Equal("crawlStatus", crawl.Bucket);
        Assert.Equal("extractStatus", agent.Bucket);
        Assert.DoesNotContain(Stub.SecretKey, agent.ToString(), StringComparison.Ordinal);
    }
}
