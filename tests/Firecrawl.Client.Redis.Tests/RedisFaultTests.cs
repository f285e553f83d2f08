using System.Net;
using System.Net.Sockets;
using Firecrawl.Client.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Firecrawl.Client.Redis.Tests;

/// <summary>
/// Redis being down, slow, restarted or refusing the password never blocks or fails a cancel: the gate paces on its own
/// in-process gate, logs one warning, and rejoins the fleet when Redis answers again.
/// </summary>
public sealed class RedisFaultTests
{
    /// <summary>Only a hang guard: a cancel that waited on a dead Redis would never end.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RedisStoppedMidRunThenRestarted_CancelsKeepWorking_OneWarning_ThenTheGateRejoins()
    {
        await using RedisServer redis = await RedisServer.StartGarnetAsync();
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        var logs = new FakeLogCollector();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        await using FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync(
            redis.Configuration, new FirecrawlRedisGateOptions { RetryInterval = TimeSpan.FromMilliseconds(300), LoggerFactory = logging });
        using FirecrawlClient client = emulator.CreateClient(o => o.RateLimitGate = gate);

        await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob()).WaitAsync(Guard);
        bool sharedBefore = gate.IsShared;
        redis.Stop();
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob()).WaitAsync(Guard)).Outcome);
        }

        bool sharedWhileDown = gate.IsShared;
        await redis.RestartAsync();
        await CancelUntilSharedAgainAsync(client, emulator, gate);

        Assert.True(sharedBefore);
        Assert.False(sharedWhileDown);
        Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RedisGateFellBack" && r.Level == LogLevel.Warning);
        Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RedisGateRejoined");
        Assert.All(emulator.Requests, r => Assert.Equal("DELETE", r.Method));
    }

    [Fact]
    public async Task RedisNeverAnswers_EachCallIsBoundedAndCancelsGoThrough()
    {
        await using var blackHole = new BlackHole();
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        var logs = new FakeLogCollector();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        await using FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync(
            $"127.0.0.1:{blackHole.Port}", new FirecrawlRedisGateOptions { RetryInterval = TimeSpan.Zero, LoggerFactory = logging });
        using FirecrawlClient client = emulator.CreateClient(o => o.RateLimitGate = gate);

        // Each cancel asks the black hole again (RetryInterval zero) and may wait for it once, for CommandTimeout: the
        // bound docs/fleet.md states, with the slack a loaded machine needs. A call left to the Redis client's own
        // timeouts (5 s) or to the hang guard would fail here.
        var slack = TimeSpan.FromSeconds(2);
        for (int i = 0; i < 3; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob()).WaitAsync(Guard)).Outcome);
            Assert.True(clock.Elapsed <= gate.CommandTimeout + slack, $"Cancel {i + 1} took {clock.Elapsed.TotalMilliseconds:0} ms against a bound of {gate.CommandTimeout.TotalMilliseconds:0} ms.");
        }

        Assert.False(gate.IsShared);
        await FallBackWarning.SingleAsync(logs);
    }

    [Fact]
    public async Task TheStandIn_PacesWithTheGatesOwnOptions()
    {
        // Nothing listens on the port: every call stands in locally, which must bound and forget as the shared gate would.
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var options = new FirecrawlRedisGateOptions { MaxInFlightUntilLearned = 2, LearnedPaceLifetime = TimeSpan.FromMinutes(3) };
        await using FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync($"127.0.0.1:{port}", options);
        FirecrawlGatePartition partition = FirecrawlGatePartition.ForScope("stand-in-" + Guid.NewGuid().ToString("N"));

        FirecrawlGateEntry first = await gate.EnterAsync(partition, CancellationToken.None).AsTask().WaitAsync(Guard);
        FirecrawlGateEntry second = await gate.EnterAsync(partition, CancellationToken.None).AsTask().WaitAsync(Guard);
        FirecrawlGateEntry third = await gate.EnterAsync(partition, CancellationToken.None).AsTask().WaitAsync(Guard);

        Assert.False(gate.IsShared);
        Assert.True(first.Entered && second.Entered, "The first two attempts go.");
        Assert.Same(gate.StandIn, first.Part);
        Assert.Equal(TimeSpan.FromMilliseconds(50), third.Wait);
        PaceSettings settings = Assert.IsType<InProcessGate>(gate.StandIn).Settings;
        Assert.Equal((2, TimeSpan.FromMinutes(3)), (settings.MaxInFlightUntilLearned, settings.LearnedLifetime));

        // Told how the first ended, the stand-in (not Redis) frees its place.
        await gate.LeaveAsync(partition, first, new FirecrawlGateOutcome { Answered = true }, CancellationToken.None);
        Assert.True((await gate.EnterAsync(partition, CancellationToken.None)).Entered);
    }

    [Fact]
    public async Task WrongPassword_FallsBackWithOneWarningThatNeverShowsThePassword()
    {
        await using RedisServer redis = await RedisServer.StartGarnetAsync(password: "right-" + Guid.NewGuid().ToString("N"));
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        var logs = new FakeLogCollector();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        string wrong = "wrong-" + Guid.NewGuid().ToString("N");
        await using FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync(
            $"127.0.0.1:{redis.Port},password={wrong}", new FirecrawlRedisGateOptions { LoggerFactory = logging });
        using FirecrawlClient client = emulator.CreateClient(o => o.RateLimitGate = gate);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob()).WaitAsync(Guard)).Outcome);
        }

        FakeLogRecord warning = await FallBackWarning.SingleAsync(logs);
        Assert.DoesNotContain(wrong, warning.Message, StringComparison.Ordinal);
        Assert.False(gate.IsShared);
    }

    [Fact]
    public async Task RedisDownAtStart_TheGateConnectsLaterAndJoinsTheFleet()
    {
        await using RedisServer redis = await RedisServer.StartGarnetAsync();
        redis.Stop();
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        await using FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync(
            redis.Configuration, new FirecrawlRedisGateOptions { RetryInterval = TimeSpan.FromMilliseconds(200) });
        using FirecrawlClient client = emulator.CreateClient(o => o.RateLimitGate = gate);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob()).WaitAsync(Guard)).Outcome);
        bool sharedWhileDown = gate.IsShared;
        await redis.RestartAsync();
        await CancelUntilSharedAgainAsync(client, emulator, gate);

        Assert.False(sharedWhileDown);
    }

    /// <summary>Keeps cancelling (each goes through either way) until the gate has rejoined the fleet.</summary>
    private static async Task CancelUntilSharedAgainAsync(FirecrawlClient client, FirecrawlEmulator emulator, FirecrawlRedisRateLimitGate gate)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        do
        {
            Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob()).WaitAsync(Guard)).Outcome);
            await Task.Delay(100, guard.Token);
        }
        while (!gate.IsShared);
    }

    /// <summary>A server that accepts connections and never says a word: a Redis too slow to matter.</summary>
    private sealed class BlackHole : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> _held = [];
        private readonly Task _accepting;

        public BlackHole()
        {
            _listener.Start();
            _accepting = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        TcpClient client = await _listener.AcceptTcpClientAsync();
                        lock (_held)
                        {
                            _held.Add(client);
                        }
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    // Stopped.
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _accepting;
            lock (_held)
            {
                _held.ForEach(static c => c.Dispose());
            }
        }
    }
}
