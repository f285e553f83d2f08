using System.Diagnostics;
using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>Runs alone: other tests listen to the client's activities, and listening is process-wide.</summary>
[CollectionDefinition(nameof(NoListenerTests), DisableParallelization = true)]
public sealed class NoListenerTestsDefinition;

/// <summary>When nobody listens, no activity is created: the success path pays nothing for tracing.</summary>
[Collection(nameof(NoListenerTests))]
public sealed class NoListenerTests
{
    [Fact]
    public async Task CancelBatchScrapeAsync_NobodyListens_NoActivityIsCreated()
    {
        bool sent = false;
        Activity? seenByTheTransport = null;
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ =>
        {
            sent = true;
            seenByTheTransport = Activity.Current;
            return Stub.Json(HttpStatusCode.OK, """{"status":"cancelled"}""");
        });
        using var client = Stub.Client(mock);

        Assert.False(FirecrawlTelemetry.Source.HasListeners(), "Another test left a listener on the client's ActivitySource.");
        await client.CancelBatchScrapeAsync(Stub.JobId);

        Assert.True(sent);
        Assert.Null(seenByTheTransport);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_SomeoneListens_TheTransportRunsInsideTheClientsActivity()
    {
        Activity? seenByTheTransport = null;
        var stopped = new List<Activity>();
        using ActivityListener listener = ActivityRecorder.Record(static _ => true, stopped);
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ =>
        {
            seenByTheTransport = Activity.Current;
            return Stub.Json(HttpStatusCode.OK, """{"status":"cancelled"}""");
        });
        using var client = Stub.Client(mock);

        await client.CancelBatchScrapeAsync(Stub.JobId);

        Activity call = Assert.Single(stopped);
        Assert.Same(call, seenByTheTransport);
    }
}
