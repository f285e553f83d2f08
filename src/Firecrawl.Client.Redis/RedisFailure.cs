using System.Globalization;
using StackExchange.Redis;

namespace Firecrawl.Client.Redis;

/// <summary>
/// Why the gate could not use Redis, in the words of someone who runs it: unreachable, timed out, authentication
/// refused, or not the kind of server the gate needs. StackExchange.Redis reports these as a handful of exception types
/// and failure kinds; the warning a person reads names the cause and what to check, never the configuration string.
/// </summary>
internal static class RedisFailure
{
    /// <summary>What went wrong, as the fall-back warning says it.</summary>
    public static string Describe(Exception exception, TimeSpan bound, bool connected)
    {
        string ms = bound.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        return exception switch
        {
            RedisConnectionException connection => Describe(connection.FailureType, ms),
            RedisServerException server => DescribeServer(server.Message),
            RedisTimeoutException or TimeoutException when connected =>
                $"timed out: Redis did not answer within {ms} ms (CommandTimeout, or asyncTimeout in the configuration string)",
            RedisTimeoutException or TimeoutException =>
                $"unreachable: no connection to Redis within {ms} ms; check the host and port, and that Redis is running",
            InvalidCastException or RedisException =>
                "wrong kind of server: its answer to the gate's script is not what Redis returns; point the configuration at a Redis server (6.2 or newer, with Lua)",
            ObjectDisposedException =>
                "the Redis connection was closed (the gate was disposed, or its connection with it)",
            _ => $"the connection to Redis failed ({exception.GetType().Name}: {InputText.Quote(exception.Message)}), as it does when Redis goes away mid-call",
        };
    }

    private static string Describe(ConnectionFailureType failure, string ms) => failure switch
    {
        ConnectionFailureType.AuthenticationFailure =>
            "authentication refused: Redis did not accept the password (or user) in the configuration string",
        ConnectionFailureType.ProtocolFailure or ConnectionFailureType.InternalFailure =>
            "wrong kind of server: what answered at that address does not speak the Redis protocol; check the host and port",
        ConnectionFailureType.Loading =>
            "unreachable for now: Redis is still loading its data set",
        ConnectionFailureType.ResponseIntegrityFailure =>
            "wrong kind of server: its answers do not match the requests the gate sent",
        ConnectionFailureType.ConnectionDisposed =>
            "the Redis connection was closed (the gate was disposed, or its connection with it)",
        _ => $"unreachable: no connection to Redis ({failure}) within {ms} ms; check the host and port, and that Redis is running",
    };

    private static string DescribeServer(string message) =>
        message.StartsWith("NOAUTH", StringComparison.Ordinal) || message.StartsWith("WRONGPASS", StringComparison.Ordinal)
            ? "authentication refused: Redis did not accept the password (or user) in the configuration string"
        : message.StartsWith("ERR unknown command", StringComparison.Ordinal) || message.StartsWith("ERR unknown or disabled command", StringComparison.Ordinal)
            || message.Contains("script", StringComparison.OrdinalIgnoreCase)
            ? "wrong kind of server: it does not run the gate's Lua scripts (EVAL/EVALSHA); use Redis 6.2 or newer, or a server that runs Lua"
        : message.StartsWith("WRONGTYPE", StringComparison.Ordinal)
            ? "the gate's keys hold data of another type: another program writes under the gate's KeyPrefix; give the gate a KeyPrefix of its own"
        : message.StartsWith("READONLY", StringComparison.Ordinal)
            ? "the server is a read-only replica: point the configuration at the primary"
        : message.StartsWith("OOM", StringComparison.Ordinal)
            ? "Redis is out of memory (maxmemory) and refuses writes"
        : message.StartsWith("LOADING", StringComparison.Ordinal)
            ? "unreachable for now: Redis is still loading its data set"
        : $"Redis refused the gate's script: {InputText.Quote(message)}";
}
