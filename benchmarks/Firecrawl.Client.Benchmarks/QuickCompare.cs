using System.Diagnostics;
using System.Net.Http.Headers;
using Refit;

namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// A fast, interleaved comparison for working on the hot path (<c>--quick</c>): every variant runs in alternating
/// rounds and the best round counts, which cancels much of a shared machine's noise. BenchmarkDotNet remains the
/// source of the published numbers.
/// </summary>
internal static class QuickCompare
{
    private const string JobId = "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f";
    private const string Key = "fc-test-key-not-a-real-one";

    /// <param name="median">
    /// The performance issue's way (<c>--quick --median</c>): the median of 31 alternating rounds of 8,000 calls,
    /// rather than the best of 12 rounds of 50,000.
    /// </param>
    public static void Run(bool median = false)
    {
        var baseAddress = new Uri("https://firecrawl.test/");
        using var transport = new CannedHandler();
        using var floor = new FloorClient(baseAddress, Key, transport);
        using var streamingFloor = new StreamingFloorClient(baseAddress, Key, transport);
        using var refitHttp = new HttpClient(transport, false) { BaseAddress = new Uri("https://firecrawl.test") };
        refitHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        IFirecrawlApi refit = RestService.ForGenerated<IFirecrawlApi>(refitHttp, HttpDefaults.RefitSettings);
        using var sdk = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = baseAddress, ApiKey = Key }, transport);
        using var sdkNoLimits = new FirecrawlClient(
            new FirecrawlClientOptions { BaseAddress = baseAddress, ApiKey = Key, AttemptTimeout = Timeout.InfiniteTimeSpan, TotalTimeout = Timeout.InfiniteTimeSpan },
            transport);
        // The same client with a fresh deadline source per attempt, as the DI path has: what the pool saves.
        using var freshDeadlines = new FirecrawlClient(
            new ClientRuntime(ClientConfiguration.Create(new FirecrawlClientOptions { BaseAddress = baseAddress, ApiKey = Key }), reuseDeadlines: false),
            CreateHttpClient(baseAddress, transport));
        using var sdkBare = new FirecrawlClient(
            new FirecrawlClientOptions { BaseAddress = baseAddress, ApiKey = Key, MaxRetries = 0, AttemptTimeout = Timeout.InfiniteTimeSpan, TotalTimeout = Timeout.InfiniteTimeSpan },
            transport);

        var variants = new (string Name, Func<Task> Call)[]
        {
            ("floor", () => floor.CancelBatchScrapeAsync(JobId)),
            ("streaming floor", () => streamingFloor.CancelBatchScrapeAsync(JobId)),
            ("refit alone", async () => { using HttpResponseMessage r = await refit.CancelBatchScrapeV1Async(JobId, default); }),
            ("sdk", () => sdk.CancelBatchScrapeAsync(JobId)),
            ("sdk, no time limits", () => sdkNoLimits.CancelBatchScrapeAsync(JobId)),
            ("sdk, fresh deadline sources", () => freshDeadlines.CancelBatchScrapeAsync(JobId)),
            ("sdk, no retry, no limits", () => sdkBare.CancelBatchScrapeAsync(JobId)),
        };

        int rounds = median ? 31 : 12;
        int calls = median ? 8_000 : 50_000;
        var samples = variants.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int v = 0; v < variants.Length; v++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < calls; i++)
                {
                    variants[v].Call().GetAwaiter().GetResult();
                }

                samples[v].Add(clock.Elapsed.TotalMilliseconds * 1_000_000 / calls);
            }
        }

        double[] result = samples.Select(s => median ? s.Order().ElementAt(s.Count / 2) : s.Min()).ToArray();
        Console.WriteLine(median ? $"median of {rounds} rounds of {calls} calls" : $"best of {rounds} rounds of {calls} calls");
        for (int v = 0; v < variants.Length; v++)
        {
            Console.WriteLine($"{variants[v].Name,-28} {result[v],8:0} ns   {result[v] / result[0],5:0.00}x floor   {result[v] / result[1],5:0.00}x streaming floor");
        }
    }

    private static HttpClient CreateHttpClient(Uri baseAddress, HttpMessageHandler transport)
    {
        ClientConfiguration configuration = ClientConfiguration.Create(new FirecrawlClientOptions { BaseAddress = baseAddress, ApiKey = Key });
        var http = new HttpClient(FirecrawlHttp.Chain(configuration, transport), disposeHandler: false);
        HttpDefaults.Configure(http, configuration);
        return http;
    }
}
