using System.Diagnostics;
using System.Globalization;
using Firecrawl.Client.Testing;

namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// What stop-and-confirm costs, in real time against the emulator. Two parts:
/// <c>--settle drain</c>: one crawl with pages in flight that finish over a drain time after the cancel, cancelled with
/// <see cref="JobWaitUntil.Settled"/>; the time to settle against the drain time and the settle interval.
/// <c>--settle bulk N R W</c>: N batch scrapes under a limit of R requests per W seconds, cancelled in bulk with and
/// without waiting for them to settle, so the status reads' share of the budget shows.
/// </summary>
internal static class SettlePace
{
    public static async Task RunAsync(string[] args)
    {
        int at = Array.IndexOf(args, "--settle");
        if (args.Length > at + 1 && args[at + 1] == "bulk")
        {
            await BulkAsync(
                int.Parse(args[at + 2], CultureInfo.InvariantCulture),
                int.Parse(args[at + 3], CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(double.Parse(args[at + 4], CultureInfo.InvariantCulture)),
                args.Length > at + 5 ? int.Parse(args[at + 5], CultureInfo.InvariantCulture) : 1).ConfigureAwait(false);
        }
        else
        {
            await DrainAsync(args.Length > at + 2 && args[at + 1] == "drain" ? int.Parse(args[at + 2], CultureInfo.InvariantCulture) : 3).ConfigureAwait(false);
        }
    }

    private static async Task DrainAsync(int repeats)
    {
        TimeSpan interval = TimeSpan.FromSeconds(5);
        Console.WriteLine($"settle interval {interval.TotalSeconds:0} s (the default); 10 pages in flight at the cancel");
        foreach (double drain in new[] { 0.0, 2.0, 10.0, 30.0 })
        {
            var took = new List<double>();
            var reads = new List<int>();
            for (int run = 0; run < repeats; run++)
            {
                await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud });
                string id = emulator.CreateCrawlJob();
                emulator.SetProgress(id, completed: 5, inFlight: 10, drainTime: TimeSpan.FromSeconds(drain));
                using FirecrawlClient client = emulator.CreateClient(o => o.SettleInterval = interval);

                var clock = Stopwatch.StartNew();
                CancelCrawlResult result = await client.CancelCrawlAsync(JobWaitUntil.Settled, id);
                double seconds = clock.Elapsed.TotalSeconds;
                JobSettlement settled = result.Settlement!;
                if (!settled.Settled || settled.Completed != 15)
                {
                    throw new InvalidOperationException($"Did not settle as expected: {settled}");
                }

                took.Add(seconds);
                reads.Add(settled.Reads);
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"drain {drain,4:0} s: settled after {string.Join(", ", took.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))} s " +
                $"(over drain + interval: +{took.Min() - drain - interval.TotalSeconds:0.00} to +{took.Max() - drain - interval.TotalSeconds:0.00} s); status reads {string.Join(", ", reads)}"));
        }
    }

    private static async Task BulkAsync(int jobs, int limit, TimeSpan window, int repeats)
    {
        Console.WriteLine($"{jobs} batch scrapes, {limit} requests per {window.TotalSeconds:0.#} s, default options (concurrency 8, settle interval 5 s)");
        for (int run = 1; run <= repeats; run++)
        {
            foreach (JobWaitUntil wait in new[] { JobWaitUntil.Accepted, JobWaitUntil.Settled })
            {
                await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(
                    new FirecrawlEmulatorOptions { Profile = FirecrawlServerProfile.NewerCloud, RateLimitPerWindow = limit, RateLimitWindow = window });
                string[] ids = [.. Enumerable.Range(0, jobs).Select(_ => emulator.CreateBatchScrapeJob())];
                using FirecrawlClient client = emulator.CreateClient();

                var clock = Stopwatch.StartNew();
                BulkCancelResult result = await client.CancelBatchScrapesAsync(ids, new BulkCancelOptions { WaitUntil = wait });
                double seconds = clock.Elapsed.TotalSeconds;
                int requests = emulator.Requests.Count;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"run {run} {wait,-8}: {seconds,6:0.00} s, {requests} requests ({requests - jobs} status reads), {emulator.CountResponses(429)} 429s; " +
                    $"cancelled {result.Cancelled}, failed {result.Failed}, not settled {result.NotSettled}"));
            }
        }
    }
}
