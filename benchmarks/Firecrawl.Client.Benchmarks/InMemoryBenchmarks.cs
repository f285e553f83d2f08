using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using Refit;

namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// One cancel, in memory: the same canned handler answers <c>{"status":"cancelled"}</c> for every variant, so the
/// numbers are the client's own cost. All variants send the bearer token.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PgoOnAndOffConfig))]
public class InMemoryBenchmarks
{
    private const string JobId = "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f";
    private const string Key = "fc-test-key-not-a-real-one";
    private static readonly Uri Base = new("https://firecrawl.test/");

    private CannedHandler _transport = null!;
    private FloorClient _floor = null!;
    private HttpClient _refitHttp = null!;
    private IFirecrawlApi _refit = null!;
    private FirecrawlClient _sdk = null!;

    [GlobalSetup]
    public void Setup()
    {
        _transport = new CannedHandler();
        _floor = new FloorClient(Base, Key, _transport);
        _refitHttp = new HttpClient(_transport, disposeHandler: false) { BaseAddress = new Uri("https://firecrawl.test") };
        _refitHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        _refit = RestService.ForGenerated<IFirecrawlApi>(_refitHttp, RefitSettings.ForJsonContext(FirecrawlJsonContext.Default));
        _sdk = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = Base, ApiKey = Key }, _transport);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sdk.Dispose();
        _refitHttp.Dispose();
        _floor.Dispose();
        _transport.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Floor: HttpClient + source-generated JSON")]
    public Task<bool> Floor() => _floor.CancelBatchScrapeAsync(JobId);

    [Benchmark(Description = "Refit generated client alone (no parsing, no retries)")]
    public async Task<int> RefitAlone()
    {
        using HttpResponseMessage response = await _refit.CancelBatchScrapeV1Async(JobId, default);
        return (int)response.StatusCode;
    }

    [Benchmark(Description = "Firecrawl.Client (retries, typed errors, telemetry on)")]
    public Task<CancelBatchScrapeResult> Sdk() => _sdk.CancelBatchScrapeAsync(JobId);
}
