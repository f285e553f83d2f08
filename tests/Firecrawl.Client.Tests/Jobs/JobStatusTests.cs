using System.Net;
using System.Text;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>Status reads: the first page's figures, by kind and version, never a second request.</summary>
public sealed class JobStatusTests
{
    public static TheoryData<string, FirecrawlApiVersion, string> PagedRoutes => new()
    {
        { "batch-scrape", FirecrawlApiVersion.V1, "/v1/batch/scrape/" },
        { "batch-scrape", FirecrawlApiVersion.V2, "/v2/batch/scrape/" },
        { "crawl", FirecrawlApiVersion.V1, "/v1/crawl/" },
        { "crawl", FirecrawlApiVersion.V2, "/v2/crawl/" },
    };

    [Theory]
    [MemberData(nameof(PagedRoutes))]
    public async Task GetJobStatusAsync_PagedKinds_ReadTheFirstPageOnly_NeverItsNext(string kindName, FirecrawlApiVersion version, string path)
    {
        FirecrawlJobKind kind = FirecrawlJobKind.All.Single(k => k.Name == kindName);
        using var mock = Stub.Mock();
        MockedRequest read = mock.When(HttpMethod.Get, Stub.Base + path + Stub.JobId).Respond(
            HttpStatusCode.OK,
            $$"""{"success":true,"status":"cancelled","completed":3,"total":7,"creditsUsed":6,"expiresAt":"2026-12-08T10:00:00.000Z","next":"{{Stub.Base}}{{path}}{{Stub.JobId}}?skip=0","data":[{"markdown":"a"}]}""");
        using var client = Stub.Client(mock, o => o.ApiVersion = version);

        FirecrawlJobStatus status = await client.GetJobStatusAsync(kind, Stub.JobId);

        Assert.Equal(1, mock.GetMatchCount(read));
        Assert.Equal(Stub.JobId, status.JobId);
        Assert.Same(kind, status.Kind);
        Assert.Equal("cancelled", status.Status);
        Assert.Equal(FirecrawlJobState.Cancelled, status.State);
        Assert.True(status.IsFinal);
        Assert.Equal(3, status.Completed);
        Assert.Equal(7, status.Total);
        Assert.Equal(6, status.CreditsUsed);
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.Zero), status.ExpiresAt);
    }

    [Fact]
    public async Task GetBatchScrapeStatusAsync_AndGetCrawlStatusAsync_AreTheKindsStatusReads()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"scraping","completed":0,"total":1}""");
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"completed","completed":2,"total":2}""");
        using var client = Stub.Client(mock);

        FirecrawlJobStatus batch = await client.GetBatchScrapeStatusAsync(Stub.JobId);
        FirecrawlJobStatus crawl = await client.GetCrawlStatusAsync(Stub.JobId);

        Assert.Equal((FirecrawlJobState.Running, false), (batch.State, batch.IsFinal));
        Assert.Equal((FirecrawlJobState.Completed, 2), (crawl.State, crawl.Completed));
    }

    [Theory]
    [InlineData(",\"creditsUsed\":-1", null)]
    [InlineData("", null)]
    [InlineData(",\"creditsUsed\":null", null)]
    [InlineData(",\"creditsUsed\":\"5\"", null)]
    [InlineData(",\"creditsUsed\":0", 0)]
    [InlineData(",\"creditsUsed\":12", 12)]
    public async Task GetCrawlStatusAsync_CreditsUsed_IsNoneWhenTheServerSaysMinusOneOrNothing(string field, int? expected)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, "{\"status\":\"cancelled\",\"completed\":0,\"total\":0" + field + "}");
        using var client = Stub.Client(mock);

        Assert.Equal(expected, (await client.GetCrawlStatusAsync(Stub.JobId)).CreditsUsed);
    }

    [Theory]
    [InlineData("""{"success":true,"status":"processing","model":"spark-1-pro","expiresAt":"2026-12-08T10:00:00.000Z"}""", "processing", FirecrawlJobState.Running, null, null)]
    [InlineData("""{"success":true,"status":"completed","data":{},"model":"spark-1-pro","creditsUsed":40}""", "completed", FirecrawlJobState.Completed, 40, null)]
    [InlineData("""{"success":true,"status":"failed","error":"Agent job was cancelled.","creditsUsed":12}""", "failed", FirecrawlJobState.Cancelled, 12, "Agent job was cancelled.")]
    [InlineData("""{"success":true,"status":"failed","error":"Agent job failed.","creditsUsed":3}""", "failed", FirecrawlJobState.Failed, 3, "Agent job failed.")]
    [InlineData("""{"success":true,"status":"failed"}""", "failed", FirecrawlJobState.Failed, null, null)]
    [InlineData("""{"success":true,"status":"cancelled","creditsUsed":1}""", "cancelled", FirecrawlJobState.Cancelled, 1, null)]
    [InlineData("""{"success":true,"status":"queued-somewhere-new"}""", "queued-somewhere-new", FirecrawlJobState.Running, null, null)]
    public async Task GetAgentStatusAsync_ReadsTheAgentShape_ACancelledJobReadsFailedWithItsError(string body, string word, FirecrawlJobState state, int? credits, string? error)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.Base + "/v2/agent/" + Stub.JobId).Respond(HttpStatusCode.OK, body);
        using var client = Stub.Client(mock, o => o.ApiVersion = FirecrawlApiVersion.V1);

        FirecrawlJobStatus status = await client.GetAgentStatusAsync(Stub.JobId);

        Assert.Equal(word, status.Status);
        Assert.Equal(state, status.State);
        Assert.Equal(credits, status.CreditsUsed);
        Assert.Equal(error, status.Error);
        Assert.Null(status.Completed);
        Assert.Null(status.Total);
    }

    [Fact]
    public async Task GetCrawlStatusAsync_APageOfMegabytes_IsReadUpToItsBound_FromTheFieldsBeforeItsDocuments()
    {
        var body = new StringBuilder("""{"success":true,"status":"completed","completed":5000,"total":5000,"creditsUsed":5000,"data":[""");
        for (int i = 0; i < 5000; i++)
        {
            body.Append(i == 0 ? string.Empty : ",").Append("{\"markdown\":\"").Append('x', 400).Append("\"}");
        }

        body.Append("]}");
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, body.ToString());
        using var client = Stub.Client(mock);

        FirecrawlJobStatus status = await client.GetCrawlStatusAsync(Stub.JobId);

        Assert.True(body.Length > 2_000_000);
        Assert.Equal((FirecrawlJobState.Completed, 5000, 5000), (status.State, status.Completed, status.CreditsUsed));
    }

    [Theory]
    [InlineData("""{"success":true,"completed":1}""")]
    [InlineData("""{"status":3}""")]
    [InlineData("""[]""")]
    [InlineData("""not json""")]
    public async Task GetCrawlStatusAsync_AnAnswerWithoutAStatus_IsAnApiErrorThatSaysSo(string body)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, body);
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.GetCrawlStatusAsync(Stub.JobId));

        Assert.Contains("a job status", error.Message, StringComparison.Ordinal);
        Assert.Contains("crawl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCrawlStatusAsync_FailuresAreTheCancelsFailures_RetriedAndTyped()
    {
        using var mock = Stub.Mock();
        MockedRequest read = mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.ServiceUnavailable, """{"error":"down"}""");
        using var client = Stub.Client(mock, o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => client.GetCrawlStatusAsync(Stub.JobId));

        Assert.Equal(3, mock.GetMatchCount(read));
        Assert.StartsWith("Reading the status of crawl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCrawlStatusAsync_NotFound_IsTheNotFoundError()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.NotFound, """{"success":false,"error":"Job not found"}""");
        using var client = Stub.Client(mock);

        await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => client.GetCrawlStatusAsync(Stub.JobId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    public async Task GetJobStatusAsync_AnIdThatIsNotOne_IsRefusedBeforeAnyRequest(string id)
    {
        using var mock = Stub.Mock();
        using var client = Stub.Client(mock);

        foreach (FirecrawlJobKind kind in FirecrawlJobKind.All)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetJobStatusAsync(kind, id));
        }

        await Assert.ThrowsAsync<ArgumentNullException>(() => client.GetJobStatusAsync(null!, Stub.JobId));
    }
}
