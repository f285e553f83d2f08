using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>
/// An HTTP proxy on 127.0.0.1 that forwards nothing: it records the head of every request it is handed (a plain
/// request or a CONNECT) and answers 502. What it recorded is what a real proxy on the path could read.
/// </summary>
internal sealed class FakeProxy : IAsyncDisposable
{
    private readonly List<string> _seen = [];
    private readonly LoopbackTcpServer _server;

    public FakeProxy()
    {
        _server = new LoopbackTcpServer(ServeAsync);
        Address = new Uri($"http://127.0.0.1:{_server.Port}");
    }

    public Uri Address { get; }

    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return _seen.ToArray();
            }
        }
    }

    public IWebProxy AsSystemProxy() => new WebProxy(Address);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(NetworkStream stream, CancellationToken stop)
    {
        var head = new StringBuilder();
        byte[] buffer = new byte[4096];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        lock (_seen)
        {
            _seen.Add(head.ToString());
        }

        await stream.WriteAsync("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
    }
}
