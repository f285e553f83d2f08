using BenchmarkDotNet.Running;
using Firecrawl.Client.Benchmarks;

if (args.Contains("--quick"))
{
    QuickCompare.Run();
    return;
}

if (args.Contains("--loopback"))
{
    LoopbackQuick.Run();
    return;
}

if (args.Contains("--alloc"))
{
    AllocationReport.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(FloorClient).Assembly).Run(args);
