using System.Net;
using System.Net.Sockets;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>
/// A bare TCP server on 127.0.0.1 and a free port, for peers the emulator cannot play (a proxy, a TLS server with an
/// untrusted certificate): it counts the connections it accepts and hands each to <c>serve</c>. Stops when disposed.
/// </summary>
internal sealed class LoopbackTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public LoopbackTcpServer(Func<NetworkStream, CancellationToken, Task> serve)
    {
        _listener.Start();
        _loop = AcceptAsync(serve);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    private async Task AcceptAsync(Func<NetworkStream, CancellationToken, Task> serve)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            CancellationToken stop = _stop.Token;
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await serve(client.GetStream(), stop);
                    }
                    catch (Exception) when (stop.IsCancellationRequested || !client.Connected)
                    {
                        // The test is over, or the client went away.
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException)
                    {
                        // The client reset the connection, gave up on a handshake, or never finished its request.
                    }
                }
            });
        }
    }
}
