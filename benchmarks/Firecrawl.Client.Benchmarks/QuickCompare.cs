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

    public static void Run()
    {
        var baseAddress = new Uri("https://firecrawl.test/");
        using var transport = new CannedHandler();
        using var floor = new FloorClient(baseAddress, Key, transport);
        using var refitHttp = new HttpClient(transport, false) { BaseAddress = new Uri("https://firecrawl.test/v1") };
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
            ("refit alone", async () => { using HttpResponseMessage r = await refit.CancelBatchScrapeAsync(JobId, default); }),
            ("sdk", () => sdk.CancelBatchScrapeAsync(JobId)),
            ("sdk, no time limits", () => sdkNoLimits.CancelBatchScrapeAsync(JobId)),
            ("sdk, fresh deadline sources", () => freshDeadlines.CancelBatchScrapeAsync(JobId)),
            ("sdk, no retry, no limits", () => sdkBare.CancelBatchScrapeAsync(JobId)),
        };

        var best = new double[variants.Length];
        Array.Fill(best, double.MaxValue);
        for (int round = 0; round < 12; round++)
        {
            for (int v = 0; v < variants.Length; v++)
            {
                const int calls = 50_000;
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < calls; i++)
                {
                    variants[v].Call().GetAwaiter().GetResult();
                }

                best[v] = Math.Min(best[v], clock.Elapsed.TotalMilliseconds * 1_000_000 / calls);
            }
        }

        for (int v = 0; v < variants.Length; v++)
        {
            Console.WriteLine($"{variants[v].Name,-28} {best[v],8:0} ns   {best[v] / best[0],5:0.00}x floor");
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
