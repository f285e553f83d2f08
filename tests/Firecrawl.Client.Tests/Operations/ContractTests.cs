using System.Net;
using System.Text;
using Firecrawl.Client.Contract;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// Every row of the shared contract table through MockHttp, plus the cases a single row cannot show (sequences,
/// routes, redirects). The same table runs over real sockets in the integration tests.
/// </summary>
public sealed class ContractTests
{
    [Theory]
    [MemberData(nameof(ContractRows.Names), MemberType = typeof(ContractRows))]
    public async Task CancelBatchScrapeAsync_EveryContractRow_MapsAsSpecifiedAndRetriesOnlyTransientRows(string name)
    {
        ContractRow row = ContractRows.Get(name);
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage((HttpStatusCode)row.Status)
        {
            Content = new StringContent(row.Body, Encoding.UTF8, row.ContentType.Split(';')[0]),
        });
        using var client = Stub.Client(mock, o =>
        {
            o.MaxRetries = 2;
            o.TimeProvider = time;
            o.TotalTimeout = TimeSpan.FromMinutes(10);
        });

        string outcome;
        string? text;
        try
        {
            CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time, TimeSpan.FromSeconds(5));
            (outcome, text) = (result.Outcome.ToString(), result.Message);
            Assert.Equal(Stub.JobId, result.JobId);
        }
        catch (FirecrawlApiException error)
        {
            (outcome, text) = (error.GetType().Name, error.Error.Message);
            Assert.Equal(row.Status, (int)error.StatusCode);
            Assert.Equal(row.ExceptionId, error.Error.ExceptionId);
            Assert.Equal(row.Code, error.Error.Code);
            Assert.Equal(row.Body.Length == 0 ? null : row.Body, error.Error.RawBody);
            Assert.Contains(Stub.JobId, error.Message, StringComparison.Ordinal);
            Assert.Equal(row.HintSeconds is { } seconds ? RetryHint.Pad(TimeSpan.FromSeconds(seconds), random: 0) : null, error.RetryAfter);
        }

        Assert.Equal(row.Expected, outcome);
        if (row.ServerText is not null || outcome == "Cancelled")
        {
            Assert.Equal(row.ServerText, text);
        }

        Assert.Equal(row.Transient ? 3 : 1, mock.GetMatchCount(route));
    }

    [Fact]
    public void EveryContractRow_IsAnAnswerNoOtherRowGives()
    {
        // Two rows with one status, body and content type test one answer twice under two names (it happened: "unknown id"
        // and "another team's job, newer v2"); a situation the wire cannot tell apart belongs in one row's name.
        var answers = ContractRows.All.GroupBy(static r => (r.Status, r.Body, r.ContentType)).Where(static g => g.Count() > 1).Select(static g => string.Join(" = ", g.Select(static r => r.Name)));
        Assert.Empty(answers);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_Server409WithOtherText_ThrowsApiExceptionWithoutRetry()
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.Conflict, """{"error":"Something else conflicts"}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal("Something else conflicts", error.Error.Message);
        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_V2NonUuid400_ThrowsPlainApiExceptionWithoutRetry()
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.Base + "/v2/batch/scrape/not-a-uuid")
            .Respond(HttpStatusCode.BadRequest, """{"success":false,"error":"Invalid job ID format. Job ID must be a valid UUID."}""");
        using var client = Stub.Client(mock, o => o.ApiVersion = FirecrawlApiVersion.V2);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync("not-a-uuid"));

        Assert.Equal(typeof(FirecrawlApiException), error.GetType());
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("Invalid job ID format. Job ID must be a valid UUID.", error.Error.Message);
        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_JobOfAnotherTeamOnV2_ThrowsNotFound()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.Base + "/v2/batch/scrape/" + Stub.JobId).Respond(HttpStatusCode.NotFound, """{"error":"Unauthorized"}""");
        using var client = Stub.Client(mock, o => o.ApiVersion = FirecrawlApiVersion.V2);

        var error = await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal("Unauthorized", error.Error.Message);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_Server500FromCancelHandler_RetriesThenThrowsServerExceptionWithText()
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.InternalServerError, """{"error":"Redis connection lost"}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("Redis connection lost", error.Error.Message);
        Assert.Null(error.Error.ExceptionId);
        Assert.Equal(4, mock.GetMatchCount(route));
        Assert.Contains("(4 attempts)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_Html404FromRouter_ThrowsNotFoundDescribingTheBody()
    {
        // The router's own 404 (what an empty id would hit) is HTML, not JSON.
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent("<!DOCTYPE html>\n<html><body><pre>Cannot DELETE /v1/batch/scrape/</pre></body></html>", Encoding.UTF8, "text/html"),
        });
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Contains("non-JSON body (text/html)", error.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot DELETE /v1/batch/scrape/", error.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot DELETE", error.Error.RawBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, typeof(FirecrawlServerException))]
    [InlineData(HttpStatusCode.ServiceUnavailable, typeof(FirecrawlServerException))]
    [InlineData(HttpStatusCode.GatewayTimeout, typeof(FirecrawlServerException))]
    [InlineData(HttpStatusCode.RequestTimeout, typeof(FirecrawlApiException))]
    public async Task CancelBatchScrapeAsync_GatewayErrorWithHtmlOrEmptyBody_RetriedThenTyped(HttpStatusCode status, Type expected)
    {
        using var mock = Stub.Mock();
        MockedRequest html = mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage(status)
        {
            Content = new StringContent("<html><body><h1>Bad gateway</h1></body></html>", Encoding.UTF8, "text/html"),
        });
        MockedRequest empty = mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage(status));
        using var client = Stub.Client(mock, o => o.MaxRetries = 1);

        var error = await Assert.ThrowsAnyAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(expected, error.GetType());
        Assert.Equal(status, error.StatusCode);
        Assert.Equal($"HTTP {(int)status} with an empty body.", error.Error.Message);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_GatewayErrorThenSuccess_ReturnsCancelled()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage(HttpStatusCode.BadGateway));
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CancelCrawlAsync_SameControllerAsBatchScrape_UsesCrawlRouteAndSameMapping()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.Conflict, """{"success":false,"error":"Crawl is already completed"}""");
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.NotFound, """{"error":"Job not found"}""");
        using var client = Stub.Client(mock);

        CancelCrawlResult cancelled = await client.CancelCrawlAsync(Stub.JobId);
        CancelCrawlResult completed = await client.CancelCrawlAsync(Stub.JobId);
        var missing = await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => client.CancelCrawlAsync(Stub.JobId));

        Assert.Equal(CancelOutcome.Cancelled, cancelled.Outcome);
        Assert.Equal(CancelOutcome.AlreadyCompleted, completed.Outcome);
        Assert.Contains("Cancelling crawl", missing.Message, StringComparison.Ordinal);
        mock.VerifyNoOutstandingExpectation();
    }
}

public sealed class RedirectTests
{
    [Fact]
    public async Task CancelBatchScrapeAsync_ServerRedirects_ThrowsWithoutFollowingAndNamesTheTarget()
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
            response.Headers.Location = new Uri("https://elsewhere.example/v1/batch/scrape/x");
            return response;
        });
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, error.StatusCode);
        Assert.Contains("redirect to https://elsewhere.example/v1/batch/scrape/x", error.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(route));
    }
}
