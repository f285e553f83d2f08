using System.Net;
using System.Text;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>One test (or theory row) per row of shared/contract/cancel-batch-scrape.md, with the server's exact bodies.</summary>
public sealed class ContractTests
{
    [Theory]
    [InlineData("""{"status":"cancelled"}""", null)]
    [InlineData("""{"success":true,"status":"cancelled"}""", null)]
    [InlineData("""{"success":true,"message":"Batch scrape job successfully cancelled."}""", "Batch scrape job successfully cancelled.")]
    [InlineData("""{"status":"cancelled","somethingNew":{"nested":[1,2]},"extra":42}""", null)]
    public async Task CancelBatchScrapeAsync_ServerConfirms_ReturnsCancelled(string body, string? expectedMessage)
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, body);
        using var client = Stub.Client(mock);

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId);

        Assert.Equal(Stub.JobId, result.JobId);
        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(expectedMessage, result.Message);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_CalledTwice_BothCancelledBecauseCancelIsIdempotent()
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock);

        CancelBatchScrapeResult first = await client.CancelBatchScrapeAsync(Stub.JobId);
        CancelBatchScrapeResult second = await client.CancelBatchScrapeAsync(Stub.JobId);

        Assert.Equal(first, second);
        Assert.Equal(CancelOutcome.Cancelled, second.Outcome);
        Assert.Equal(2, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_JobAlreadyCompletedOnOlderServer_ReturnsCancelled()
    {
        // Older servers answer a finished job exactly like a cancelled one; the client cannot tell and must not guess.
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
    }

    [Theory]
    [InlineData("""{"error":"Crawl is already completed"}""")]
    [InlineData("""{"success":false,"error":"Crawl is already completed"}""")]
    public async Task CancelBatchScrapeAsync_Server409AlreadyCompleted_ReturnsAlreadyCompletedNotException(string body)
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.Conflict, body);
        using var client = Stub.Client(mock);

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId);

        Assert.Equal(CancelOutcome.AlreadyCompleted, result.Outcome);
        Assert.Equal("Crawl is already completed", result.Message);
        Assert.Equal(1, mock.GetMatchCount(route));
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

    [Theory]
    [InlineData("""{"error":"Job not found"}""", "Job not found")]
    [InlineData("""{"success":false,"error":"Job not found"}""", "Job not found")]
    [InlineData("""{"error":"Batch scrape job not found."}""", "Batch scrape job not found.")]
    public async Task CancelBatchScrapeAsync_Server404_ThrowsNotFoundWithServerTextAndNoRetry(string body, string expected)
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.NotFound, body);
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(expected, error.Error.Message);
        Assert.Equal(body, error.Error.RawBody);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(Stub.JobId, error.Message, StringComparison.Ordinal);
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
    public async Task CancelBatchScrapeAsync_JobOfAnotherTeamOnV1_ThrowsForbidden()
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.Forbidden, """{"error":"Unauthorized"}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlForbiddenException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal("Unauthorized", error.Error.Message);
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

    [Theory]
    [InlineData("""{"success":false,"error":"Unauthorized"}""", "Unauthorized")]
    [InlineData("""{"success":false,"error":"Unauthorized: Token missing"}""", "Unauthorized: Token missing")]
    [InlineData("""{"success":false,"error":"Unauthorized: Invalid token"}""", "Unauthorized: Invalid token")]
    public async Task CancelBatchScrapeAsync_Server401_ThrowsUnauthorizedWithoutRetryOrKey(string body, string expected)
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.Unauthorized, body);
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlUnauthorizedException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(expected, error.Error.Message);
        Assert.DoesNotContain(Stub.SecretKey, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_Server429WithNoRetriesLeft_ThrowsRateLimitWithHintFromMessage()
    {
        const string body = """{"success":false,"error":"Rate limit exceeded. Consumed (req/min): 4, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after 60s, resets at Sat Nov 28 2026 18:31:33 GMT+0000 (Coordinated Universal Time)"}""";
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, body);
        using var client = Stub.Client(mock, o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.StartsWith("Rate limit exceeded.", error.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Retry after 60 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(route));
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
    public async Task CancelBatchScrapeAsync_Server500FromAuthLayer_SurfacesCodeAndExceptionId()
    {
        const string body = """{"success":false,"code":"UNKNOWN_ERROR","error":"An unexpected error occurred. Please contact help@firecrawl.com for help. Your exception ID is 4f9938d9e4d34fdcbd2a1a4bcaa02c0b"}""";
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.InternalServerError, body);
        using var client = Stub.Client(mock, o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal("UNKNOWN_ERROR", error.Error.Code);
        Assert.Equal("4f9938d9e4d34fdcbd2a1a4bcaa02c0b", error.Error.ExceptionId);
        Assert.Contains("exception id 4f9938d9e4d34fdcbd2a1a4bcaa02c0b", error.Message, StringComparison.Ordinal);
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
    public async Task CancelBatchScrapeAsync_Server402_ThrowsPlainApiExceptionWithoutRetry()
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl)
            .Respond(HttpStatusCode.PaymentRequired, """{"success":false,"error":"Insufficient credits to perform this request."}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(HttpStatusCode.PaymentRequired, error.StatusCode);
        Assert.Equal(1, mock.GetMatchCount(route));
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
