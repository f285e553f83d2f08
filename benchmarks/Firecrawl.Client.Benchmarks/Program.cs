using BenchmarkDotNet.Running;
using Firecrawl.Client.Benchmarks;

if (args.Contains("--quick"))
{
    QuickCompare.Run(median: args.Contains("--median"));
    return;
}

if (args.Contains("--loopback"))
{
    LoopbackQuick.Run(args);
    return;
}

if (args.Contains("--bulk-pace"))
{
    await BulkPace.RunAsync(args);
    return;
}

if (args.Contains("--settle"))
{
    await SettlePace.RunAsync(args);
    return;
}

if (args.Contains("--fleet"))
{
    await FleetPace.RunAsync(args);
    return;
}

if (args.Contains("--alloc"))
{
    AllocationReport.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(FloorClient).Assembly).Run(args);
