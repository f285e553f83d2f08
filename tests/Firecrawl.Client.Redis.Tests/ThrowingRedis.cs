using System.Net;
using System.Reflection;
using StackExchange.Redis;

namespace Firecrawl.Client.Redis.Tests;

/// <summary>
/// A Redis connection that fails in one chosen way, at one chosen moment: the ways StackExchange.Redis has been seen to
/// fail (a completed pipe writer, a disposed connection) and ways it could (a synchronous throw from anywhere).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1852", Justification = "DispatchProxy derives from it.")]
internal class ThrowingRedis : DispatchProxy
{
    /// <summary>Each way, by a name a test reads.</summary>
    public static readonly IReadOnlyDictionary<string, Exception> Failures = new Dictionary<string, Exception>
    {
        ["writer completed"] = new InvalidOperationException("Writing is not allowed after writer was completed."),
        ["disposed"] = new ObjectDisposedException("ConnectionMultiplexer"),
        ["key not found"] = new KeyNotFoundException("The given key was not present in the dictionary."),
        ["not supported"] = new NotSupportedException("RESP3 is not supported by this server"),
        ["socket"] = new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset),
    };

    private Exception _failure = null!;
    private string _where = null!;

    /// <summary>
    /// A connection whose <paramref name="where"/> fails with <paramref name="failure"/>: <c>GetDatabase</c> throws, the
    /// script call throws before it returns a task, or the task it returns faults.
    /// </summary>
    public static IConnectionMultiplexer Create(string where, Exception failure)
    {
        IConnectionMultiplexer proxy = Create<IConnectionMultiplexer, ThrowingRedis>();
        var self = (ThrowingRedis)(object)proxy;
        self._failure = failure;
        self._where = where;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        switch (targetMethod!.Name)
        {
            case "get_IsConnected":
                return true;
            case "GetEndPoints":
                return new EndPoint[] { new DnsEndPoint("redis.test", 6379) };
            case "GetDatabase" when _where == "GetDatabase":
                throw _failure;
            case "GetDatabase":
                IDatabase database = Create<IDatabase, ThrowingDatabase>();
                ((ThrowingDatabase)(object)database).Fail(_failure, synchronously: _where == "synchronously");
                return database;
            case "Dispose":
                return null;
            case "DisposeAsync":
                return ValueTask.CompletedTask;
            default:
                throw _failure;
        }
    }
}

/// <summary>The database of a <see cref="ThrowingRedis"/>: every script call fails.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1852", Justification = "DispatchProxy derives from it.")]
internal class ThrowingDatabase : DispatchProxy
{
    private Exception _failure = null!;
    private bool _synchronously;

    public void Fail(Exception failure, bool synchronously)
    {
        _failure = failure;
        _synchronously = synchronously;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (_synchronously || targetMethod!.ReturnType != typeof(Task<RedisResult>))
        {
            throw _failure;
        }

        return Task.FromException<RedisResult>(_failure);
    }
}
