using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Firecrawl.Client.Testing;
using Garnet;

namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// A fleet as users run one: P <c>firecrawl</c> processes holding one team's key, each cancelling its share of N jobs
/// against the emulator's per-team limiter (R requests per window W), once each pacing alone and once sharing a Redis
/// (Garnet, in this process, unless <c>--redis-config</c> names another). Reports the time against the limiter's floor,
/// (ceil(N/R) - 1) * W, and the 429s the emulator sent.
/// Usage: <c>--fleet P N R W-seconds concurrency repeats [--firecrawl path] [--redis-config configuration] [--only shared|alone]</c>.
/// </summary>
internal static class FleetPace
{
    public static async Task RunAsync(string[] args)
    {
        int at = Array.IndexOf(args, "--fleet");
        int processes = Int(args[at + 1]), jobs = Int(args[at + 2]), limit = Int(args[at + 3]);
        TimeSpan window = TimeSpan.FromSeconds(double.Parse(args[at + 4], CultureInfo.InvariantCulture));
        int concurrency = Int(args[at + 5]), repeats = Int(args[at + 6]);
        string firecrawl = Option(args, "--firecrawl") ?? Path.Combine(AppContext.BaseDirectory, "firecrawl");
        string? only = Option(args, "--only");
        double floor = (Math.Ceiling(jobs / (double)limit) - 1) * window.TotalSeconds;

        int port = 0;
        using GarnetServer? garnet = Option(args, "--redis-config") is null ? StartGarnet(out port) : null;
        string redis = Option(args, "--redis-config") ?? $"127.0.0.1:{port}";
        Console.WriteLine($"{processes} processes x {jobs / processes} jobs, {limit} per {window.TotalSeconds:0.#} s, concurrency {concurrency} each: floor {floor:0.0} s; {firecrawl}");
        for (int run = 1; run <= repeats; run++)
        {
            foreach (bool shared in new[] { true, false })
            {
                if (only is not null && only != (shared ? "shared" : "alone"))
                {
                    continue;
                }

                (double seconds, int limited, int failed) = await RunOnceAsync(firecrawl, shared ? redis : null, processes, jobs, limit, window, concurrency);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"run {run} {(shared ? "shared " : "alone  ")}: {seconds:0.00} s = floor x {seconds / Math.Max(floor, 0.001):0.00} (+{seconds - floor:0.00} s); 429s {limited}; processes that failed {failed}"));
            }
        }
    }

    private static async Task<(double Seconds, int Limited, int Failed)> RunOnceAsync(
        string firecrawl, string? redis, int processes, int jobs, int limit, TimeSpan window, int concurrency)
    {
        var options = new FirecrawlEmulatorOptions { RateLimitPerWindow = limit, RateLimitWindow = window, RecordRequests = false };
        string key = FirecrawlEmulator.NewApiKey();
        options.ApiKeys.Add(key);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        string folder = Directory.CreateTempSubdirectory("firecrawl-fleet-").FullName;
        try
        {
            var files = new List<string>();
            for (int p = 0; p < processes; p++)
            {
                string file = Path.Combine(folder, $"ids-{p}.txt");
                await File.WriteAllLinesAsync(file, Enumerable.Range(0, jobs / processes).Select(_ => emulator.CreateBatchScrapeJob()));
                files.Add(file);
            }

            var clock = Stopwatch.StartNew();
            int[] codes = await Task.WhenAll(files.Select(file => RunProcessAsync(firecrawl, file, emulator.BaseAddress, key, redis, concurrency)));
            return (clock.Elapsed.TotalSeconds, emulator.CountResponses(429), codes.Count(static c => c != 0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RunProcessAsync(string firecrawl, string ids, Uri api, string key, string? redis, int concurrency)
    {
        var start = new ProcessStartInfo(firecrawl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "batch-scrape", "cancel", "--from-file", ids, "--api-url", api.AbsoluteUri, "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--json" })
        {
            start.ArgumentList.Add(arg);
        }

        if (redis is not null)
        {
            start.ArgumentList.Add("--redis");
            start.ArgumentList.Add(redis);
        }

        start.Environment["FIRECRAWL_API_KEY"] = key;
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output;
        if (errors.Length > 0)
        {
            Console.Error.Write(errors);
        }

        return process.ExitCode;
    }

    private static GarnetServer StartGarnet(out int port)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--lua", "true", "--logger-level", "None"]);
        server.Start();
        return server;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static string? Option(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
