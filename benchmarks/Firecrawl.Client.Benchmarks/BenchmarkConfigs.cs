using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// BenchmarkDotNet turns Dynamic PGO off by default, for steadier numbers; every .NET 8+ process runs with it on. The
/// SDK's layers (a handler chain, Refit's generated code, delegates) gain more from PGO's devirtualization than the
/// floor does, so a PGO-off number overstates the SDK's cost in production. This config runs both and labels them.
/// </summary>
public sealed class PgoOnAndOffConfig : ManualConfig
{
    public PgoOnAndOffConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15)
            .WithEnvironmentVariable("DOTNET_TieredPGO", "1").WithId("PGO on (.NET default)"));
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15)
            .WithEnvironmentVariable("DOTNET_TieredPGO", "0").WithId("PGO off (BDN default)"));
    }
}

/// <summary>Production conditions only: Dynamic PGO on, as in every .NET 8+ process.</summary>
public sealed class PgoOnConfig : ManualConfig
{
    public PgoOnConfig() =>
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15)
            .WithEnvironmentVariable("DOTNET_TieredPGO", "1").WithId("PGO on (.NET default)"));
}
