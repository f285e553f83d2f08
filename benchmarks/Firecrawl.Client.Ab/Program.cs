using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Firecrawl.Client;
using Firecrawl.Client.Testing;

// What one plain cancel costs, through the public API only, so any commit can be measured by the same code:
//   --alloc          exact bytes per call in memory: the cloud address (the default), loopback, and the floor
//   --time           time per call in memory on the cloud address, SDK over floor, best of interleaved rounds
//   --loopback       time per call over real sockets against the emulator, SDK over floor
//   --loopback-bytes bytes per call over real sockets, the whole process's (the in-process emulator's share is the
//                    same for both clients, so SDK less floor is the SDK's), least of rounds
//   --alloc-types    which types a call allocates, sampled by the runtime (its AllocationTick event, every ~100 KB)
const string JobId = "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f";
// Made at run time in the real form (so header sizes match a real key's): a committed key would read as a leaked
// secret, and FirecrawlEmulator.NewApiKey does not exist in every commit this harness builds against.
string key = "fc-" + Guid.NewGuid().ToString("N");
var cloud = new Uri("https://api.firecrawl.dev/");

if (args.Contains("--alloc"))
{
    using var transport = new Canned();
    using var floor = new Floor(cloud, key, transport);
    using var sdk = new FirecrawlClient(new FirecrawlClientOptions { ApiKey = key }, transport);
    using var loopback = new FirecrawlClient(new FirecrawlClientOptions { ApiKey = key, BaseAddress = new Uri("http://127.0.0.1:3002/") }, transport);
    long f = Bytes(() => floor.CancelAsync(JobId));
    long s = Bytes(() => sdk.CancelBatchScrapeAsync(JobId));
    long l = Bytes(() => loopback.CancelBatchScrapeAsync(JobId));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"alloc floor {f} cloud {s} (+{s - f}) loopback {l} (+{l - f})"));
}
else if (args.Contains("--time"))
{
    using var transport = new Canned();
    using var floor = new Floor(cloud, key, transport);
    using var sdk = new FirecrawlClient(new FirecrawlClientOptions { ApiKey = key }, transport);
    (double f, double s) = Interleaved(() => floor.CancelAsync(JobId), () => sdk.CancelBatchScrapeAsync(JobId), rounds: 15, calls: 20_000);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time floor {f:0.000} us sdk {s:0.000} us ratio {s / f:0.00}"));
}
else if (args.Contains("--alloc-types"))
{
    using var transport = new Canned();
    using var sdk = new FirecrawlClient(new FirecrawlClientOptions { ApiKey = key }, transport);
    for (int i = 0; i < 10_000; i++)
    {
        sdk.CancelBatchScrapeAsync(JobId).GetAwaiter().GetResult();
    }

    using var ticks = new AllocationTicks();
    const int Calls = 2_000_000;
    for (int i = 0; i < Calls; i++)
    {
        sdk.CancelBatchScrapeAsync(JobId).GetAwaiter().GetResult();
    }

    ticks.Print(Calls);
}
else if (args.Contains("--loopback") || args.Contains("--loopback-bytes"))
{
    await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { RecordRequests = false });
    using var handler = new SocketsHttpHandler { UseProxy = false };
    using var floor = new Floor(emulator.BaseAddress, key, handler);
    using var sdk = new FirecrawlClient(new FirecrawlClientOptions { ApiKey = key, BaseAddress = emulator.BaseAddress });
    string[] ids = [.. Enumerable.Range(0, 64).Select(_ => emulator.CreateBatchScrapeJob())];
    int next = 0;
    Func<Task<bool>> floorCall = () => floor.CancelAsync(ids[next++ % ids.Length]);
    Func<Task<CancelBatchScrapeResult>> sdkCall = () => sdk.CancelBatchScrapeAsync(ids[next++ % ids.Length]);
    if (args.Contains("--loopback-bytes"))
    {
        long f = long.MaxValue, s = long.MaxValue;
        for (int round = 0; round < 7; round++)
        {
            f = Math.Min(f, await ProcessBytes(floorCall, 2_000));
            s = Math.Min(s, await ProcessBytes(sdkCall, 2_000));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loopback-bytes floor {f} sdk {s} (+{s - f})"));
    }
    else
    {
        (double f, double s) = Interleaved(floorCall, sdkCall, rounds: 9, calls: 2_000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loopback floor {f:0.0} us sdk {s:0.0} us ratio {s / f:0.00}"));
    }
}

static async Task<long> ProcessBytes<T>(Func<Task<T>> call, int count)
{
    long before = GC.GetTotalAllocatedBytes(precise: true);
    for (int i = 0; i < count; i++)
    {
        await call();
    }

    return (GC.GetTotalAllocatedBytes(precise: true) - before) / count;
}

static long Bytes<T>(Func<Task<T>> call)
{
    for (int i = 0; i < 200; i++)
    {
        call().GetAwaiter().GetResult();
    }

    long best = long.MaxValue;
    for (int round = 0; round < 10; round++)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Task<T> task = call();
        long after = GC.GetAllocatedBytesForCurrentThread();
        if (!task.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("An in-memory call went asynchronous.");
        }

        task.GetAwaiter().GetResult();
        best = Math.Min(best, after - before);
    }

    return best;
}

static (double Floor, double Sdk) Interleaved<TF, TS>(Func<Task<TF>> floor, Func<Task<TS>> sdk, int rounds, int calls)
{
    var f = new List<double>();
    var s = new List<double>();
    for (int round = 0; round < rounds; round++)
    {
        f.Add(Round(floor, calls));
        s.Add(Round(sdk, calls));
    }

    return (f.Min(), s.Min());

    static double Round<T>(Func<Task<T>> call, int count)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            call().GetAwaiter().GetResult();
        }

        return clock.Elapsed.TotalMicroseconds / count;
    }
}

/// <summary>The runtime's allocation samples by type: each AllocationTick stands for about 100 KB allocated.</summary>
internal sealed class AllocationTicks : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, long> _bytes = [];

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is not "GCAllocationTick_V4" || e.Payload is null)
        {
            return;
        }

        string type = e.Payload[e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
        long amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        lock (_bytes)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }
    }

    public void Print(int calls)
    {
        lock (_bytes)
        {
            foreach ((string type, long bytes) in _bytes.OrderByDescending(static p => p.Value).Take(25))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)calls,8:0.0} B/call  {type}"));
            }
        }
    }
}

/// <summary>The floor: a hand-written HttpClient cancel, the bearer set once, the body read as a string.</summary>
internal sealed class Floor : IDisposable
{
    private readonly HttpClient _http;

    public Floor(Uri baseAddress, string key, HttpMessageHandler transport)
    {
        _http = new HttpClient(transport, disposeHandler: false) { BaseAddress = baseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public async Task<bool> CancelAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "v1/batch/scrape/" + id);
        using HttpResponseMessage response = await _http.SendAsync(request).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK && body.Length > 0;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>An in-memory server: a fresh 200 for every request, completed synchronously.</summary>
internal sealed class Canned : HttpMessageHandler
{
    private static readonly byte[] Cancelled = Encoding.UTF8.GetBytes("{\"status\":\"cancelled\"}");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(Cancelled) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        });
}
