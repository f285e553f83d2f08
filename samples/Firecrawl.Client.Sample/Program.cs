// The quick start, run for real: a tiny self-hosted-style Firecrawl server on loopback answers with the bodies the
// real server sends, and the SDK cancels jobs against it. No network, no account.
using System.Net;
using System.Net.Sockets;
using System.Text;
using Firecrawl.Client;

const string JobId = "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f";
const string FlakyJobId = "019c0ed5-2222-7581-9a3e-4f1c2b3d4e5f";

int port = FreePort();
using var server = new HttpListener();
server.Prefixes.Add($"http://127.0.0.1:{port}/");
server.Start();
using var stop = new CancellationTokenSource();
Task serving = ServeAsync(server, stop.Token);

// Keyless, as a self-hosted server allows: no Authorization header is sent.
using var client = new FirecrawlClient(new FirecrawlClientOptions
{
    BaseAddress = new Uri($"http://127.0.0.1:{port}"),
    RetryBaseDelay = TimeSpan.FromMilliseconds(200),
});
Console.WriteLine($"Local Firecrawl-compatible server on {client.BaseAddress}");

CancelBatchScrapeResult first = await client.CancelBatchScrapeAsync(JobId);
Console.WriteLine($"1. cancel {JobId}: {first.Outcome}");

CancelBatchScrapeResult again = await client.CancelBatchScrapeAsync(JobId);
Console.WriteLine($"2. cancel it again: {again.Outcome} (cancel is idempotent on the server)");

try
{
    await client.CancelBatchScrapeAsync("00000000-0000-7000-8000-000000000000");
}
catch (FirecrawlNotFoundException error)
{
    Console.WriteLine($"3. unknown id: {error.GetType().Name}, server said \"{error.Error.Message}\"");
}

CancelBatchScrapeResult flaky = await client.CancelBatchScrapeAsync(FlakyJobId);
Console.WriteLine($"4. job behind a 503: {flaky.Outcome} after a retry");

await stop.CancelAsync();
server.Stop();
await serving;
return 0;

static async Task ServeAsync(HttpListener server, CancellationToken stop)
{
    int flakyCalls = 0;
    while (!stop.IsCancellationRequested)
    {
        HttpListenerContext context;
        try
        {
            context = await server.GetContextAsync().WaitAsync(stop);
        }
        catch (Exception) when (stop.IsCancellationRequested || !server.IsListening)
        {
            return;
        }

        string path = context.Request.Url!.AbsolutePath;
        (int status, string body) = (context.Request.HttpMethod, path) switch
        {
            ("DELETE", "/v1/batch/scrape/" + JobId) => (200, """{"status":"cancelled"}"""),
            ("DELETE", "/v1/batch/scrape/" + FlakyJobId) => Interlocked.Increment(ref flakyCalls) == 1
                ? (503, """{"error":"Service Unavailable"}""")
                : (200, """{"status":"cancelled"}"""),
            _ => (404, """{"error":"Job not found"}"""),
        };
        if (status == 503)
        {
            Console.WriteLine("   (server answered 503; the SDK backs off and retries)");
        }

        byte[] bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes, stop);
        context.Response.Close();
    }
}

static int FreePort()
{
    using var probe = new TcpListener(IPAddress.Loopback, 0);
    probe.Start();
    return ((IPEndPoint)probe.LocalEndpoint).Port;
}
