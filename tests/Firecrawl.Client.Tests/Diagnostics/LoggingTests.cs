using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class LoggingTests
{
    private const string RateLimited = """{"success":false,"error":"Rate limit exceeded. please retry after 3s"}""";

    [Fact]
    public async Task CancelBatchScrapeAsync_RetriedCall_LogsStartEachRetryWithItsWaitSourceAndSuccess()
    {
        var time = new FakeTimeProvider();
        var logs = new FakeLogCollector();
        using ILoggerFactory factory = Factory(logs);
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, RateLimited);
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.LoggerFactory = factory;
        });

        await client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time);

        List<FakeLogRecord> records = Ours(logs);
        Assert.Equal([1, 2, 2, 3], records.Select(r => r.Id.Id));
        Assert.Equal("OperationStarting", records[0].Id.Name);
        Assert.Equal("CancelBatchScrape", records[0].GetStructuredStateValue("Operation"));
        Assert.Equal("CancelBatchScrape", records[3].GetStructuredStateValue("Operation"));
        Assert.Equal(LogLevel.Debug, records[0].Level);
        Assert.Equal(Stub.JobId, records[0].GetStructuredStateValue("JobId"));
        Assert.Equal("/v1/batch/scrape/" + Stub.JobId, records[0].GetStructuredStateValue("Path"));

        Assert.All(records.Where(r => r.Id.Id == 2), r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.Equal("HTTP 503", records[1].GetStructuredStateValue("Failure"));
        Assert.Equal("backoff", records[1].GetStructuredStateValue("DelaySource"));
        Assert.Equal("1", records[1].GetStructuredStateValue("Attempt"));
        Assert.Equal("HTTP 429", records[2].GetStructuredStateValue("Failure"));
        Assert.Equal("message-hint", records[2].GetStructuredStateValue("DelaySource"));
        Assert.Equal("3500", records[2].GetStructuredStateValue("DelayMs"));

        Assert.Equal("Cancelled", records[3].GetStructuredStateValue("Outcome"));
        Assert.Equal("3", records[3].GetStructuredStateValue("Attempts"));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_RetryAfterHeader_LogsHeaderAsTheWaitSource()
    {
        var time = new FakeTimeProvider();
        var logs = new FakeLogCollector();
        using ILoggerFactory factory = Factory(logs);
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(_ =>
        {
            HttpResponseMessage response = Stub.Json(HttpStatusCode.ServiceUnavailable, "{}");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
            return response;
        });
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.LoggerFactory = factory;
        });

        await client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time);

        FakeLogRecord retry = Assert.Single(Ours(logs), r => r.Id.Id == 2);
        Assert.Equal("retry-after-header", retry.GetStructuredStateValue("DelaySource"));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_FinalFailure_LogsErrorWithTheExceptionId()
    {
        var logs = new FakeLogCollector();
        using ILoggerFactory factory = Factory(logs);
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.InternalServerError,
            """{"success":false,"code":"UNKNOWN_ERROR","error":"An unexpected error occurred. Your exception ID is 4f9938d9e4d34fdcbd2a1a4bcaa02c0b"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.MaxRetries = 1;
            o.LoggerFactory = factory;
        });

        await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        FakeLogRecord failed = Assert.Single(Ours(logs), r => r.Id.Id == 4);
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Equal("OperationFailed", failed.Id.Name);
        Assert.Equal("4f9938d9e4d34fdcbd2a1a4bcaa02c0b", failed.GetStructuredStateValue("ExceptionId"));
        Assert.Equal("500", failed.GetStructuredStateValue("StatusCode"));
        Assert.Equal("2", failed.GetStructuredStateValue("Attempts"));
        Assert.Equal("An unexpected error occurred. Your exception ID is 4f9938d9e4d34fdcbd2a1a4bcaa02c0b", failed.GetStructuredStateValue("ServerMessage"));
        Assert.IsType<FirecrawlServerException>(failed.Exception);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_FailsWithoutAnAnswer_LogsTheFailureItselfAsTheMessage()
    {
        var logs = new FakeLogCollector();
        using ILoggerFactory factory = Factory(logs);
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        using var client = Stub.Client(mock, o =>
        {
            o.MaxRetries = 0;
            o.LoggerFactory = factory;
        });

        var error = await Assert.ThrowsAsync<FirecrawlException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        FakeLogRecord failed = Assert.Single(Ours(logs), r => r.Id.Id == 4);
        Assert.Equal(error.Message, failed.GetStructuredStateValue("ServerMessage"));
        Assert.Null(failed.GetStructuredStateValue("StatusCode"));
        Assert.Equal("FirecrawlException", failed.GetStructuredStateValue("ErrorType"));
    }

    [Fact]
    public async Task AnyCall_AtEveryLevelOnBothPaths_NeverLogsTheKey()
    {
        var logs = new FakeLogCollector();
        using ILoggerFactory factory = Factory(logs);
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.Unauthorized, """{"success":false,"error":"Unauthorized: Invalid token"}""");
        mock.When(HttpMethod.Delete, Stub.Base + "/v1/batch/scrape/limited").Respond(HttpStatusCode.TooManyRequests, """{"error":"retry after 900s"}""");
        mock.When(HttpMethod.Delete, Stub.Base + "/v1/batch/scrape/ok").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var plain = Stub.Client(mock, o => o.LoggerFactory = factory);
        var services = new ServiceCollection();
        services.AddSingleton(factory);
        services.AddFirecrawlClient(o =>
        {
            o.ApiKey = Stub.SecretKey;
            o.BaseAddress = new Uri(Stub.Base);
            o.RetryBaseDelay = TimeSpan.Zero;
        }).ConfigurePrimaryHttpMessageHandler(() => mock);
        using ServiceProvider provider = services.BuildServiceProvider();

        foreach (FirecrawlClient client in new FirecrawlClient[] { plain, provider.GetRequiredService<FirecrawlClient>() })
        {
            await Record.ExceptionAsync(() => client.CancelBatchScrapeAsync(Stub.JobId));
            await Record.ExceptionAsync(() => client.CancelCrawlAsync(Stub.JobId));
            await client.CancelBatchScrapeAsync("ok");
            await Record.ExceptionAsync(() => client.CancelBatchScrapeAsync("limited"));
        }

        IReadOnlyList<FakeLogRecord> all = logs.GetSnapshot();
        Assert.Equal(2, all.Count(r => r.Category == FirecrawlDiagnostics.LoggerCategory && r.Id.Id == 1 && r.GetStructuredStateValue("JobId") == "ok"));
        Assert.Contains(all, r => r.Category == FirecrawlDiagnostics.LoggerCategory && r.Level == LogLevel.Warning);
        Assert.All(all, record =>
        {
            string everything = record.Message + " " + record.Exception + " "
                + string.Join(" ", record.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? []);
            Assert.DoesNotContain(Stub.SecretKey, everything!, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task GetActiveCrawlsAsync_AnOperationWithoutAJob_LogsItsJobAsNone()
    {
        var logs = new FakeLogCollector();
        using ILoggerFactory factory = Factory(logs);
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Get, Stub.Base + "/v1/crawl/active").Respond(HttpStatusCode.OK, """{"success":true,"crawls":[]}""");
        using var client = Stub.Client(mock, o => o.LoggerFactory = factory);

        Assert.Empty(await client.GetActiveCrawlsAsync());

        List<FakeLogRecord> records = Ours(logs);
        Assert.Equal([1, 3], records.Select(r => r.Id.Id));
        Assert.All(records, r => Assert.Equal("none", r.GetStructuredStateValue("JobId")));
        Assert.Equal("GetActiveCrawls", records[0].GetStructuredStateValue("Operation"));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_NoLoggerFactory_LogsNothingAndStillWorks()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);

        // The retry above is a Warning event; without a factory it goes to the null logger, not to a console or a
        // logger the client made for itself.
        mock.VerifyNoOutstandingExpectation();
        Assert.Same(NullLogger.Instance, client.Runner.Runtime.Logger);
        Assert.False(client.Runner.Runtime.Logger.IsEnabled(LogLevel.Critical));
    }

    private static ILoggerFactory Factory(FakeLogCollector collector) =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));

    private static List<FakeLogRecord> Ours(FakeLogCollector logs) =>
        logs.GetSnapshot().Where(r => r.Category == FirecrawlDiagnostics.LoggerCategory).ToList();
}
