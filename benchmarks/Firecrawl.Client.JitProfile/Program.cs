using Microsoft.Diagnostics.Tracing;

// usage: Firecrawl.Client.JitProfile <trace.nettrace> [top]
// With allocation ticks and contention events in the trace (benchmarks/loopback-profile.sh), says what was allocated
// and how often threads waited on locks. Sums the time between each method's MethodJittingStarted and its MethodLoadVerbose, by the method's namespace root,
// and lists the costliest methods: what a fresh process compiles that a bare HttpClient call does not.
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: Firecrawl.Client.JitProfile <trace.nettrace> [top]");
    return 2;
}

int top = args.Length == 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 25;
var started = new Dictionary<(int Thread, long Method), double>();
var methods = new List<(string Name, double Ms)>();
var allocated = new Dictionary<string, long>();
int contentions = 0;
double contendedMs = 0;
using (var source = new EventPipeEventSource(args[0]))
{
    // With the GC (0x1) and contention (0x4000) keywords the same trace says what a run allocates, sampled about every
    // 100 KB by type, and how often a thread had to wait for a lock and for how long.
    source.Clr.GCAllocationTick += e => allocated[e.TypeName] = allocated.GetValueOrDefault(e.TypeName) + e.AllocationAmount64;
    source.Clr.ContentionStop += e =>
    {
        contentions++;
        contendedMs += e.DurationNs / 1e6;
    };
    source.Clr.MethodJittingStarted += e => started[(e.ThreadID, e.MethodID)] = e.TimeStampRelativeMSec;
    source.Clr.MethodLoadVerbose += e =>
    {
        if (started.Remove((e.ThreadID, e.MethodID), out double begin))
        {
            methods.Add(($"{e.MethodNamespace}::{e.MethodName}", e.TimeStampRelativeMSec - begin));
        }
    };
    source.Process();
}

static string Area(string name)
{
    string ns = name.Split("::")[0];
    foreach (string prefix in new[] { "Firecrawl.Client", "Refit", "Polly", "Microsoft.Extensions", "System.Net.Http", "System.Text.Json", "System.Net", "System.Linq", "System.Collections", "System.Runtime", "System.Threading", "System" })
    {
        if (ns.StartsWith(prefix, StringComparison.Ordinal))
        {
            return prefix;
        }
    }

    return ns.Length == 0 ? "(global)" : ns.Split('.')[0];
}

if (allocated.Count > 0 || contentions > 0)
{
    Console.WriteLine($"lock contentions: {contentions}, {contendedMs:0.0} ms waited in all");
    long total = allocated.Values.Sum();
    Console.WriteLine($"allocations sampled: {total / 1024.0 / 1024.0:0.0} MiB; by type:");
    foreach ((string type, long bytes) in allocated.OrderByDescending(a => a.Value).Take(top))
    {
        Console.WriteLine($"  {100.0 * bytes / total,5:0.0} %  {(type.Length > 120 ? type[..120] : type)}");
    }
}

Console.WriteLine($"{methods.Count} methods jitted, {methods.Sum(m => m.Ms):0.0} ms in all");
foreach (var group in methods.GroupBy(m => Area(m.Name)).OrderByDescending(g => g.Sum(m => m.Ms)))
{
    Console.WriteLine($"  {group.Key,-22} {group.Count(),5} methods {group.Sum(m => m.Ms),8:0.0} ms");
}

Console.WriteLine($"costliest {top}:");
foreach ((string name, double ms) in methods.OrderByDescending(m => m.Ms).Take(top))
{
    Console.WriteLine($"  {ms,7:0.00} ms  {(name.Length > 140 ? name[..140] : name)}");
}

return 0;
