using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>The low-cardinality names telemetry gives each ending, and the tags that say which operation ran.</summary>
public sealed class TelemetryOutcomeTests
{
    private static readonly FirecrawlError Error = new() { Message = "x" };

    public static TheoryData<Exception, string> Endings() => new()
    {
        { new FirecrawlNotFoundException(Error), "not_found" },
        { new FirecrawlUnauthorizedException(Error), "unauthorized" },
        { new FirecrawlForbiddenException(Error), "forbidden" },
        { new FirecrawlRateLimitException(Error, null), "rate_limited" },
        { new FirecrawlServerException(HttpStatusCode.BadGateway, Error), "server_error" },
        { new FirecrawlApiException(HttpStatusCode.BadRequest, Error), "api_error" },
        { new FirecrawlTimeoutException(), "timeout" },
        { new ObjectDisposedException("client"), "client_disposed" },
        { new OperationCanceledException(), "caller_cancelled" },
        { new FirecrawlException(), "network_error" },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public void OutcomeOf_EachEnding_HasItsOwnStableName(Exception error, string expected)
    {
        Assert.Equal(expected, FirecrawlTelemetry.OutcomeOf(error));
    }

    [Fact]
    public async Task CancelCrawlAsync_FailsAfterRetries_ActivityNamesTheOperationAndCountsTheRetries()
    {
        string jobId = Guid.NewGuid().ToString();
        var stopped = new List<Activity>();
        using ActivityListener listener = ActivityRecorder.Record(activity => Equals(activity.GetTagItem("firecrawl.job_id"), jobId), stopped);
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.Base + "/v1/crawl/" + jobId).Respond(HttpStatusCode.BadGateway, "{}");
        using var client = Stub.Client(mock, o => o.MaxRetries = 2);

        await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelCrawlAsync(jobId));

        Activity failed = Assert.Single(stopped);
        Assert.Equal("Firecrawl.CancelCrawl", failed.OperationName);
        Assert.Equal("CancelCrawl", failed.GetTagItem("firecrawl.operation"));
        Assert.Equal(2, failed.GetTagItem("firecrawl.retry_count"));
        Assert.Equal("server_error", failed.GetTagItem("firecrawl.outcome"));
        Assert.StartsWith("Cancelling crawl", failed.StatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_CallerCancels_MetricsCountCallerCancelledForThatOperation()
    {
        string host = $"metrics-{Guid.NewGuid():N}.test";
        var seen = new List<(string Outcome, string Operation)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = static (instrument, l) =>
            {
                if (instrument.Meter.Name == FirecrawlDiagnostics.MeterName && instrument.Name == FirecrawlDiagnostics.OperationOutcomesInstrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            Dictionary<string, object?> t = tags.ToArray().ToDictionary(kv => kv.Key, kv => kv.Value);
            if (Equals(t["server.address"], host))
            {
                lock (seen)
                {
                    seen.Add(((string)t["firecrawl.outcome"]!, (string)t["firecrawl.operation"]!));
                }
            }
        });
        meters.Start();
        var server = new HangingHandler();
        using var client = new FirecrawlClient(Stub.Options(o => o.BaseAddress = new Uri($"https://{host}")), server);
        using var cts = new CancellationTokenSource();

        Task<CancelBatchScrapeResult> call = client.CancelBatchScrapeAsync(Stub.JobId, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal([("caller_cancelled", "CancelBatchScrape")], seen);
    }
}
