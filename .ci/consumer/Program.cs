// What a user does after `dotnet add package Firecrawl.Client`, plus a check of the package itself.
using System.IO.Compression;
using Firecrawl.Client;
using Firecrawl.Client.Redis;
using Firecrawl.Client.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

string feed = args.Length > 0 ? args[0] : throw new ArgumentException("Pass the package folder.");
string version = args.Length > 1 ? args[1] : throw new ArgumentException("Pass the version.");
var problems = new List<string>();

// The package carries what a NuGet user sees: readme, licence, XML docs, both target frameworks, symbols.
string nupkg = Path.Combine(feed, $"Firecrawl.Client.{version}.nupkg");
using (ZipArchive package = ZipFile.OpenRead(nupkg))
{
    var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
    foreach (string expected in new[]
    {
        "README.md",
        "lib/net8.0/Firecrawl.Client.dll", "lib/net8.0/Firecrawl.Client.xml",
        "lib/net10.0/Firecrawl.Client.dll", "lib/net10.0/Firecrawl.Client.xml",
    })
    {
        if (!entries.Contains(expected))
        {
            problems.Add($"package lacks {expected}");
        }
    }

    using var nuspec = new StreamReader(package.GetEntry("Firecrawl.Client.nuspec")!.Open());
    string manifest = nuspec.ReadToEnd();
    foreach (string expected in new[] { "<license type=\"expression\">MIT</license>", "<readme>README.md</readme>", "<repository type=\"git\"", "commit=\"" })
    {
        if (!manifest.Contains(expected, StringComparison.Ordinal))
        {
            problems.Add($"nuspec lacks {expected}");
        }
    }
}

if (!File.Exists(Path.Combine(feed, $"Firecrawl.Client.{version}.snupkg")))
{
    problems.Add("no symbol package (.snupkg)");
}

// The SDK as a user calls it, against the emulator package on loopback.
await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
using (var client = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = emulator.BaseAddress }))
{
    CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob());
    if (result.Outcome != CancelOutcome.Cancelled)
    {
        problems.Add($"plain client answered {result.Outcome}");
    }
}

// DI bound from configuration: on net8.0 this runs the 8.0 configuration-binding generator's code on .NET 8.
IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Firecrawl:BaseAddress"] = emulator.BaseAddress.ToString(),
    ["Firecrawl:RetryBaseDelay"] = "00:00:00.010",
    ["Firecrawl:DefaultHeaders:X-Tenant"] = "blue",
}).Build();
var services = new ServiceCollection();
services.AddFirecrawlClient(configuration);
await using (ServiceProvider provider = services.BuildServiceProvider())
{
    emulator.Faults.Enqueue(EmulatorFault.Status(503));
    CancelCrawlResult result = await provider.GetRequiredService<FirecrawlClient>().CancelCrawlAsync(emulator.CreateCrawlJob());
    if (result.Outcome != CancelOutcome.Cancelled)
    {
        problems.Add($"DI client answered {result.Outcome}");
    }

    if (!emulator.Requests[^1].Headers.TryGetValue("X-Tenant", out string? tenant) || tenant != "blue")
    {
        problems.Add("DI client did not send the DefaultHeaders bound from configuration");
    }
}

// Many jobs at once, through the same client type.
using (var client = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = emulator.BaseAddress }))
{
    string[] ids = [emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob()];
    BulkCancelResult bulk = await client.CancelBatchScrapesAsync(ids);
    if (!bulk.AllStopped || bulk.Cancelled != 3)
    {
        problems.Add($"bulk cancel: {bulk.Cancelled} cancelled, {bulk.Failed} failed");
    }
}

// The shared gate from its own package: against the Redis CI started (FIRECRAWL_TEST_REDIS), or, with none, a closed
// port where it stands in locally. On net8.0 this runs the Redis package's net8.0 build on .NET 8.
string? redis = Environment.GetEnvironmentVariable("FIRECRAWL_TEST_REDIS");
await using (FirecrawlRedisRateLimitGate gate = await FirecrawlRedisRateLimitGate.ConnectAsync(
    string.IsNullOrEmpty(redis) ? "127.0.0.1:1" : redis, new FirecrawlRedisGateOptions { Scope = "consumer-" + Guid.NewGuid().ToString("N") }))
using (var client = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = emulator.BaseAddress, RateLimitGate = gate }))
{
    string[] ids = [emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob(), emulator.CreateBatchScrapeJob()];
    BulkCancelResult bulk = await client.CancelBatchScrapesAsync(ids);
    if (!bulk.AllStopped || bulk.Cancelled != 3)
    {
        problems.Add($"shared gate: {bulk.Cancelled} cancelled, {bulk.Failed} failed");
    }

    if (gate.IsShared != !string.IsNullOrEmpty(redis))
    {
        problems.Add($"shared gate: IsShared is {gate.IsShared} with FIRECRAWL_TEST_REDIS '{redis}'");
    }
}

if (!File.Exists(Path.Combine(feed, $"Firecrawl.Client.Redis.{version}.nupkg")))
{
    problems.Add("no Firecrawl.Client.Redis package");
}

#if NET8_0
// The net8.0 build must run on the .NET 8 runtime it was published with, not roll forward to another.
if (Environment.Version.Major != 8)
{
    problems.Add($"net8.0 build ran on .NET {Environment.Version}");
}
#endif

Console.WriteLine($"Ran on .NET {Environment.Version} ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}).");
foreach (string problem in problems)
{
    Console.Error.WriteLine($"consumer smoke: {problem}");
}

Console.WriteLine(problems.Count == 0 ? "Consumer smoke test passed." : $"Consumer smoke test failed: {problems.Count} problem(s).");
return problems.Count == 0 ? 0 : 1;
