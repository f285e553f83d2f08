using System.Diagnostics;
using System.Globalization;
using Firecrawl.Client.Testing;

namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// How close a bulk cancel comes to the fastest pace a team limit allows: N jobs under R requests per window W cannot
/// take less than (ceil(N/R) - 1) * W. Runs against the emulator's limiter in real time, so each case takes as long
/// as the limit makes it; usage: <c>--bulk-pace N R W-seconds concurrency [repeats]</c>.
/// </summary>
internal static class BulkPace
{
    public static async Task RunAsync(string[] args)
    {
        int at = Array.IndexOf(args, "--bulk-pace");
        int jobs = int.Parse(args[at + 1], CultureInfo.InvariantCulture), limit = int.Parse(args[at + 2], CultureInfo.InvariantCulture), concurrency = int.Parse(args[at + 4], CultureInfo.InvariantCulture);
        TimeSpan window = TimeSpan.FromSeconds(double.Parse(args[at + 3], CultureInfo.InvariantCulture));
        int repeats = args.Length > at + 5 ? int.Parse(args[at + 5], CultureInfo.InvariantCulture) : 1;
        double floor = (Math.Ceiling(jobs / (double)limit) - 1) * window.TotalSeconds;

        Console.WriteLine($"{jobs} jobs, {limit} per {window.TotalSeconds:0.#} s, concurrency {concurrency}: floor {floor:0.0} s");
        for (int run = 1; run <= repeats; run++)
        {
            await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(
                new FirecrawlEmulatorOptions { RateLimitPerWindow = limit, RateLimitWindow = window });
            string[] ids = Enumerable.Range(0, jobs).Select(_ => emulator.CreateBatchScrapeJob()).ToArray();
            using FirecrawlClient client = emulator.CreateClient();

            var clock = Stopwatch.StartNew();
            BulkCancelResult result = await client.CancelBatchScrapesAsync(ids, new BulkCancelOptions { MaxConcurrency = concurrency });
            double seconds = clock.Elapsed.TotalSeconds;

            int windows = (int)Math.Ceiling(seconds / window.TotalSeconds);
            int limited = emulator.CountResponses(429);
            Console.WriteLine(
                $"run {run}: {seconds:0.00} s = floor x {seconds / Math.Max(floor, 0.001):0.00} (+{seconds - floor:0.00} s); " +
                $"cancelled {result.Cancelled}, failed {result.Failed}; 429s {limited} over {windows} windows " +
                $"(max per window allowed: {concurrency})");
        }
    }
}
