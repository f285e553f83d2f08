// Native AOT smoke test: every path a user takes (plain client, DI with configuration binding, a typed error)
// against the emulator, in a trimmed native binary. Exits 0 only if every step behaved.
using Firecrawl.Client;
using Firecrawl.Client.Redis;
using Firecrawl.Client.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
string first = emulator.CreateBatchScrapeJob();
string second = emulator.CreateCrawlJob();
int failures = 0;

using (FirecrawlClient client = emulator.CreateClient())
{
    Check("plain client cancels", (await client.CancelBatchScrapeAsync(first)).Outcome == CancelOutcome.Cancelled);
    try
    {
        await client.CancelBatchScrapeAsync("00000000-0000-7000-8000-000000000000");
        Check("unknown id throws", false);
    }
    catch (FirecrawlNotFoundException error)
    {
        Check("unknown id throws FirecrawlNotFoundException", error.Error.Message == "Job not found");
    }
}

IConfiguration configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Firecrawl:BaseAddress"] = emulator.BaseAddress.AbsoluteUri,
        ["Firecrawl:MaxRetries"] = "2",
    })
    .Build();
var services = new ServiceCollection();
services.AddFirecrawlClient(configuration);
await using (ServiceProvider provider = services.BuildServiceProvider())
{
    var client = provider.GetRequiredService<FirecrawlClient>();
    emulator.Faults.Enqueue(EmulatorFault.Status(503));
    Check("DI client retries and cancels", (await client.CancelCrawlAsync(second)).Outcome == CancelOutcome.Cancelled);
}

// The shared gate, bound from Firecrawl:Redis: against the Redis CI started (FIRECRAWL_TEST_REDIS), or, with none, a
// closed port, where it stands in with its in-process gate. Either way the cancels go through.
string? redis = Environment.GetEnvironmentVariable("FIRECRAWL_TEST_REDIS");
IConfiguration shared = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Firecrawl:BaseAddress"] = emulator.BaseAddress.AbsoluteUri,
        ["Firecrawl:Redis:Configuration"] = string.IsNullOrEmpty(redis) ? "127.0.0.1:1" : redis,
        ["Firecrawl:Redis:Scope"] = "aot-smoke-" + Guid.NewGuid().ToString("N"),
    })
    .Build();
var fleet = new ServiceCollection();
fleet.AddFirecrawlClient(shared).AddRedisRateLimitGate(shared);
await using (ServiceProvider provider = fleet.BuildServiceProvider())
{
    var client = provider.GetRequiredService<FirecrawlClient>();
    string[] ids = [emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob()];
    BulkCancelResult bulk = await client.CancelBatchScrapesAsync(ids);
    Check("a client on the shared gate cancels many jobs", bulk.AllStopped && bulk.Cancelled == 3);
    bool sharing = provider.GetRequiredService<FirecrawlRedisRateLimitGate>().IsShared;
    Check(string.IsNullOrEmpty(redis) ? "with Redis away, the gate stands in locally" : "the gate shares its state through Redis", sharing == !string.IsNullOrEmpty(redis));
}

Console.WriteLine(failures == 0 ? "AOT smoke test passed." : $"AOT smoke test failed: {failures} step(s).");
return failures == 0 ? 0 : 1;

void Check(string step, bool ok)
{
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {step}");
    failures += ok ? 0 : 1;
}
