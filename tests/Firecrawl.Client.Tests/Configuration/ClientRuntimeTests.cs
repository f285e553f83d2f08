using Microsoft.Extensions.Logging;

namespace Firecrawl.Client.Tests;

/// <summary>What one client's calls share: its partitions per bucket, how long a call may wait at the gate, the stand-in gate.</summary>
public sealed class ClientRuntimeTests
{
    private static ClientRuntime Runtime(Action<FirecrawlClientOptions>? configure = null) =>
        new(ClientConfiguration.Create(Stub.Options(configure)));

    [Fact]
    public void PartitionFor_EachBucket_IsTheClientsPartitionInThatBucket()
    {
        ClientRuntime runtime = Runtime();
        var address = new Uri(Stub.Base);

        Assert.Equal(FirecrawlGatePartition.For(Stub.SecretKey, address, FirecrawlJobKind.CrawlStatusBucket), runtime.PartitionFor(FirecrawlJobKind.CrawlStatusBucket));
        Assert.Same(runtime.Partition, runtime.PartitionFor(FirecrawlJobKind.CrawlStatusBucket));
        Assert.Equal(FirecrawlGatePartition.For(Stub.SecretKey, address, FirecrawlJobKind.ExtractStatusBucket), runtime.PartitionFor(FirecrawlJobKind.ExtractStatusBucket));
        Assert.Same(runtime.PartitionFor(FirecrawlJobKind.ExtractStatusBucket), runtime.PartitionFor(FirecrawlJobKind.ExtractStatusBucket));
        Assert.Equal(FirecrawlGatePartition.For(Stub.SecretKey, address, "search"), runtime.PartitionFor("search"));
        Assert.NotEqual(runtime.PartitionFor("search"), runtime.PartitionFor(FirecrawlJobKind.CrawlStatusBucket));
        Assert.NotEqual(runtime.PartitionFor(FirecrawlJobKind.ExtractStatusBucket), runtime.PartitionFor(FirecrawlJobKind.CrawlStatusBucket));
    }

    [Fact]
    public void LongestGateWait_IsTheLongestRetryAfter_PlusATextHintsPaddingAndJitter()
    {
        ClientRuntime runtime = Runtime(o => o.MaxRetryAfter = TimeSpan.FromSeconds(90));

        Assert.Equal(TimeSpan.FromSeconds(90.75), runtime.LongestGateWait);
    }

    [Fact]
    public void StandInGate_IsMadeOnceAndOnlyWhenAsked()
    {
        ClientRuntime runtime = Runtime();

        Assert.Null(runtime.StandInIfMade);
        FirecrawlRateLimitGate standIn = runtime.StandInGate;

        Assert.Same(standIn, runtime.StandInGate);
        Assert.Same(standIn, runtime.StandInIfMade);
        Assert.NotSame(runtime.Gate, standIn);
        Assert.Same(standIn, runtime.GateFailed(GateMember.PeekWait, new InvalidOperationException("x")));
    }

    [Fact]
    public void PeekGateWait_AGateThatThrows_IsAnsweredByTheStandIn()
    {
        ClientRuntime runtime = Runtime(o => o.RateLimitGate = new PeekThrowingGate());

        Assert.Equal(TimeSpan.Zero, runtime.PeekGateWait(runtime.Partition));
        Assert.NotNull(runtime.StandInIfMade);
    }

    [Fact]
    public void ObservesWaits_OnlyWithAnObserver()
    {
        Assert.False(Runtime().ObservesWaits);
        Assert.True(Runtime(o => o.WaitObserver = new Progress<FirecrawlWait>()).ObservesWaits);
    }

    [Fact]
    public void Logger_TheOptionsFactory_ComesBeforeTheContainers()
    {
        var ownLogs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        var containerLogs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        using ILoggerFactory own = LoggerFactory.Create(b => b.AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(ownLogs)));
        using ILoggerFactory container = LoggerFactory.Create(b => b.AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(containerLogs)));

        new ClientRuntime(ClientConfiguration.Create(Stub.Options(o => o.LoggerFactory = own)), container).Logger.Log(LogLevel.Warning, 0, "own", null, static (s, _) => s);
        new ClientRuntime(ClientConfiguration.Create(Stub.Options()), container).Logger.Log(LogLevel.Warning, 0, "container", null, static (s, _) => s);

        Assert.Equal(["own"], ownLogs.GetSnapshot().Select(r => r.Message));
        Assert.Equal(["container"], containerLogs.GetSnapshot().Select(r => r.Message));
        Assert.Equal(FirecrawlDiagnostics.LoggerCategory, Assert.Single(ownLogs.GetSnapshot()).Category);
    }

    private sealed class PeekThrowingGate : FirecrawlRateLimitGate
    {
        public override ValueTask<FirecrawlGateEntry> EnterAsync(FirecrawlGatePartition partition, CancellationToken cancellationToken) => new(FirecrawlGateEntry.Go);

        public override ValueTask LeaveAsync(FirecrawlGatePartition partition, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome, CancellationToken cancellationToken) => default;

        public override TimeSpan PeekWait(FirecrawlGatePartition partition) => throw new InvalidOperationException("no store");
    }
}
