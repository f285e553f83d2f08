using BenchmarkDotNet.Attributes;

namespace Firecrawl.Client.Benchmarks;

/// <summary>The cold paths: cold, but they should not be silly. In memory, so only the client's cost shows.</summary>
[MemoryDiagnoser]
[Config(typeof(PgoOnConfig))]
public class ErrorPathBenchmarks
{
    private const string JobId = "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f";
    private const string Key = "fc-test-key-not-a-real-one";
    private static readonly Uri Base = new("https://firecrawl.test/");

    private CannedHandler _notFound = null!;
    private CannedHandler _flaky = null!;
    private FloorClient _floorNotFound = null!;
    private FirecrawlClient _sdkNotFound = null!;
    private FirecrawlClient _sdkFlaky = null!;

    [GlobalSetup]
    public void Setup()
    {
        _notFound = new CannedHandler { AnswerNotFound = true };
        _flaky = new CannedHandler();
        _floorNotFound = new FloorClient(Base, Key, _notFound);
        _sdkNotFound = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = Base, ApiKey = Key }, _notFound);
        _sdkFlaky = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = Base, ApiKey = Key, RetryBaseDelay = TimeSpan.Zero }, _flaky);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sdkFlaky.Dispose();
        _sdkNotFound.Dispose();
        _floorNotFound.Dispose();
        _flaky.Dispose();
        _notFound.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Floor: 404 as HttpRequestException")]
    public async Task<int> FloorNotFound()
    {
        try
        {
            await _floorNotFound.CancelBatchScrapeAsync(JobId);
            return 0;
        }
        catch (HttpRequestException)
        {
            return 404;
        }
    }

    [Benchmark(Description = "Firecrawl.Client: 404 as FirecrawlNotFoundException")]
    public async Task<int> SdkNotFound()
    {
        try
        {
            await _sdkNotFound.CancelBatchScrapeAsync(JobId);
            return 0;
        }
        catch (FirecrawlNotFoundException)
        {
            return 404;
        }
    }

    [Benchmark(Description = "Firecrawl.Client: 503 then 200, zero back-off")]
    public Task<CancelBatchScrapeResult> SdkRetryThenSuccess()
    {
        _flaky.FailNext(1);
        return _sdkFlaky.CancelBatchScrapeAsync(JobId);
    }
}
