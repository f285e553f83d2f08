using System.Diagnostics.Metrics;
using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>Calls in flight when the client is disposed end promptly as disposed, never as timeouts.</summary>
[Collection(nameof(FirecrawlClientDisposalTests))]
public sealed class FirecrawlClientDisposalTests
{
    [Theory]
    [MemberData(nameof(Paths.Both), MemberType = typeof(Paths))]
    public async Task Dispose_FiveCallsWaitingOnTheServer_AllEndWithObjectDisposedExceptionAndNoTimeoutIsCounted(string path)
    {
        var outcomes = new List<string>();
        using MeterListener meters = ListenToOutcomes(outcomes);
        var server = new HangingHandler();
        Paths paths = Paths.For(path, server, o =>
        {
            o.AttemptTimeout = TimeSpan.FromMinutes(10);
            o.BaseAddress = new Uri("https://disposal.test");
        });
        Task<CancelBatchScrapeResult>[] calls = Enumerable.Range(0, 5).Select(_ => paths.Client.CancelBatchScrapeAsync(Stub.JobId)).ToArray();
        while (server.Calls < 5)
        {
            await Task.Delay(5);
        }

        paths.Dispose();

        foreach (Task<CancelBatchScrapeResult> call in calls)
        {
            // Well before any limit of the client's (ten minutes) could have ended it.
            var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(
                $"The FirecrawlClient was disposed while this call was in flight, so the call was abandoned; batch scrape '{Stub.JobId}' may or may not have been cancelled.",
                error.Message);
        }

        lock (outcomes)
        {
            Assert.Equal(5, outcomes.Count(o => o == "client_disposed"));
            Assert.DoesNotContain("timeout", outcomes);
        }
    }

    [Theory]
    [MemberData(nameof(Paths.Both), MemberType = typeof(Paths))]
    public async Task Dispose_CallWaitingInABackOff_EndsWithObjectDisposedExceptionAtOnce(string path)
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        Paths paths = Paths.For(path, mock, o =>
        {
            o.TimeProvider = time;
            o.RetryBaseDelay = TimeSpan.FromMinutes(5);
            o.RetryMaxDelay = TimeSpan.FromMinutes(5);
            o.TotalTimeout = TimeSpan.FromMinutes(30);
            o.Jitter = static () => 1;
        });
        Task<CancelBatchScrapeResult> call = paths.Client.CancelBatchScrapeAsync(Stub.JobId);
        await time.WaitForTimerDueAtAsync(TimeSpan.FromMinutes(5));   // in the back-off, not before it

        paths.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Dispose_CallWaitingAtTheGate_EndsWithObjectDisposedExceptionAtOnce()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 50s"}""");
        var time = new WatchedFakeTime();
        var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 0;
        });
        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
        Task<CancelCrawlResult> waiting = client.CancelCrawlAsync(Stub.JobId);
        await time.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(50.5));   // at the gate, not before it

        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.CancelCrawlAsync(Stub.JobId));
    }

    private static MeterListener ListenToOutcomes(List<string> outcomes)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = static (instrument, l) =>
            {
                if (instrument.Meter.Name == FirecrawlDiagnostics.MeterName && instrument.Name == FirecrawlDiagnostics.OperationOutcomesInstrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            // Other tests run beside this one; only this test's server counts.
            string? outcome = null;
            bool ours = false;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                outcome = tag.Key == "firecrawl.outcome" ? (string?)tag.Value : outcome;
                ours |= tag.Key == "server.address" && Equals(tag.Value, "disposal.test");
            }

            if (ours && outcome is not null)
            {
                lock (outcomes)
                {
                    outcomes.Add(outcome);
                }
            }
        });
        listener.Start();
        return listener;
    }
}
