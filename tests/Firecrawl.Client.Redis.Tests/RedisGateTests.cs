using StackExchange.Redis;

namespace Firecrawl.Client.Redis.Tests;

/// <summary>
/// The shared gate's rules, run by Redis itself: what one process hears holds back another, the learned pace is the
/// fleet's, the fleet's attempts in flight are bounded until it is learned, and what lands in Redis holds no key and
/// expires. Each test runs against Garnet, and against real Redis when <c>FIRECRAWL_TEST_REDIS</c> names one.
/// </summary>
public sealed class RedisGateTests
{
    private static readonly Uri Server = new("https://api.firecrawl.dev");

    public static TheoryData<string> Kinds => RedisServer.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A429HeardByOneProcess_HoldsBackAnother(string kind)
    {
        await using RedisServer redis = await RedisServer.StartAsync(kind);
        FirecrawlGatePartition partition = NewPartition();
        await using FirecrawlRedisRateLimitGate one = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration);
        await using FirecrawlRedisRateLimitGate other = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration);

        FirecrawlGateEntry entry = await one.EnterAsync(partition, CancellationToken.None);
        await one.LeaveAsync(partition, entry, Limited(namedSeconds: 30, consumed: null), CancellationToken.None);
        FirecrawlGateEntry held = await other.EnterAsync(partition, CancellationToken.None);

        Assert.True(entry.Entered);
        Assert.InRange(held.Wait, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30.5));
        Assert.InRange(other.PeekWait(partition), TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30.5));
        Assert.True(other.IsShared);
    }

    [Fact]
    public void TheScripts_AreGivenTheInProcessRulesOwnConstants()
    {
        // Written once (src/Shared/PaceConstants.cs) and passed to the Lua as arguments: a copy here would drift.
        var settings = new PaceSettings();
        Assert.Equal((long)settings.DefaultWindow.TotalMilliseconds, GateScripts.DefaultWindowMs);
        Assert.Equal((long)settings.InFlightRecheck.TotalMilliseconds, GateScripts.InFlightRecheckMs);
        Assert.Equal((long)PaceRules.AnsweredMargin.TotalMilliseconds, GateScripts.AnsweredMarginMs);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task LearnedPace_IsTheFleetsAndHoldsAWindowAtTheLimit(string kind)
    {
        await using RedisServer redis = await RedisServer.StartAsync(kind);
        FirecrawlGatePartition partition = NewPartition();
        await using FirecrawlRedisRateLimitGate one = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration);
        await using FirecrawlRedisRateLimitGate other = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration);

        // Three attempts fill a window; the fourth is refused: "Consumed (req/min): 4", "retry after 3s". The learned
        // window is Redis's own time, not a fake clock: 3 s leaves the four Lua calls below room on a loaded machine
        // (this repository has seen single calls take over 250 ms), where 1 s made the test depend on their speed.
        FirecrawlGateEntry fourth = default;
        for (int i = 0; i < 4; i++)
        {
            fourth = await one.EnterAsync(partition, CancellationToken.None);
            Assert.True(fourth.Entered);
        }

        await one.LeaveAsync(partition, fourth, Limited(namedSeconds: 3, consumed: 4, padding: 0.2), CancellationToken.None);
        await WaitUntilOpenAsync(redis, other.Keys(partition)[0]);

        var entries = new List<FirecrawlGateEntry>();
        for (int i = 0; i < 4; i++)
        {
            entries.Add(await other.EnterAsync(partition, CancellationToken.None));
        }

        // The next window takes three, and holds the fourth until it has run its learned 3 s (plus the padding).
        Assert.All(entries.Take(3), e => Assert.True(e.Entered));
        Assert.InRange(entries[3].Wait, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(3200));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task UntilTheLimitIsLearned_TheFleetKeepsABoundedNumberOfAttemptsInFlight(string kind)
    {
        await using RedisServer redis = await RedisServer.StartAsync(kind);
        FirecrawlGatePartition partition = NewPartition();
        var options = new FirecrawlRedisGateOptions { MaxInFlightUntilLearned = 2 };
        await using FirecrawlRedisRateLimitGate one = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration, options);
        await using FirecrawlRedisRateLimitGate other = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration, options);

        FirecrawlGateEntry first = await one.EnterAsync(partition, CancellationToken.None);
        FirecrawlGateEntry second = await other.EnterAsync(partition, CancellationToken.None);
        FirecrawlGateEntry third = await other.EnterAsync(partition, CancellationToken.None);
        await one.LeaveAsync(partition, first, new FirecrawlGateOutcome { Answered = true }, CancellationToken.None);
        FirecrawlGateEntry fourth = await WaitForEntryAsync(other, partition);

        Assert.True(first.Entered);
        Assert.True(second.Entered);
        Assert.Equal(TimeSpan.FromMilliseconds(50), third.Wait);
        Assert.True(fourth.Entered);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task WhatTheGateStores_HoldsNoApiKeyAndExpiresByItself(string kind)
    {
        await using RedisServer redis = await RedisServer.StartAsync(kind);
        string apiKey = "fc-" + Guid.NewGuid().ToString("N");
        FirecrawlGatePartition partition = FirecrawlGatePartition.For(apiKey, Server);
        await using FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration);
        for (int i = 0; i < 5; i++)
        {
            FirecrawlGateEntry entry = await gate.EnterAsync(partition, CancellationToken.None);
            await gate.LeaveAsync(partition, entry, new FirecrawlGateOutcome { Answered = true }, CancellationToken.None);
        }

        FirecrawlGateEntry last = await gate.EnterAsync(partition, CancellationToken.None);
        await gate.LeaveAsync(partition, last, Limited(namedSeconds: 50, consumed: 6), CancellationToken.None);

        await using ConnectionMultiplexer inspect = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        IDatabase db = inspect.GetDatabase();
        RedisKey[] keys = [.. gate.Keys(partition)];
        var present = new List<RedisKey>();
        foreach (RedisKey key in keys)
        {
            if (await db.KeyExistsAsync(key))
            {
                present.Add(key);
            }
        }

        // The wait and the learned pace; the window ended with the 429, and nothing is in flight.
        Assert.Equal([keys[0], keys[2]], present);
        foreach (RedisKey key in present)
        {
            Assert.Contains(partition.Id, key.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(apiKey, key.ToString(), StringComparison.Ordinal);
            Assert.True((await db.KeyTimeToLiveAsync(key)) > TimeSpan.Zero, $"{key} never expires");
            string value = await db.KeyTypeAsync(key) == RedisType.Hash
                ? string.Join(",", (await db.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}"))
                : (string?)await db.StringGetAsync(key) ?? string.Empty;
            Assert.DoesNotContain(apiKey, value, StringComparison.Ordinal);
            Assert.DoesNotContain(apiKey[3..], value, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Scope_MakesSeveralKeysOfOneTeamShareOneLimit(string kind)
    {
        await using RedisServer redis = await RedisServer.StartAsync(kind);
        var team = new FirecrawlRedisGateOptions { Scope = "team-" + Guid.NewGuid().ToString("N") };
        await using FirecrawlRedisRateLimitGate one = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration, team);
        await using FirecrawlRedisRateLimitGate other = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration, team);
        await using FirecrawlRedisRateLimitGate unscoped = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration);
        FirecrawlGatePartition keyA = NewPartition();
        FirecrawlGatePartition keyB = NewPartition();

        FirecrawlGateEntry entry = await one.EnterAsync(keyA, CancellationToken.None);
        await one.LeaveAsync(keyA, entry, Limited(namedSeconds: 20, consumed: null), CancellationToken.None);

        Assert.False((await other.EnterAsync(keyB, CancellationToken.None)).Entered);
        Assert.True((await unscoped.EnterAsync(keyB, CancellationToken.None)).Entered);

        // Under one scope, each of the server's buckets is still its own limit.
        FirecrawlGatePartition agentB = FirecrawlGatePartition.For("fc-" + Guid.NewGuid().ToString("N"), Server, FirecrawlJobKind.Agent.RateLimitBucket);
        Assert.True((await other.EnterAsync(agentB, CancellationToken.None)).Entered);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EachBucketHasItsOwnWindow_A429OnAgentCallsHoldsNoCrawlCall(string kind)
    {
        await using RedisServer redis = await RedisServer.StartAsync(kind);
        string key = "fc-" + Guid.NewGuid().ToString("N");
        FirecrawlGatePartition crawl = FirecrawlGatePartition.For(key, Server, FirecrawlJobKind.Crawl.RateLimitBucket);
        FirecrawlGatePartition agent = FirecrawlGatePartition.For(key, Server, FirecrawlJobKind.Agent.RateLimitBucket);
        await using FirecrawlRedisRateLimitGate one = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration);
        await using FirecrawlRedisRateLimitGate other = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration);

        FirecrawlGateEntry entry = await one.EnterAsync(agent, CancellationToken.None);
        await one.LeaveAsync(agent, entry, Limited(namedSeconds: 30, consumed: null), CancellationToken.None);

        Assert.True((await other.EnterAsync(crawl, CancellationToken.None)).Entered);
        Assert.Equal(TimeSpan.Zero, other.PeekWait(crawl));
        Assert.False((await other.EnterAsync(agent, CancellationToken.None)).Entered);
    }

    internal static FirecrawlGatePartition NewPartition() => FirecrawlGatePartition.For("fc-" + Guid.NewGuid().ToString("N"), Server);

    internal static FirecrawlGateOutcome Limited(double namedSeconds, int? consumed, double padding = 0.5) => new()
    {
        Answered = true,
        RateLimited = true,
        NamedWait = TimeSpan.FromSeconds(namedSeconds),
        RetryAfter = TimeSpan.FromSeconds(namedSeconds + padding),
        Consumed = consumed,
    };

    /// <summary>Redis's own clock ends the wait (the closed key expires); this only polls, without entering, until it has.</summary>
    private static async Task WaitUntilOpenAsync(RedisServer redis, RedisKey closed)
    {
        await using ConnectionMultiplexer inspect = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await inspect.GetDatabase().KeyExistsAsync(closed))
        {
            await Task.Delay(50, guard.Token);
        }
    }

    private static async Task<FirecrawlGateEntry> WaitForEntryAsync(FirecrawlRedisRateLimitGate gate, FirecrawlGatePartition partition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            FirecrawlGateEntry entry = await gate.EnterAsync(partition, guard.Token);
            if (entry.Entered)
            {
                return entry;
            }

            await Task.Delay(entry.Wait, guard.Token);
        }
    }
}
