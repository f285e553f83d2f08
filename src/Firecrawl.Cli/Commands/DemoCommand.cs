using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Firecrawl.Client;
using Firecrawl.Client.Testing;

namespace Firecrawl.Cli;

/// <summary>
/// <c>firecrawl demo</c>: the SDK against the emulator on loopback, step by step, with no network and no account.
/// Each attempt and each wait is printed as it happens by a transport that watches the wire.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var demo = new Command("demo", "Run an offline demo against a local Firecrawl emulator");
        demo.SetAction((_, token) => RunAsync(context.Console.Out, token));
        return demo;
    }

    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"Started a local Firecrawl emulator at {emulator.BaseAddress} (no network, no account).").ConfigureAwait(false);

        using var wire = new WireWatcher(new SocketsHttpHandler(), output);
        using var client = new FirecrawlClient(
            new FirecrawlClientOptions { BaseAddress = emulator.BaseAddress, RetryBaseDelay = TimeSpan.FromMilliseconds(300) },
            wire);

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("1. Start a batch scrape (POST /v1/batch/scrape)").ConfigureAwait(false);
        string id = await CreateBatchScrapeAsync(emulator, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"   -> job {id}").ConfigureAwait(false);

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("2. Cancel it").ConfigureAwait(false);
        CancelBatchScrapeResult first = await client.CancelBatchScrapeAsync(id, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"   -> {first.Outcome}").ConfigureAwait(false);

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("3. Cancel it again").ConfigureAwait(false);
        CancelBatchScrapeResult again = await client.CancelBatchScrapeAsync(id, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"   -> {again.Outcome}: cancel is idempotent, which is why the SDK may safely re-send a DELETE whose answer was lost").ConfigureAwait(false);

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("4. Cancel an id the server does not know").ConfigureAwait(false);
        try
        {
            await client.CancelBatchScrapeAsync("00000000-0000-7000-8000-000000000000", cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync("   -> unexpectedly succeeded").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (FirecrawlNotFoundException error)
        {
            await output.WriteLineAsync($"   -> {nameof(FirecrawlNotFoundException)} ({(int)error.StatusCode}): the server said \"{error.Error.Message}\"; `firecrawl batch-scrape cancel` exits with {ExitCodes.NotFound}").ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("5. Cancel a job behind a failing gateway (503) and then Firecrawl's rate limit (429, wait named only in the text)").ConfigureAwait(false);
        string flaky = await CreateBatchScrapeAsync(emulator, cancellationToken).ConfigureAwait(false);
        emulator.Faults.EnqueueForJob(flaky, EmulatorFault.Status(503), EmulatorFault.RateLimited(1));
        wire.Watching = true;
        CancelBatchScrapeResult survived = await client.CancelBatchScrapeAsync(flaky, cancellationToken).ConfigureAwait(false);
        wire.Watching = false;
        await output.WriteLineAsync($"   -> {survived.Outcome} after {wire.Attempts} attempts").ConfigureAwait(false);

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("Done. Point the SDK or `firecrawl batch-scrape cancel <id>` at a real server with FIRECRAWL_API_URL and FIRECRAWL_API_KEY.").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<string> CreateBatchScrapeAsync(FirecrawlEmulator emulator, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        using var body = new StringContent("""{"urls":["https://example.com","https://example.org"]}""", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync(new Uri("v1/batch/scrape", UriKind.Relative), body, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using JsonDocument created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return created.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Sits under the SDK's handlers (the transport constructor), so it sees every attempt the SDK makes and the time
    /// the SDK waited in between.
    /// </summary>
    private sealed class WireWatcher(HttpMessageHandler inner, TextWriter output) : DelegatingHandler(inner)
    {
        private readonly Stopwatch _sinceLastAnswer = new();

        public bool Watching { get; set; }

        public int Attempts { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!Watching)
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            Attempts++;
            string waited = _sinceLastAnswer.IsRunning
                ? string.Create(CultureInfo.InvariantCulture, $" after waiting {_sinceLastAnswer.Elapsed.TotalSeconds:0.00} s")
                : string.Empty;
            await output.WriteLineAsync($"   attempt {Attempts}{waited}: {request.Method} {request.RequestUri!.AbsolutePath}").ConfigureAwait(false);
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            _sinceLastAnswer.Restart();
            string detail = response.StatusCode switch
            {
                HttpStatusCode.OK => string.Empty,
                HttpStatusCode.TooManyRequests => "; no Retry-After header, so the SDK reads \"retry after Ns\" from the message and waits that long plus half a second, since the server rounds it",
                _ => "; transient, so the SDK backs off (exponential, with jitter) and retries",
            };
            await output.WriteLineAsync($"   <- {(int)response.StatusCode} {response.ReasonPhrase}{detail}").ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // Demo-sized bodies only: the SDK's own reading is bounded, this one is for show.
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                string said = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"      server said: {(said.Length > 160 ? said[..160] + "..." : said)}").ConfigureAwait(false);
            }

            return response;
        }
    }
}
