using System.Net;
using System.Net.Http.Headers;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>A wait the client will not sleep is always handed to the caller as RetryAfter, whatever the status.</summary>
public sealed class RetryAfterTests
{
    public static TheoryData<string, HttpStatusCode, Type> StatusesOnBothPaths()
    {
        var rows = new TheoryData<string, HttpStatusCode, Type>();
        foreach (string path in new[] { Paths.Plain, Paths.Injected })
        {
            rows.Add(path, HttpStatusCode.ServiceUnavailable, typeof(FirecrawlServerException));
            rows.Add(path, HttpStatusCode.BadGateway, typeof(FirecrawlServerException));
            rows.Add(path, HttpStatusCode.TooManyRequests, typeof(FirecrawlRateLimitException));
            rows.Add(path, HttpStatusCode.RequestTimeout, typeof(FirecrawlApiException));
            rows.Add(path, HttpStatusCode.Unauthorized, typeof(FirecrawlUnauthorizedException));
            rows.Add(path, HttpStatusCode.Forbidden, typeof(FirecrawlForbiddenException));
            rows.Add(path, HttpStatusCode.Conflict, typeof(FirecrawlApiException));
            rows.Add(path, HttpStatusCode.NotFound, typeof(FirecrawlNotFoundException));
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(StatusesOnBothPaths))]
    public async Task CancelBatchScrapeAsync_RetryAfterLongerThanTheClientSleeps_StopsAtOnceAndCarriesTheWait(string path, HttpStatusCode status, Type expected)
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ =>
        {
            HttpResponseMessage response = Stub.Json(status, """{"error":"busy"}""");
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(120));
            return response;
        });
        using Paths paths = Paths.For(path, mock);

        var error = await Assert.ThrowsAnyAsync<FirecrawlApiException>(() => paths.Client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(expected, error.GetType());
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Contains("Retry after 120 s.", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_NoWaitNamed_RetryAfterIsNull()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        using var client = Stub.Client(mock, o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Null(error.RetryAfter);
        Assert.DoesNotContain("Retry after", error.Message, StringComparison.Ordinal);
    }
}
