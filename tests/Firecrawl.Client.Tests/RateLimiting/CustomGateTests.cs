using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// <see cref="FirecrawlRateLimitGate"/> as a seam: a gate of your own is asked before every attempt and told how each
/// ended, set by an option or under DI; and the client's own rules hold whatever it says.
/// </summary>
public sealed class CustomGateTests
{
    public static TheoryData<string> Paths => ["plain", "di"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task AGateOfYourOwn_IsAskedBeforeEachAttemptAndToldHowItEnded(string path)
    {
        var gate = new RecordingGate();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests,
            """{"success":false,"error":"Rate limit exceeded. Consumed (req/min): 26, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after 1s, resets at Sun Nov 29 2026 03:42:54 GMT+0000 (Coordinated Universal Time)"}""");
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Throw(new HttpRequestException("reset"));
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        await using Built built = Built.For(path, mock, gate);

        CancelBatchScrapeResult result = await built.Client.CancelBatchScrapeAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(3, gate.Entered);
        Assert.Equal(3, gate.Outcomes.Count);
        FirecrawlGateOutcome limited = gate.Outcomes[0];
        Assert.True(limited.RateLimited && limited.Answered);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.NamedWait);
        Assert.Equal(TimeSpan.FromSeconds(1.5), limited.RetryAfter);   // padded by the client, jitter fixed at 0
        Assert.Equal(26, limited.Consumed);
        Assert.False(gate.Outcomes[1].Answered);
        Assert.Equal(new FirecrawlGateOutcome { Answered = true }, gate.Outcomes[2]);
        Assert.All(gate.Partitions, p => Assert.Equal(FirecrawlGatePartition.For(Stub.SecretKey, new Uri(Stub.Base)), p));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task AGateThatSaysWaitLongerThanACallMay_TheCallFailsAtOnceWithThatWaitAndSendsNothing(string path)
    {
        var gate = new RecordingGate { Wait = TimeSpan.FromMinutes(5) };
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        await using Built built = Built.For(path, mock, gate);

        var error = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => built.Client.CancelBatchScrapeAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(TimeSpan.FromMinutes(5), error.RetryAfter);
        Assert.Equal(0, mock.GetMatchCount(route));
        Assert.Empty(gate.Outcomes);
    }

    public static TheoryData<string, string, int> ClosedAfter()
    {
        var rows = new TheoryData<string, string, int>();
        foreach (string path in new[] { "plain", "di" })
        {
            foreach (string failure in new[] { "503", "refused" })
            {
                rows.Add(path, failure, 1);
                rows.Add(path, failure, 2);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(ClosedAfter))]
    public async Task ARetryThatWouldMeetAGateClosedTooLong_IsNotMade_TheCallFailsAtOnceWithTheGatesWait(string path, string failure, int attemptsBeforeItCloses)
    {
        // The gate lets attempts through; once that many have failed, it is closed for longer than a call may wait.
        var gate = new RecordingGate { Peeked = TimeSpan.FromMinutes(5), PeekedAfterOutcomes = attemptsBeforeItCloses };
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        DateTimeOffset started = time.GetUtcNow();
        using var mock = Stub.Mock();
        MockedRequest route = failure == "503"
            ? mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}")
            : mock.When(HttpMethod.Delete, Stub.BatchUrl).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        await using Built built = Built.For(path, mock, gate, o =>
        {
            o.TimeProvider = time;
            o.RetryBaseDelay = TimeSpan.FromMinutes(2);
            o.RetryMaxDelay = TimeSpan.FromMinutes(10);
            o.TotalTimeout = TimeSpan.FromMinutes(30);
        });

        var error = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => built.Client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time));

        Assert.Equal(TimeSpan.FromMinutes(5), error.RetryAfter);
        Assert.Equal(attemptsBeforeItCloses, mock.GetMatchCount(route));
        Assert.Equal(attemptsBeforeItCloses, gate.Entered);
        // Only the back-off before the gate closed was slept (half the 2 min base before the second attempt, jitter
        // fixed at 0), not the one a refused retry would have slept first.
        TimeSpan slept = TimeSpan.FromMinutes(attemptsBeforeItCloses - 1);
        Assert.InRange(time.GetUtcNow() - started, slept, slept + TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task BulkProgress_ReadsTheGatesLastKnownWaitWithoutAskingIt()
    {
        var gate = new RecordingGate { Peeked = TimeSpan.FromSeconds(42) };
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.Base + "/v1/batch/scrape/*").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o => o.RateLimitGate = gate);
        var reports = new List<BulkCancelProgress>();

        await client.CancelBatchScrapesAsync(["a", "b"], new BulkCancelOptions { MaxConcurrency = 1, Progress = new Sync(reports.Add) });

        Assert.All(reports, r => Assert.Equal(TimeSpan.FromSeconds(42), r.RateLimitWait));
        Assert.Equal(2, gate.Entered);
    }

    private sealed class Sync(Action<BulkCancelProgress> report) : IProgress<BulkCancelProgress>
    {
        public void Report(BulkCancelProgress value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }

    public static TheoryData<string, bool> ThrowingGates()
    {
        var rows = new TheoryData<string, bool>();
        foreach (string where in new[] { "EnterAsync", "EnterAsync synchronously", "LeaveAsync", "PeekWait", "everywhere" })
        {
            rows.Add(where, false);
            rows.Add(where, true);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(ThrowingGates))]
    public async Task AGateThatThrows_NeverFailsACancel_AStandInPacesAndOneWarningPerMemberSaysWhy(string where, bool rateLimited)
    {
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(logs)));
        var gate = new ThrowingGate(where);
        using var mock = Stub.Mock();
        if (rateLimited)
        {
            mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests,
                """{"success":false,"error":"Rate limit exceeded. Consumed (req/min): 3, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after 1s, resets at Sun Nov 29 2026 03:42:54 GMT+0000 (Coordinated Universal Time)"}""");
        }

        mock.When(HttpMethod.Delete, Stub.Base + "/v1/batch/scrape/*").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using FirecrawlClient client = Stub.Client(mock, o =>
        {
            o.RateLimitGate = gate;
            o.LoggerFactory = logging;
            o.TimeProvider = time;
        });

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time)).Outcome);
        }

        BulkCancelResult bulk = await client.CancelBatchScrapesAsync([Stub.JobId, Stub.JobId + "x"], new BulkCancelOptions { Progress = new Progress<BulkCancelProgress>() }).WithFakeTime(time);
        Assert.Equal(2, bulk.Cancelled);
        // One warning for each member that failed, however often it failed.
        var warnings = logs.GetSnapshot().Where(r => r.Id.Name == "RateLimitGateFailed").ToList();
        Assert.NotEmpty(warnings);
        Assert.Equal(warnings.Count, warnings.Select(w => w.StructuredState!.Single(p => p.Key == "Member").Value).Distinct().Count());
        Assert.All(warnings, w => Assert.Contains("ThrowingGate", w.Message, StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.Contains("the gate is broken", w.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("EnterAsync")]
    [InlineData("LeaveAsync")]
    [InlineData("LeaveAsync later")]
    public async Task AGateThatFailsAgainAfterItAnswered_IsWarnedAboutAgain_OncePerStreak(string where)
    {
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(logs)));
        var gate = new SwitchingGate(where);
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using FirecrawlClient client = Stub.Client(mock, o =>
        {
            o.RateLimitGate = gate;
            o.LoggerFactory = logging;
        });

        // Two failing calls, two answering ones, two failing ones: two streaks, each warned about once.
        foreach (bool fails in new[] { true, true, false, false, true, true })
        {
            gate.Fails = fails;
            Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
        }

        var warnings = logs.GetSnapshot().Where(r => r.Id.Name == "RateLimitGateFailed").ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(where.Split(' ')[0], w.StructuredState!.Single(p => p.Key == "Member").Value));
    }

    /// <summary>
    /// A gate whose member named by the test throws while <see cref="Fails"/> is set (at once, or after a real await),
    /// and that lets everything through otherwise.
    /// </summary>
    private sealed class SwitchingGate(string where) : FirecrawlRateLimitGate
    {
        public bool Fails { get; set; }

        public override ValueTask<FirecrawlGateEntry> EnterAsync(FirecrawlGatePartition partition, CancellationToken cancellationToken) =>
            Fails && where == "EnterAsync" ? throw new InvalidOperationException("the store is away") : new(FirecrawlGateEntry.Go);

        public override ValueTask LeaveAsync(FirecrawlGatePartition partition, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome, CancellationToken cancellationToken) => where switch
        {
            "LeaveAsync" when Fails => throw new InvalidOperationException("the store is away"),
            "LeaveAsync later" => LeaveLaterAsync(Fails),
            _ => default,
        };

        public override TimeSpan PeekWait(FirecrawlGatePartition partition) => TimeSpan.Zero;

        private static async ValueTask LeaveLaterAsync(bool fails)
        {
            await Task.Yield();
            if (fails)
            {
                throw new InvalidOperationException("the store is away");
            }
        }
    }

    /// <summary>A gate that throws from the member a test names (or from every one), as a buggy gate of a user's might.</summary>
    private sealed class ThrowingGate(string where) : FirecrawlRateLimitGate
    {
        public override ValueTask<FirecrawlGateEntry> EnterAsync(FirecrawlGatePartition partition, CancellationToken cancellationToken) => where switch
        {
            "EnterAsync synchronously" or "everywhere" => throw new InvalidOperationException("the gate is broken"),
            "EnterAsync" => ValueTask.FromException<FirecrawlGateEntry>(new InvalidOperationException("the gate is broken")),
            _ => new(FirecrawlGateEntry.Go),
        };

        public override ValueTask LeaveAsync(FirecrawlGatePartition partition, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome, CancellationToken cancellationToken) =>
            where is "LeaveAsync" or "everywhere" ? ValueTask.FromException(new InvalidOperationException("the gate is broken")) : default;

        public override TimeSpan PeekWait(FirecrawlGatePartition partition) =>
            where is "PeekWait" or "everywhere" ? throw new InvalidOperationException("the gate is broken") : TimeSpan.Zero;
    }

    /// <summary>A gate that lets everything through (or holds everything for <see cref="Wait"/>) and records what it hears.</summary>
    private sealed class RecordingGate : FirecrawlRateLimitGate
    {
        public TimeSpan Wait { get; init; }

        public TimeSpan Peeked { get; init; }

        /// <summary>How many outcomes the gate hears before <see cref="Peeked"/> applies; none before that.</summary>
        public int PeekedAfterOutcomes { get; init; }

        public int Entered { get; private set; }

        public List<FirecrawlGateOutcome> Outcomes { get; } = [];

        public List<FirecrawlGatePartition> Partitions { get; } = [];

        public override ValueTask<FirecrawlGateEntry> EnterAsync(FirecrawlGatePartition partition, CancellationToken cancellationToken)
        {
            lock (this)
            {
                Partitions.Add(partition);
                if (Wait > TimeSpan.Zero)
                {
                    return new(FirecrawlGateEntry.WaitFor(Wait));
                }

                Entered++;
                return new(new FirecrawlGateEntry { Tag = 7 });
            }
        }

        public override ValueTask LeaveAsync(FirecrawlGatePartition partition, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome, CancellationToken cancellationToken)
        {
            Assert.Equal(7, entry.Tag);
            lock (this)
            {
                Outcomes.Add(outcome);
            }

            return default;
        }

        public override TimeSpan PeekWait(FirecrawlGatePartition partition)
        {
            lock (this)
            {
                return Outcomes.Count >= PeekedAfterOutcomes ? Peeked : TimeSpan.Zero;
            }
        }
    }

    private sealed class Built(FirecrawlClient client, ServiceProvider? provider) : IAsyncDisposable
    {
        public FirecrawlClient Client { get; } = client;

        public static Built For(string path, MockHttpMessageHandler mock, FirecrawlRateLimitGate gate, Action<FirecrawlClientOptions>? more = null)
        {
            void Configure(FirecrawlClientOptions o)
            {
                o.ApiKey = Stub.SecretKey;
                o.BaseAddress = new Uri(Stub.Base);
                o.RetryBaseDelay = TimeSpan.Zero;
                o.Jitter = static () => 0;
                o.RateLimitGate = gate;
                more?.Invoke(o);
            }

            if (path == "plain")
            {
                return new Built(new FirecrawlClient(Stub.Options(Configure), mock), null);
            }

            var services = new ServiceCollection();
            services.AddFirecrawlClient(Configure).ConfigurePrimaryHttpMessageHandler(() => mock);
            ServiceProvider provider = services.BuildServiceProvider();
            return new Built(provider.GetRequiredService<FirecrawlClient>(), provider);
        }

        public async ValueTask DisposeAsync()
        {
            if (provider is null)
            {
                Client.Dispose();
            }
            else
            {
                await provider.DisposeAsync();
            }
        }
    }
}
