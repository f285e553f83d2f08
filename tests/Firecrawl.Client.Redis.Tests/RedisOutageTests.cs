using System.Diagnostics;
using Firecrawl.Client.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace Firecrawl.Client.Redis.Tests;

/// <summary>
/// No gate failure can fail a cancel: whatever the Redis client throws, whenever it throws it, the gate stands in with
/// its in-process gate and the attempt goes on; and the one warning says why in a user's terms.
/// </summary>
public sealed class RedisOutageTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// What a failing Redis may add to one cancel: the bounded call on the way in (CommandTimeout). The report on the
    /// way out is not waited for unless the answer was a 429, and these are not. The slack is for a loaded machine, not
    /// for Redis.
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    [Theory]
    [MemberData(nameof(KillableRedis.Kinds), MemberType = typeof(KillableRedis))]
    public async Task RedisKilledAndRestartedTwentyTimes_DuringSingleAndBulkCancels_EveryJobIsCancelledAndNoneWaitsPastTheBound(string kind)
    {
        await using KillableRedis redis = await KillableRedis.StartAsync(kind);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { RecordRequests = false });
        var logs = new FakeLogCollector();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        await using FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync(
            redis.Configuration, new FirecrawlRedisGateOptions { RetryInterval = TimeSpan.FromMilliseconds(100), LoggerFactory = logging });

        // No retries: a gate failure that reached the call would fail the job, not hide behind a second attempt.
        using FirecrawlClient client = emulator.CreateClient(o =>
        {
            o.RateLimitGate = gate;
            o.MaxRetries = 0;
        });

        // Garnet stops and starts inside this process, blocking threads while it does: enough threads that the cancels'
        // timers are not queued behind them, since what is measured is the gate, not this machine's thread pool.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);

        // Warm up first: a cold process compiles every path at once, and on two cores its thread pool stalls for most of a
        // second while it does; that stall is the machine's, not Redis's, and would be measured as the gate's.
        for (int i = 0; i < 20; i++)
        {
            await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob());
        }

        await client.CancelCrawlsAsync([.. Enumerable.Range(0, 40).Select(_ => emulator.CreateCrawlJob())], new BulkCancelOptions { MaxConcurrency = 8 });

        using var chaosDone = new CancellationTokenSource();
        Task chaos = Task.Run(async () =>
        {
            try
            {
                for (int cycle = 0; cycle < 20; cycle++)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(40 + (cycle * 17 % 60)));
                    redis.Kill();
                    await Task.Delay(TimeSpan.FromMilliseconds(30 + (cycle * 29 % 60)));
                    await redis.RestartAsync();
                }
            }
            finally
            {
                await chaosDone.CancelAsync();
            }
        });

        var singles = new List<(string Id, TimeSpan Took, CancelOutcome Outcome)>();
        var bulkJobs = new List<string>();
        var bulkReports = new List<BulkCancelResult>();
        Task singlesRun = Task.Run(async () =>
        {
            while (!chaosDone.IsCancellationRequested)
            {
                string id = emulator.CreateBatchScrapeJob();
                long started = Stopwatch.GetTimestamp();
                CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(id);
                singles.Add((id, Stopwatch.GetElapsedTime(started), result.Outcome));
            }
        });
        Task bulkRun = Task.Run(async () =>
        {
            while (!chaosDone.IsCancellationRequested)
            {
                string[] ids = [.. Enumerable.Range(0, 40).Select(_ => emulator.CreateCrawlJob())];
                bulkJobs.AddRange(ids);
                bulkReports.Add(await client.CancelCrawlsAsync(ids, new BulkCancelOptions { MaxConcurrency = 8 }));
            }
        });
        await Task.WhenAll(chaos, singlesRun, bulkRun).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotEmpty(singles);
        Assert.NotEmpty(bulkJobs);
        Assert.All(singles, s => Assert.Equal(CancelOutcome.Cancelled, s.Outcome));
        Assert.All(bulkReports, report =>
        {
            Assert.True(report.AllStopped, string.Join("; ", report.Jobs.Where(j => !j.Stopped).Select(j => j.Error?.Message)));
            Assert.Equal(report.Jobs.Count, report.Cancelled);
        });
        Assert.All(singles.Select(s => s.Id).Concat(bulkJobs), id => Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id)));
        TimeSpan slowest = singles.Max(s => s.Took);
        double[] sorted = [.. singles.Select(s => s.Took.TotalMilliseconds).Order()];
        output.WriteLine($"{kind}: {singles.Count} single cancels, {bulkJobs.Count} in bulk; single cancel median {sorted[sorted.Length / 2]:0.0} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:0.0} ms, slowest {slowest.TotalMilliseconds:0.0} ms; {logs.GetSnapshot().Count(r => r.Id.Name == "RedisGateFellBack")} fall-back warnings");
        Assert.True(slowest <= gate.CommandTimeout + Slack, $"The slowest of {singles.Count} cancels took {slowest.TotalMilliseconds:0} ms.");
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Name == "RedisGateFellBack");
    }

    public static TheoryData<string, string> Failures()
    {
        var data = new TheoryData<string, string>();
        foreach (string where in new[] { "GetDatabase", "synchronously", "task" })
        {
            foreach (string failure in ThrowingRedis.Failures.Keys)
            {
                data.Add(where, failure);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task WhateverTheRedisClientThrows_WheneverItThrowsIt_TheCancelGoesThroughAndOneWarningSaysWhy(string where, string failure)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        var logs = new FakeLogCollector();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        await using var gate = new FirecrawlRedisRateLimitGate(
            ThrowingRedis.Create(where, ThrowingRedis.Failures[failure]), new FirecrawlRedisGateOptions { RetryInterval = TimeSpan.Zero, LoggerFactory = logging });
        using FirecrawlClient client = emulator.CreateClient(o =>
        {
            o.RateLimitGate = gate;
            o.MaxRetries = 0;
        });

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob())).Outcome);
        }

        BulkCancelResult bulk = await client.CancelCrawlsAsync([.. Enumerable.Range(0, 10).Select(_ => emulator.CreateCrawlJob())]);
        Assert.True(bulk.AllStopped);
        FakeLogRecord warning = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RedisGateFellBack");
        Assert.Contains("redis.test", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GateDisposedWhileCancelsRun_EveryCancelStillGoesThrough()
    {
        await using RedisServer redis = await RedisServer.StartGarnetAsync();
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration);
        using FirecrawlClient client = emulator.CreateClient(o =>
        {
            o.RateLimitGate = gate;
            o.MaxRetries = 0;
        });

        string[] ids = [.. Enumerable.Range(0, 60).Select(_ => emulator.CreateBatchScrapeJob())];
        Task<BulkCancelResult> run = client.CancelBatchScrapesAsync(ids, new BulkCancelOptions { MaxConcurrency = 4 });
        await Task.Delay(20);
        await gate.DisposeAsync();
        BulkCancelResult report = await run;
        CancelBatchScrapeResult after = await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob());

        Assert.True(report.AllStopped, string.Join("; ", report.Jobs.Where(j => !j.Stopped).Select(j => j.Error?.Message)));
        Assert.Equal(CancelOutcome.Cancelled, after.Outcome);
        Assert.False(gate.IsShared);
    }

    [Fact]
    public async Task WrongPassword_TheWarningSaysAuthenticationWasRefused()
    {
        await using RedisServer redis = await RedisServer.StartGarnetAsync(password: "right-" + Guid.NewGuid().ToString("N"));
        string warning = await FallBackWarningAsync($"127.0.0.1:{redis.Port},password=wrong-{Guid.NewGuid():N}");

        Assert.Contains("authentication refused", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingListening_TheWarningSaysUnreachable()
    {
        int port;
        await using (RedisServer gone = await RedisServer.StartGarnetAsync())
        {
            port = gone.Port;
        }

        string warning = await FallBackWarningAsync($"127.0.0.1:{port}");

        Assert.Contains("unreachable", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnHttpServerWhereRedisShouldBe_TheWarningSaysItIsTheWrongKindOfServer()
    {
        // A web server's answer to what is not HTTP, on a connection it keeps open, so that what the Redis client meets
        // is the answer and not a closed socket (which a server gone away also gives).
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var held = new List<System.Net.Sockets.TcpClient>();
        Task serving = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    System.Net.Sockets.TcpClient connection = await listener.AcceptTcpClientAsync(stop.Token);
                    held.Add(connection);
                    _ = Task.Run(async () =>
                    {
                        byte[] buffer = new byte[4096];
                        System.Net.Sockets.NetworkStream stream = connection.GetStream();
                        while (await stream.ReadAsync(buffer, stop.Token) > 0)
                        {
                            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), stop.Token);
                        }
                    });
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });

        // With a 2 s bound rather than 250 ms: this is about what the warning calls the server, and on a loaded machine
        // (CI beside a mutation run) the handshake outlasted 250 ms, which the warning rightly called unreachable.
        string warning = await FallBackWarningAsync($"127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port},asyncTimeout=2000");
        await stop.CancelAsync();
        listener.Stop();
        await serving;
        held.ForEach(static c => c.Dispose());

        Assert.True(warning.Contains("wrong kind of server", StringComparison.Ordinal), warning);
    }

    public static TheoryData<string, Exception, bool> Reasons() => new()
    {
        { "authentication refused", new RedisConnectionException(ConnectionFailureType.AuthenticationFailure, "AuthenticationFailure on 127.0.0.1:6379"), false },
        { "authentication refused", new RedisServerException("WRONGPASS invalid username-password pair or user is disabled."), true },
        { "authentication refused", new RedisServerException("NOAUTH Authentication required."), true },
        { "unreachable", new RedisConnectionException(ConnectionFailureType.UnableToConnect, "UnableToConnect on 127.0.0.1:6379"), false },
        { "unreachable", new RedisConnectionException(ConnectionFailureType.SocketFailure, "SocketFailure on 127.0.0.1:6379"), false },
        { "unreachable", new TimeoutException(), false },
        { "timed out", new TimeoutException(), true },
        { "timed out", new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent), true },
        { "wrong kind of server", new RedisConnectionException(ConnectionFailureType.ProtocolFailure, "ProtocolFailure"), false },
        { "wrong kind of server", new RedisServerException("ERR unknown command 'EVALSHA', with args beginning with:"), true },
        { "wrong kind of server", new InvalidCastException("Unable to cast"), true },
        { "another type", new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value"), true },
        { "read-only replica", new RedisServerException("READONLY You can't write against a read only replica."), true },
        { "goes away mid-call", new InvalidOperationException("Writing is not allowed after writer was completed."), true },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void EachFailure_IsDescribedInAUsersTerms(string expected, Exception failure, bool connected)
    {
        string reason = RedisFailure.Describe(failure, TimeSpan.FromMilliseconds(250), connected);

        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    /// <summary>The fall-back warning a gate on <paramref name="configuration"/> logs once a cancel has gone through.</summary>
    private static async Task<string> FallBackWarningAsync(string configuration)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        var logs = new FakeLogCollector();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        await using FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync(
            configuration, new FirecrawlRedisGateOptions { LoggerFactory = logging });
        using FirecrawlClient client = emulator.CreateClient(o => o.RateLimitGate = gate);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob())).Outcome);

        return (await FallBackWarning.SingleAsync(logs)).Message;
    }
}
