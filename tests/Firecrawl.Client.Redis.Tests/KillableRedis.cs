using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Firecrawl.Client.Redis.Tests;

/// <summary>
/// A Redis this test owns and may kill: Debian's <c>redis-server</c> as a process of its own (killed with SIGKILL, as a
/// crash or an OOM kill does), or Garnet in this process where no <c>redis-server</c> is installed. Either restarts on
/// the same port, empty, as a Redis without persistence comes back.
/// </summary>
internal sealed class KillableRedis : IAsyncDisposable
{
    private readonly string _kind;
    private Process? _process;
    private RedisServer? _garnet;

    private KillableRedis(string kind, int port)
    {
        _kind = kind;
        Port = port;
    }

    /// <summary><c>redis-server</c> when it is on the PATH (CI installs it), and Garnet always.</summary>
    public static TheoryData<string> Kinds()
    {
        var kinds = new TheoryData<string> { "garnet" };
        if (RedisServerPath() is not null)
        {
            kinds.Add("redis-server");
        }

        return kinds;
    }

    public int Port { get; }

    /// <summary>The configuration string; a command bound of 250 ms, the gate's default.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<KillableRedis> StartAsync(string kind)
    {
        if (kind == "garnet")
        {
            RedisServer garnet = await RedisServer.StartGarnetAsync();
            return new KillableRedis(kind, garnet.Port) { _garnet = garnet };
        }

        var redis = new KillableRedis(kind, FreePort());
        await redis.RestartAsync();
        return redis;
    }

    /// <summary>Kills the server at once, without letting it close its connections.</summary>
    public void Kill()
    {
        if (_garnet is not null)
        {
            _garnet.Stop();
            return;
        }

        if (_process is { HasExited: false } process)
        {
            // SIGKILL; the process is gone at once, and its port free. Not waited for here: WaitForExit would hold a
            // thread-pool thread until the output pipes close, which is not what a test of the gate should measure.
            process.Kill();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts it again on the same port and waits until it takes connections.</summary>
    public async Task RestartAsync()
    {
        if (_kind == "garnet")
        {
            await _garnet!.RestartAsync();
            return;
        }

        Kill();
        var start = new ProcessStartInfo(RedisServerPath()!)
        {
            ArgumentList = { "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--protected-mode", "yes" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port, guard.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20, guard.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        if (_garnet is not null)
        {
            await _garnet.DisposeAsync();
        }
    }

    private static string? RedisServerPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(static dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}

/// <summary>Reads the gate's fall-back warning, which may come a moment after the call that fell back.</summary>
internal static class FallBackWarning
{
    /// <summary>
    /// The one <c>RedisGateFellBack</c> record, once logged: the reason of a call that ran out of time on a connection
    /// that is not up comes when the Redis client says it, a few seconds at most.
    /// </summary>
    public static async Task<Microsoft.Extensions.Logging.Testing.FakeLogRecord> SingleAsync(Microsoft.Extensions.Logging.Testing.FakeLogCollector logs)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!logs.GetSnapshot().Any(r => r.Id.Name == "RedisGateFellBack"))
        {
            await Task.Delay(50, guard.Token);
        }

        return Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RedisGateFellBack");
    }
}
