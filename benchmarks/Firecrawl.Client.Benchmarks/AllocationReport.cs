using System.Net.Http.Headers;
using Refit;

namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// Exact bytes per call for each layer, in memory: every await completes synchronously on this thread, so the
/// per-thread allocation counter is exact. Run with <c>--alloc</c>. It tells where the SDK's bytes go, which a
/// timing benchmark cannot.
/// </summary>
internal static class AllocationReport
{
    private static readonly Uri Base = new("https://firecrawl.test/");
    private const string Key = "fc-test-key-not-a-real-one";
    private const string JobId = "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f";

    public static void Run()
    {
        using var transport = new CannedHandler();
        using var floor = new FloorClient(Base, Key, transport);

        // Refit alone: the generated client over a plain HttpClient with the token set once, like the floor.
        using var refitHttp = new HttpClient(transport, disposeHandler: false) { BaseAddress = new Uri("https://firecrawl.test") };
        refitHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        IFirecrawlApi refit = RestService.ForGenerated<IFirecrawlApi>(refitHttp, RefitSettings.ForJsonContext(FirecrawlJsonContext.Default));

        using var sdk = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = Base, ApiKey = Key }, transport);

        long floorBytes = ExactBytes.PerCall(() => floor.CancelBatchScrapeAsync(JobId));
        long refitBytes = ExactBytes.PerCall(async () =>
        {
            using HttpResponseMessage response = await refit.CancelBatchScrapeV1Async(JobId, default).ConfigureAwait(false);
            return response.StatusCode;
        });
        long sdkBytes = ExactBytes.PerCall(() => sdk.CancelBatchScrapeAsync(JobId));

        foreach (string address in new[] { "https://api.firecrawl.dev/", "http://127.0.0.1:3002/", "https://firecrawl.test/" })
        {
            var at = new Uri(address);
            using var floorAt = new FloorClient(at, Key, transport);
            using var sdkAt = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = at, ApiKey = Key }, transport);
            long f = ExactBytes.PerCall(() => floorAt.CancelBatchScrapeAsync(JobId));
            long c = ExactBytes.PerCall(() => sdkAt.CancelBatchScrapeAsync(JobId));
            Console.WriteLine($"  {address,-28} floor {f,6}  sdk {c,6}  (+{c - f})");
        }

        {
            using var floorAt = new FloorClient(new Uri("https://api.firecrawl.dev/"), Key, transport);
            using var sdkAt = new FirecrawlClient(new FirecrawlClientOptions { ApiKey = Key }, transport);
            long f = ExactBytes.PerCall(() => floorAt.CancelBatchScrapeAsync(JobId));
            long c = ExactBytes.PerCall(() => sdkAt.CancelBatchScrapeAsync(JobId));
            Console.WriteLine($"  {"(default: no BaseAddress)",-28} floor {f,6}  sdk {c,6}  (+{c - f})");
        }

        Console.WriteLine("Bytes allocated per call, in memory (exact):");
        Console.WriteLine($"  floor (hand-written HttpClient + source-generated JSON): {floorBytes,6}");
        Console.WriteLine($"  Refit generated client alone (no parsing):              {refitBytes,6}");
        Console.WriteLine($"  Firecrawl.Client CancelBatchScrapeAsync:                {sdkBytes,6}  (+{sdkBytes - floorBytes} over the floor)");
    }

}
