using System.Diagnostics;
using Firecrawl.Client.Testing;

namespace Firecrawl.Client.Redis.Tests;

/// <summary>
/// A fleet as users run one: several real <c>firecrawl</c> processes holding one team's key, each cancelling its own
/// share of the jobs against the emulator's per-team limiter, pacing through one Redis with <c>--redis</c> (or
/// <c>FIRECRAWL_REDIS</c>).
/// </summary>
[Collection(nameof(FleetProcessTests))]
public sealed class FleetProcessTests
{
    [Theory]
    [InlineData("option")]
    [InlineData("environment")]
    public async Task ThreeFirecrawlProcessesSharingRedis_StopEveryJobAndExitZero(string how)
    {
        await using RedisServer redis = await RedisServer.StartGarnetAsync();
        var limits = new FirecrawlEmulatorOptions { RateLimitPerWindow = 10, RateLimitWindow = TimeSpan.FromSeconds(2), RecordRequests = false };
        string key = FirecrawlEmulator.NewApiKey();
        limits.ApiKeys.Add(key);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(limits);
        string[][] shares = [.. Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 12).Select(_ => emulator.CreateBatchScrapeJob()).ToArray())];
        string folder = Directory.CreateTempSubdirectory("firecrawl-fleet-").FullName;
        try
        {
            (int Code, string Out, string Err)[] runs = await Task.WhenAll(shares.Select(async (ids, i) =>
            {
                string file = Path.Combine(folder, $"ids-{i}.txt");
                await File.WriteAllLinesAsync(file, ids);
                // Four .NET processes start at once on a CI machine that may have two cores: a 250 ms bound would send a
                // cold worker to its in-process gate, which is correct but is not what this test is about.
                return await RunAsync(how, redis.PatientConfiguration, key, emulator.BaseAddress, file);
            }));

            Assert.All(runs, run => Assert.True(run.Code == 0, $"exit {run.Code}: {run.Err}"));
            Assert.All(runs, run => Assert.Contains("\"summary\":{\"total\":12,\"cancelled\":12", run.Out, StringComparison.Ordinal));
            Assert.All(shares.SelectMany(s => s), id => Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id)));
            Assert.All(runs, run => Assert.DoesNotContain(key, run.Out + run.Err, StringComparison.Ordinal));
            Assert.All(runs, run => Assert.DoesNotContain("could not use Redis", run.Err, StringComparison.Ordinal));
            Assert.True(emulator.CountResponses(429) <= 12, $"{emulator.CountResponses(429)} 429s; {string.Join(" | ", runs.Select(r => r.Err))}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string how, string redis, string key, Uri api, string ids)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        List<string> args = [Path.Combine(AppContext.BaseDirectory, "firecrawl.dll"), "batch-scrape", "cancel", "--from-file", ids, "--api-url", api.AbsoluteUri, "--json"];
        if (how == "option")
        {
            args.AddRange(["--redis", redis]);
        }
        else
        {
            start.Environment["FIRECRAWL_REDIS"] = redis;
        }

        args.ForEach(start.ArgumentList.Add);
        start.Environment["FIRECRAWL_API_KEY"] = key;
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await errors);
    }
}
