using System.Net.Http.Headers;
using Firecrawl.Client;

// usage: Firecrawl.Client.ColdStart sdk|bare <base-url> <crawl-id>
// Prints nothing on success: the process's own start-up and one cancel are what is timed.
if (args.Length == 3 && args[0] == "sdk-phases")
{
    // Where a fresh process's first cancel spends its time (for working on start-up cost, not for the figures).
    long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
    using var traced = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = new Uri(args[1]) });
    long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
    await traced.CancelCrawlAsync(args[2]);
    long t2 = System.Diagnostics.Stopwatch.GetTimestamp();
    await traced.CancelCrawlAsync(args[2]);
    long t3 = System.Diagnostics.Stopwatch.GetTimestamp();
    Console.WriteLine($"construct {System.Diagnostics.Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds:0.0} ms, first call {System.Diagnostics.Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds:0.0} ms, second call {System.Diagnostics.Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds:0.0} ms");
    return 0;
}

if (args.Length != 3 || args[0] is not ("sdk" or "bare"))
{
    Console.Error.WriteLine("usage: Firecrawl.Client.ColdStart sdk|bare <base-url> <crawl-id>");
    return 2;
}

var baseAddress = new Uri(args[1]);
string id = args[2];
if (args[0] == "sdk")
{
    using var client = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = baseAddress });
    CancelCrawlResult result = await client.CancelCrawlAsync(id);
    return result.Outcome == CancelOutcome.Cancelled ? 0 : 1;
}

// The floor: what a careful hand-written cancel does, with the same transport settings the SDK uses.
using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = baseAddress };
http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
using HttpResponseMessage response = await http.DeleteAsync("v1/crawl/" + Uri.EscapeDataString(id));
string body = await response.Content.ReadAsStringAsync();
return response.IsSuccessStatusCode && body.Contains("\"cancelled\"", StringComparison.Ordinal) ? 0 : 1;
