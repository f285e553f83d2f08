using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Firecrawl.Client.Redis.Tests;

/// <summary>
/// A Redis-protocol server for one test: Garnet in this process on 127.0.0.1 and a free port, with Lua, which a test can
/// stop and start again on the same port; or the external server <c>FIRECRAWL_TEST_REDIS</c> names (CI points it at
/// Debian's redis-server), which the test shares and does not stop.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    public const string ExternalVariable = "FIRECRAWL_TEST_REDIS";

    private readonly string? _password;
    private GarnetServer? _garnet;

    private RedisServer(string configuration, int port, string? password, GarnetServer? garnet)
    {
        Configuration = configuration;
        Port = port;
        _password = password;
        _garnet = garnet;
    }

    /// <summary>The servers every script test runs against: Garnet, and the external one when the variable names it.</summary>
    public static TheoryData<string> Kinds()
    {
        var kinds = new TheoryData<string> { "garnet" };
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ExternalVariable)))
        {
            kinds.Add("external");
        }

        return kinds;
    }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration { get; }

    /// <summary>
    /// The same, with a command bound of 2 s instead of the gate's 250 ms, for tests about sharing rather than about
    /// Redis being slow: on a loaded two-core machine a script call can outlast 250 ms, and that call's gate then stands
    /// in locally (correctly), which shows up as a burst of 429s (33 once in CI) or a gate that is not shared.
    /// </summary>
    public string PatientConfiguration => Configuration + ",asyncTimeout=2000";

    public int Port { get; }

    public static Task<RedisServer> StartAsync(string kind) =>
        kind == "external"
            ? Task.FromResult(new RedisServer(Environment.GetEnvironmentVariable(ExternalVariable)!, 0, null, null))
            : StartGarnetAsync();

    public static async Task<RedisServer> StartGarnetAsync(string? password = null)
    {
        int port = FreePort();
        var server = new RedisServer($"127.0.0.1:{port}" + (password is null ? string.Empty : $",password={password}"), port, password, Garnet(port, password));
        await server.WarmUpAsync();
        return server;
    }

    /// <summary>
    /// Runs the gate's scripts once: Garnet lives in this process, and its first Lua call compiles enough code to outlast
    /// the gate's 250 ms bound on a busy machine, which a real Redis in its own process never makes a client wait for.
    /// </summary>
    private async Task WarmUpAsync()
    {
        await using StackExchange.Redis.ConnectionMultiplexer redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Configuration);
        StackExchange.Redis.IDatabase db = redis.GetDatabase();
        StackExchange.Redis.RedisKey[] keys = ["warm:closed", "warm:window", "warm:pace", "warm:inflight"];
        await db.ScriptEvaluateAsync(GateScripts.Enter, keys, [1000, 1, 50, 1000, 1000]);
        await db.ScriptEvaluateAsync(GateScripts.Leave, keys, [1, 1, 1, 1000, 500, 3, 1000, 1, 100]);
        await db.KeyDeleteAsync(keys);
    }

    /// <summary>Stops the server; its data is gone, as after a restart of a Redis without persistence.</summary>
    public void Stop()
    {
        _garnet?.Dispose();
        _garnet = null;
    }

    /// <summary>Starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        Stop();
        _garnet = Garnet(Port, _password);
        await WarmUpAsync();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return default;
    }

    private static GarnetServer Garnet(int port, string? password)
    {
        List<string> args = ["--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lua", "true", "--logger-level", "None"];
        if (password is not null)
        {
            args.AddRange(["--auth", "Password", "--password", password]);
        }

        var server = new GarnetServer([.. args]);
        server.Start();
        return server;
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
