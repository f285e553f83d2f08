using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Firecrawl.Client.Tests;

/// <summary>The client class itself: substitution in users' tests, its own transport, and its lifetime.</summary>
public sealed class FirecrawlClientTests
{
    [Fact]
    public async Task DerivedFake_OverridesWhatItUses_AndSendsNothing()
    {
        using var fake = new FakeClient();

        CancelBatchScrapeResult result = await fake.CancelBatchScrapeAsync("job-1");

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(FirecrawlClientOptions.DefaultBaseAddress, fake.BaseAddress);
    }

    [Fact]
    public async Task DerivedFake_OperationItDoesNotOverride_SaysHowToFixTheFake()
    {
        using var fake = new FakeClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fake.CancelCrawlAsync("job-1"));

        Assert.Equal(
            "This FirecrawlClient was created with the protected constructor, for mocking; override the operations your test uses.",
            error.Message);
    }

    [Fact]
    public void DefaultTransport_FollowsNoRedirectAndDropsIdleConnectionsBeforeTheServer()
    {
        using SocketsHttpHandler transport = FirecrawlHttp.CreateTransport(ClientConfiguration.Create(Stub.Options()));

        Assert.False(transport.AllowAutoRedirect);
        Assert.Equal(TimeSpan.FromSeconds(4), transport.PooledConnectionIdleTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), transport.PooledConnectionLifetime);
        Assert.Equal(DecompressionMethods.None, transport.AutomaticDecompression);
        Assert.True(transport.UseProxy);
        Assert.IsType<LoopbackBypassProxy>(transport.Proxy);
    }

    [Fact]
    public async Task Dispose_ClientWithItsOwnTransport_ClosesItsConnections()
    {
        await using var server = new OneAnswerServer();
        var client = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = server.Address, ApiKey = Stub.SecretKey });

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId);
        client.Dispose();

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.StartsWith($"DELETE /v1/batch/scrape/{Stub.JobId} HTTP/1.1", server.Request, StringComparison.Ordinal);
        await server.ClientClosed.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Dispose_ClientOverACallersTransport_LeavesTheTransportUsable()
    {
        using var mock = Stub.Mock();
        Func<string?> seen = Stub.CaptureUrl(mock);
        new FirecrawlClient(Stub.Options(), mock).Dispose();

        using var again = new FirecrawlClient(Stub.Options(), mock);
        await again.CancelBatchScrapeAsync(Stub.JobId);

        Assert.Equal(Stub.BatchUrl, seen());
    }

    private sealed class FakeClient : FirecrawlClient
    {
        public override Task<CancelBatchScrapeResult> CancelBatchScrapeAsync(string id, CancellationToken cancellationToken = default) =>
            Task.FromResult(new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.Cancelled });
    }

    /// <summary>A server on 127.0.0.1 that answers one cancel, keeps the connection open, and notices when the client closes it.</summary>
    private sealed class OneAnswerServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _serving;

        public OneAnswerServer()
        {
            _listener.Start();
            Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _serving = ServeAsync();
        }

        public Uri Address { get; }

        public string Request { get; private set; } = string.Empty;

        public Task ClientClosed => _closed.Task;

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serving.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        private async Task ServeAsync()
        {
            using TcpClient client = await _listener.AcceptTcpClientAsync();
            NetworkStream stream = client.GetStream();
            byte[] buffer = new byte[4096];
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            Request = head.ToString();
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 22\r\nConnection: keep-alive\r\n\r\n{\"status\":\"cancelled\"}"u8.ToArray());

            // A keep-alive connection stays open until the client closes it: the read then returns 0.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await stream.ReadAsync(buffer, limit.Token) > 0)
            {
            }

            _closed.TrySetResult();
        }
    }
}
