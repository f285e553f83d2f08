using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class TracingAndMetricsTests
{
    [Fact]
    public async Task GetActiveCrawlsAsync_WithAListener_NamesTheListAndCarriesNoJobIdTag()
    {
        string host = "list-" + Guid.NewGuid().ToString("N") + ".test";
        var stopped = new List<Activity>();
        using ActivityListener listener = ActivityRecorder.Record(activity => Equals(activity.GetTagItem("server.address"), host), stopped);
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Get, $"https://{host}/v1/crawl/active").Respond(HttpStatusCode.OK, """{"success":true,"crawls":[]}""");
        using var client = Stub.Client(mock, options => options.BaseAddress = new Uri($"https://{host}"));

        Assert.Empty(await client.GetActiveCrawlsAsync());

        Activity list = Assert.Single(stopped);
        Assert.Equal("Firecrawl.GetActiveCrawls", list.OperationName);
        Assert.Equal("GET", list.GetTagItem("http.request.method"));
        Assert.Equal("/v1/crawl/active", list.GetTagItem("url.template"));
        Assert.Null(list.GetTagItem("firecrawl.job_id"));
    }

    [Fact]
    public async Task AnAmbiguousCancelsLook_IsAStatusReadOfItsOwn_NestedUnderTheCancel()
    {
        string jobId = Guid.NewGuid().ToString();
        var stopped = new List<Activity>();
        using ActivityListener listener = ActivityRecorder.Record(activity => Equals(activity.GetTagItem("firecrawl.job_id"), jobId), stopped);
        using var mock = Stub.Mock();
        string url = Stub.Base + "/v2/agent/" + jobId;
        mock.Expect(HttpMethod.Delete, url).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "cut"));
        mock.Expect(HttpMethod.Get, url).Respond(HttpStatusCode.OK, """{"success":true,"status":"failed","error":"Agent job was cancelled."}""");
        using var client = Stub.Client(mock, o => o.MaxRetries = 0);

        Assert.True((await client.CancelAgentAsync(jobId)).ConfirmedByStatusRead);

        Assert.Equal(["Firecrawl.GetAgentStatus", "Firecrawl.CancelAgent"], stopped.Select(a => a.OperationName));
        Assert.Same(stopped[1], stopped[0].Parent);
        Assert.Equal("read", stopped[0].GetTagItem("firecrawl.outcome"));
        Assert.Equal("/v2/agent/{id}", stopped[0].GetTagItem("url.template"));
        Assert.Equal("cancelled", stopped[1].GetTagItem("firecrawl.outcome"));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_WithAListener_EmitsOneActivityPerCallWithHttpTags()
    {
        string jobId = Guid.NewGuid().ToString();
        var stopped = new List<Activity>();
        using ActivityListener listener = ActivityRecorder.Record(activity => Equals(activity.GetTagItem("firecrawl.job_id"), jobId), stopped);
        using var mock = Stub.Mock();
        string url = Stub.Base + "/v1/batch/scrape/" + jobId;
        mock.Expect(HttpMethod.Delete, url).Respond(HttpStatusCode.BadGateway, "{}");
        mock.Expect(HttpMethod.Delete, url).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        mock.Expect(HttpMethod.Delete, url).Respond(HttpStatusCode.NotFound, """{"error":"Job not found"}""");
        using var client = Stub.Client(mock);

        await client.CancelBatchScrapeAsync(jobId);
        await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => client.CancelBatchScrapeAsync(jobId));

        Assert.Equal(2, stopped.Count);
        Activity ok = stopped[0];
        Assert.Equal("Firecrawl.CancelBatchScrape", ok.OperationName);
        Assert.Equal(ActivityKind.Client, ok.Kind);
        Assert.Equal("DELETE", ok.GetTagItem("http.request.method"));
        Assert.Equal("firecrawl.test", ok.GetTagItem("server.address"));
        Assert.Equal(443, ok.GetTagItem("server.port"));
        Assert.Equal("/v1/batch/scrape/{id}", ok.GetTagItem("url.template"));
        Assert.Equal(200, ok.GetTagItem("http.response.status_code"));
        Assert.Equal(1, ok.GetTagItem("firecrawl.retry_count"));
        Assert.Equal("cancelled", ok.GetTagItem("firecrawl.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, ok.Status);

        Activity failed = stopped[1];
        Assert.Equal("404", failed.GetTagItem("error.type"));
        Assert.Equal(404, failed.GetTagItem("http.response.status_code"));
        Assert.Equal("not_found", failed.GetTagItem("firecrawl.outcome"));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
    }

    [Fact]
    public async Task CancelAsync_WithAMeterListener_CountsOutcomesAndRecordsDurations()
    {
        string host = $"metrics-{Guid.NewGuid():N}.test";
        var counts = new List<(long Value, string Outcome, string? ErrorType)>();
        var durations = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == FirecrawlDiagnostics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            Dictionary<string, object?> t = tags.ToArray().ToDictionary(kv => kv.Key, kv => kv.Value);
            if (instrument.Name == FirecrawlDiagnostics.OperationOutcomesInstrumentName && Equals(t["server.address"], host))
            {
                lock (counts)
                {
                    counts.Add((value, (string)t["firecrawl.outcome"]!, t.GetValueOrDefault("error.type") as string));
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == FirecrawlDiagnostics.OperationDurationInstrumentName && tags.ToArray().Any(kv => kv.Key == "server.address" && Equals(kv.Value, host)))
            {
                lock (durations)
                {
                    durations.Add(value);
                }
            }
        });
        listener.Start();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, $"https://{host}/v1/crawl/{Stub.JobId}").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        mock.Expect(HttpMethod.Delete, $"https://{host}/v1/crawl/{Stub.JobId}").Respond(HttpStatusCode.Conflict, """{"error":"Crawl is already completed"}""");
        mock.Expect(HttpMethod.Delete, $"https://{host}/v1/crawl/{Stub.JobId}").Respond(HttpStatusCode.Unauthorized, """{"error":"Unauthorized"}""");
        mock.Expect(HttpMethod.Delete, $"https://{host}/v1/crawl/{Stub.JobId}").Throw(new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        using var client = Stub.Client(mock, o =>
        {
            o.BaseAddress = new Uri($"https://{host}");
            o.MaxRetries = 0;
        });

        await client.CancelCrawlAsync(Stub.JobId);
        await client.CancelCrawlAsync(Stub.JobId);
        await Assert.ThrowsAsync<FirecrawlUnauthorizedException>(() => client.CancelCrawlAsync(Stub.JobId));
        await Assert.ThrowsAsync<FirecrawlException>(() => client.CancelCrawlAsync(Stub.JobId));

        Assert.Equal(
            [(1L, "cancelled", (string?)null), (1L, "already_completed", null), (1L, "unauthorized", "401"), (1L, "network_error", "System.Net.Http.HttpRequestException")],
            counts);
        Assert.Equal(4, durations.Count);
        Assert.All(durations, d => Assert.True(d >= 0));
    }

    [Fact]
    public async Task EveryOperation_IsMeasuredUnderTheOperationNames_AndTheEarlierNamesStillRecordTheSame()
    {
        string host = $"aliases-{Guid.NewGuid():N}.test";
        var seen = new List<(string Instrument, string Operation, string Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == FirecrawlDiagnostics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            Dictionary<string, object?> t = tags.ToArray().ToDictionary(kv => kv.Key, kv => kv.Value);
            if (Equals(t["server.address"], host))
            {
                lock (seen)
                {
                    seen.Add((instrument.Name, (string)t["firecrawl.operation"]!, (string)t["firecrawl.outcome"]!));
                }
            }
        }

        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        listener.Start();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, $"https://{host}/v1/crawl/active").Respond(HttpStatusCode.OK, """{"success":true,"crawls":[]}""");
        mock.When(HttpMethod.Delete, $"https://{host}/v1/batch/scrape/{Stub.JobId}").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o => o.BaseAddress = new Uri($"https://{host}"));

        await client.GetActiveCrawlsAsync();
        await client.CancelBatchScrapeAsync(Stub.JobId);

#pragma warning disable CS0618 // The aliases are what this test is about.
        string[] instruments =
        [
            FirecrawlDiagnostics.OperationOutcomesInstrumentName, FirecrawlDiagnostics.OperationDurationInstrumentName,
            FirecrawlDiagnostics.OutcomesInstrumentName, FirecrawlDiagnostics.DurationInstrumentName,
        ];
#pragma warning restore CS0618
        Assert.Equal(["firecrawl.client.operation.outcomes", "firecrawl.client.operation.duration", "firecrawl.client.cancel.outcomes", "firecrawl.client.cancel.duration"], instruments);
        foreach (string instrument in instruments)
        {
            Assert.Equal(
                [("GetActiveCrawls", "listed"), ("CancelBatchScrape", "cancelled")],
                seen.Where(m => m.Instrument == instrument).Select(m => (m.Operation, m.Outcome)));
        }
    }
}
