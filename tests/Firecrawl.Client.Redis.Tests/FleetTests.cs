using Firecrawl.Client.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Firecrawl.Client.Redis.Tests;

/// <summary>Clients that share one Redis pace as one against the emulator's real limiter, and the DI and configuration surface.</summary>
public sealed class FleetTests
{
    [Fact]
    public async Task ThreeClientsWithOneKeyAndOneRedis_StopEveryJobUnderTheTeamLimit()
    {
        await using RedisServer redis = await RedisServer.StartGarnetAsync();
        var limits = new FirecrawlEmulatorOptions { RateLimitPerWindow = 10, RateLimitWindow = TimeSpan.FromSeconds(1), RecordRequests = false };
        string key = FirecrawlEmulator.NewApiKey();
        limits.ApiKeys.Add(key);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(limits);
        string[][] shares = [.. Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 15).Select(_ => emulator.CreateBatchScrapeJob()).ToArray())];

        // Each client has a gate and a connection of its own, as a separate process would.
        BulkCancelResult[] results = await Task.WhenAll(shares.Select(async ids =>
        {
            await using FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync(redis.PatientConfiguration);
            using FirecrawlClient client = emulator.CreateClient(o => o.RateLimitGate = gate);
            return await client.CancelBatchScrapesAsync(ids, new BulkCancelOptions { MaxConcurrency = 8 });
        })).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.All(results, r => Assert.True(r.AllStopped));
        Assert.All(shares.SelectMany(s => s), id => Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id)));

        // Unshared, 24 workers draw up to 24 429s in every closed window (four here). Shared, the first window is bounded
        // by the fleet's four attempts in flight, and later windows are held at the limit.
        Assert.InRange(emulator.CountResponses(429), 0, 12);
    }

    [Theory]
    [InlineData("string")]
    [InlineData("object")]
    public async Task AddRedisRateLimitGate_FromFirecrawlRedis_GivesTheClientTheSharedGate(string form)
    {
        await using RedisServer redis = await RedisServer.StartGarnetAsync();
        var values = new Dictionary<string, string?> { ["Firecrawl:BaseAddress"] = "http://localhost:3002" };
        if (form == "string")
        {
            values["Firecrawl:Redis"] = redis.Configuration;
        }
        else
        {
            // Every setting the section can hold, each away from its default, so a setting that is not bound fails below.
            values["Firecrawl:Redis:Configuration"] = redis.Configuration;
            values["Firecrawl:Redis:Scope"] = "team-blue";
            values["Firecrawl:Redis:KeyPrefix"] = "acme:gate";
            values["Firecrawl:Redis:CommandTimeout"] = "00:00:02";
            values["Firecrawl:Redis:RetryInterval"] = "00:00:09";
            values["Firecrawl:Redis:MaxInFlightUntilLearned"] = "7";
            values["Firecrawl:Redis:LearnedPaceLifetime"] = "00:03:00";
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddFirecrawlClient(configuration).AddRedisRateLimitGate(configuration);
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        FirecrawlClientOptions options = provider.GetRequiredService<IOptions<FirecrawlClientOptions>>().Value;
        FirecrawlRedisRateLimitGate gate = Assert.IsType<FirecrawlRedisRateLimitGate>(options.RateLimitGate);
        Assert.Same(gate, provider.GetRequiredService<FirecrawlRedisRateLimitGate>());
        Assert.NotNull(provider.GetRequiredService<FirecrawlClient>());
        if (form == "object")
        {
            FirecrawlRedisGateOptions bound = gate.Options;
            Assert.Equal(
                ("team-blue", "acme:gate", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(9), 7, TimeSpan.FromMinutes(3)),
                (bound.Scope, bound.KeyPrefix, bound.CommandTimeout, bound.RetryInterval, bound.MaxInFlightUntilLearned, bound.LearnedPaceLifetime));
            Assert.Equal(TimeSpan.FromSeconds(2), gate.CommandTimeout);
            string key = gate.Keys(FirecrawlGatePartition.For("fc-any", new Uri("http://localhost:3002")))[0].ToString();
            Assert.StartsWith("acme:gate:", key, StringComparison.Ordinal);
            Assert.Contains(FirecrawlGatePartition.ForScope("team-blue").Id, key, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AddRedisRateLimitGate_NoRedisNamedOrRegistered_SaysWhatToDo()
    {
        var services = new ServiceCollection();
        services.AddFirecrawlClient(o => o.BaseAddress = new Uri("http://localhost:3002")).AddRedisRateLimitGate(configuration: (string?)null);
        using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<FirecrawlClientOptions>>().Value);

        Assert.Contains("Firecrawl:Redis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_ThatCannotWork_AreRefusedNamingEachSetting()
    {
        await using RedisServer redis = await RedisServer.StartGarnetAsync();
        var options = new FirecrawlRedisGateOptions { Scope = " ", KeyPrefix = "a{b}", CommandTimeout = TimeSpan.Zero, MaxInFlightUntilLearned = -1 };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => FirecrawlRedisRateLimitGate.ConnectAsync(redis.Configuration, options));

        Assert.Contains("Scope", error.Message, StringComparison.Ordinal);
        Assert.Contains("KeyPrefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("CommandTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxInFlightUntilLearned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_AnUnreadableConfigurationString_IsRefusedWithoutEchoingIt()
    {
        const string secret = "hunter2-secret";

        var error = await Assert.ThrowsAsync<ArgumentException>(() => FirecrawlRedisRateLimitGate.ConnectAsync($"localhost:6379,password={secret},nonsense-option=1"));

        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("password=hunter2-secret", "names no Redis server: start it with host:port")]
    [InlineData(",ssl=true,password=hunter2-secret", "names no Redis server")]
    [InlineData("localhost:abc,password=hunter2-secret", "has the server 'localhost:abc', whose port is not a number from 1 to 65535")]
    [InlineData("localhost:70000", "whose port is not a number from 1 to 65535")]
    [InlineData("[::1:6379", "an IPv6 address without its closing ']'")]
    [InlineData("localhost,pasword=hunter2-secret", "has an unknown keyword 'pasword'")]
    [InlineData("localhost,asyncTimeout=soon", "gives the keyword 'asyncTimeout' a value it does not take: it needs a whole number")]
    [InlineData("localhost,ssl=perhaps", "gives the keyword 'ssl' a value it does not take: it needs true or false")]
    public async Task ConnectAsync_AConfigurationStringThatCannotWork_IsRefusedSayingWhatIsWrong(string configuration, string says)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => FirecrawlRedisRateLimitGate.ConnectAsync(configuration));

        Assert.StartsWith("The Redis configuration string ", error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Equal("configuration", error.ParamName);
    }

    [Theory]
    [InlineData("127.0.0.1:6379", 250)]
    [InlineData("127.0.0.1:6379,asyncTimeout=2000", 2000)]
    [InlineData("127.0.0.1:6379, AsyncTimeout = 1500 ,ssl=false", 1500)]
    [InlineData("127.0.0.1:6379,asyncTimeout=100", 250)]
    [InlineData("127.0.0.1:6379,asyncTimeout=60000", 10000)]
    [InlineData("127.0.0.1:6379,syncTimeout=4000", 250)]
    public void ConfigurationString_ALongerAsyncTimeout_RaisesTheBoundOnEachCall(string configuration, int expectedMs)
    {
        (ConfigurationOptions redis, TimeSpan bound) = FirecrawlRedisRateLimitGate.ConfigurationFor(configuration, new FirecrawlRedisGateOptions());

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), bound);
        Assert.Equal(expectedMs, redis.AsyncTimeout);
        Assert.False(redis.AbortOnConnectFail);
    }
}
