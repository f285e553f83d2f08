using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Firecrawl.Client.Redis;

/// <summary>
/// One rate-limit gate and one learned pace for every process that points at the same Redis: a 429 heard by one worker
/// holds back all of them, and the pace one learns (how many requests a window takes, how long it lasts) fills each
/// later window to the limit for the whole fleet and holds the rest. Set it as
/// <see cref="FirecrawlClientOptions.RateLimitGate"/>, or with <c>AddRedisRateLimitGate</c> under dependency injection.
/// </summary>
/// <remarks>
/// <para>
/// Redis never blocks or fails a cancel: every call to it is bounded by <see cref="FirecrawlRedisGateOptions.CommandTimeout"/>,
/// and while it is down, slow or refusing the password the gate uses an in-process gate of its own, logs one warning,
/// and tries Redis again after <see cref="FirecrawlRedisGateOptions.RetryInterval"/>.
/// </para>
/// <para>
/// What it stores: per rate limit, a key while the server's wait runs, the current window's counts, the learned limit,
/// window length and padding, and the count of attempts in flight. The keys are named by a SHA-256 of the API key and
/// the server (or of <see cref="FirecrawlRedisGateOptions.Scope"/>), hold no key and no job id, and all expire.
/// </para>
/// </remarks>
public sealed class FirecrawlRedisRateLimitGate : FirecrawlRateLimitGate, IDisposable, IAsyncDisposable
{
    /// <summary>The low bit of a <see cref="FirecrawlGateEntry.Tag"/> from Redis: counted in the fleet's in-flight bound.
    /// The bits above it are the number of the window that let the attempt through. A negative tag is the complement of
    /// the tag of the in-process gate that stood in while Redis was away.</summary>
    private const int CountedInFlight = 1;

    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsRedis;
    private readonly FirecrawlRedisGateOptions _options;
    private readonly FirecrawlRateLimitGate _local;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<FirecrawlGatePartition, RedisKey[]> _keys = new();
    private readonly ConcurrentDictionary<FirecrawlGatePartition, (TimeSpan Wait, long At)> _lastWaits = new();
    private readonly TimeSpan _commandTimeout;
    private long _retryRedisAt;
    private int _degraded;
    private int _failures;

    /// <summary>Creates a gate over a Redis connection you own; the gate never closes it.</summary>
    /// <param name="redis">The connection, such as the one your app already registers.</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The settings are not usable; the message lists every problem.</exception>
    public FirecrawlRedisRateLimitGate(IConnectionMultiplexer redis, FirecrawlRedisGateOptions? options = null)
        : this(redis, ownsRedis: false, options, commandTimeout: null)
    {
    }

    private FirecrawlRedisRateLimitGate(IConnectionMultiplexer redis, bool ownsRedis, FirecrawlRedisGateOptions? options, TimeSpan? commandTimeout)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new FirecrawlRedisGateOptions();
        List<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid FirecrawlRedisGateOptions: " + string.Join(" ", errors), nameof(options));
        }

        _redis = redis;
        _ownsRedis = ownsRedis;
        _options = options;
        _commandTimeout = commandTimeout ?? options.CommandTimeout;
        _clock = options.TimeProvider;
        // The stand-in paces as this gate would, within this process: the same bound before the limit is learned, and
        // the same lifetime for a learned pace.
        _local = CreateStandIn(_clock, options.MaxInFlightUntilLearned, options.LearnedPaceLifetime);
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Firecrawl.Client.Redis");
        if (options.Scope is { } scope)
        {
            // Refused here, as a blank scope is, rather than at the first call.
            _ = FirecrawlGatePartition.ForScope(scope).Id;
        }

        Subscribe(add: true);
        _warmedUp = WarmUpAsync();
    }

    /// <summary>
    /// The most telling reason a connection attempt failed, from the Redis client's events: a call waiting for a
    /// connection fails only with "unable to connect", while each attempt says why (a refused password, a server that
    /// does not speak Redis).
    /// </summary>
    private readonly TaskCompletionSource<ConnectionFailureType> _connectionCause = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Listens to (or stops listening to) the connection's failures; a connection that throws only loses the detail.</summary>
    private void Subscribe(bool add)
    {
        try
        {
            if (add)
            {
                _redis.ConnectionFailed += OnConnectionFailed;
            }
            else
            {
                _redis.ConnectionFailed -= OnConnectionFailed;
            }
        }
        catch (Exception)
        {
            // The warnings then name the cause the calls themselves report.
        }
    }

    /// <summary>Whether a connection attempt has failed for a reason that says no more than the calls do (nothing listening).</summary>
    private volatile bool _sawVagueConnectionFailure;

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs failed)
    {
        if (failed.FailureType is ConnectionFailureType.AuthenticationFailure or ConnectionFailureType.ProtocolFailure
            or ConnectionFailureType.ResponseIntegrityFailure or ConnectionFailureType.InternalFailure)
        {
            _connectionCause.TrySetResult(failed.FailureType);
        }
        else
        {
            _sawVagueConnectionFailure = true;
        }
    }

    /// <summary>Completes when the scripts are loaded into Redis (or loading failed, which the first call then meets).</summary>
    private readonly Task _warmedUp;

    /// <summary>
    /// Connects to Redis and creates a gate that owns the connection. Redis being down is not an error: the gate starts
    /// on its in-process gate and joins the fleet once Redis answers.
    /// </summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>localhost:6379</c> or <c>redis.internal:6380,ssl=true,password=...</c>.</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops waiting for the first connection.</param>
    /// <returns>The gate; dispose it to close the connection.</returns>
    /// <exception cref="ArgumentException">The configuration string or the settings are not usable.</exception>
    public static async Task<FirecrawlRedisRateLimitGate> ConnectAsync(string configuration, FirecrawlRedisGateOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FirecrawlRedisGateOptions();
        (ConfigurationOptions redis, TimeSpan bound) = ConfigurationFor(configuration, options);
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(redis).WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var gate = new FirecrawlRedisRateLimitGate(connection, ownsRedis: true, options, bound);
            await gate._warmedUp.WaitAsync(cancellationToken).ConfigureAwait(false);
            return gate;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The same as <see cref="ConnectAsync"/>, for start-up code that cannot await (a DI factory).</summary>
    internal static FirecrawlRedisRateLimitGate Connect(string configuration, FirecrawlRedisGateOptions options)
    {
        (ConfigurationOptions redis, TimeSpan bound) = ConfigurationFor(configuration, options);
        return new(ConnectionMultiplexer.Connect(redis), ownsRedis: true, options, bound);
    }

    /// <summary>The bound on each Redis call this gate makes (see <see cref="FirecrawlRedisGateOptions.CommandTimeout"/>).</summary>
    internal TimeSpan CommandTimeout => _commandTimeout;

    /// <summary>The in-process gate that stands in while Redis cannot be used.</summary>
    internal FirecrawlRateLimitGate StandIn => _local;

    /// <summary>The options it was made with, for tests of what configuration binds.</summary>
    internal FirecrawlRedisGateOptions Options => _options;

    /// <summary>Whether the gate is sharing its state through Redis now, rather than standing in with its in-process gate.</summary>
    public bool IsShared => Volatile.Read(ref _degraded) == 0 && IsConnectedSafely();

    /// <inheritdoc />
    public override async ValueTask<FirecrawlGateEntry> EnterAsync(FirecrawlGatePartition partition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partition);

        // What this process heard itself (a 429 whose report Redis lost) holds it back before the fleet is asked, so that
        // Redis never counts an attempt that then does not go.
        TimeSpan heard = _local.PeekWait(partition);
        if (heard > TimeSpan.Zero)
        {
            return FirecrawlGateEntry.WaitFor(heard);
        }

        if (RedisMayAnswer())
        {
            Task<RedisResult>? call = null;
            try
            {
                call = _redis.GetDatabase().ScriptEvaluateAsync(
                    GateScripts.Enter,
                    Keys(partition),
                    [GateScripts.DefaultWindowMs, _options.MaxInFlightUntilLearned, GateScripts.InFlightRecheckMs, GateScripts.InFlightTtlMs, LifetimeMs]);
                RedisResult answer = await Bounded(call, cancellationToken).ConfigureAwait(false);
                RedisResult[] parts = (RedisResult[])answer!;
                var entry = new FirecrawlGateEntry
                {
                    Wait = TimeSpan.FromMilliseconds((long)parts[0]),
                    Tag = (int)(((long)parts[2] & 0x3FFFFFFF) << 1) | ((long)parts[1] == 1 ? CountedInFlight : 0),
                };
                Rejoined();
                _lastWaits[partition] = (entry.Wait, _clock.GetTimestamp());
                return entry;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever the Redis client throws, and whenever (synchronously, from a completed writer, while it
                // connects, reconnects or is disposed), this attempt goes on with the in-process gate.
                FellBack(exception, call);
            }
        }

        FirecrawlGateEntry fallback = await _local.EnterAsync(partition, cancellationToken).ConfigureAwait(false);
        return fallback.Entered ? fallback with { Part = _local } : fallback;
    }

    /// <inheritdoc />
    public override async ValueTask LeaveAsync(FirecrawlGatePartition partition, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partition);
        if (entry.Part == _local)
        {
            await _local.LeaveAsync(partition, entry with { Part = null }, outcome, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (outcome.RateLimited)
        {
            // Kept here too, so that a Redis that goes away now leaves this process still holding back.
            await _local.LeaveAsync(partition, default, outcome, cancellationToken).ConfigureAwait(false);
        }

        if (!RedisMayAnswer())
        {
            return;
        }

        RedisValue[] values =
        [
            entry.Tag & CountedInFlight,
            outcome.Answered ? 1 : 0,
            outcome.RateLimited ? 1 : 0,
            Milliseconds(outcome.RetryAfter),
            Milliseconds(outcome.NamedWait),
            outcome.Consumed ?? -1,
            LifetimeMs,
            entry.Tag >> 1,
            GateScripts.AnsweredMarginMs,
        ];

        // An ordinary answer only updates counts: it is sent without waiting for Redis, so a cancel pays no round trip for it.
        if (!outcome.RateLimited)
        {
            try
            {
                _ = _redis.GetDatabase().ScriptEvaluateAsync(GateScripts.Leave, Keys(partition), values, CommandFlags.FireAndForget)
                    .ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                FellBack(exception, pending: null);
            }

            return;
        }

        Task<RedisResult>? call = null;
        try
        {
            call = _redis.GetDatabase().ScriptEvaluateAsync(GateScripts.Leave, Keys(partition), values);
            await Bounded(call, cancellationToken).ConfigureAwait(false);
            _lastWaits[partition] = (outcome.RetryAfter ?? TimeSpan.Zero, _clock.GetTimestamp());
            Rejoined();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            FellBack(exception, call);
        }
    }

    /// <inheritdoc />
    public override TimeSpan PeekWait(FirecrawlGatePartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        TimeSpan local = _local.PeekWait(partition);
        if (Volatile.Read(ref _degraded) == 1 || !_lastWaits.TryGetValue(partition, out (TimeSpan Wait, long At) last))
        {
            return local;
        }

        TimeSpan shared = last.Wait - _clock.GetElapsedTime(last.At);
        return shared > local ? shared : local;
    }

    /// <summary>Closes the Redis connection if the gate opened it.</summary>
    public void Dispose()
    {
        Subscribe(add: false);
        if (_ownsRedis)
        {
            _redis.Dispose();
        }
    }

    /// <summary>Closes the Redis connection if the gate opened it.</summary>
    /// <returns>A task that completes when it is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        Subscribe(add: false);
        if (_ownsRedis)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Loads the two scripts into every connected server before the first attempt needs them. A process's first script
    /// call otherwise pays for loading it and for compiling the client's own scripting code, which on a loaded machine
    /// outlasts <see cref="FirecrawlRedisGateOptions.CommandTimeout"/> and sends a fresh process to its in-process gate.
    /// </summary>
    private async Task WarmUpAsync()
    {
        RedisKey[] keys = [.. Keys(WarmUpPartition)];
        try
        {
            // The same calls an attempt makes, on keys of their own, so that everything on the path is compiled and loaded.
            IDatabase db = _redis.GetDatabase();
            RedisResult entered = await db.ScriptEvaluateAsync(GateScripts.Enter, keys, [1000, 0, GateScripts.InFlightRecheckMs, 1000, 1000])
                .WaitAsync(TimeSpan.FromSeconds(2), _clock).ConfigureAwait(false);
            _ = (long)((RedisResult[])entered!)[0];
            await db.ScriptEvaluateAsync(GateScripts.Leave, keys, [0, 1, 0, -1, -1, -1, 1000, 1, GateScripts.AnsweredMarginMs]).WaitAsync(TimeSpan.FromSeconds(2), _clock).ConfigureAwait(false);
            await db.KeyDeleteAsync(keys).WaitAsync(TimeSpan.FromSeconds(2), _clock).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The first call meets whatever is wrong, bounded, and the gate stands in locally.
        }
    }

    /// <summary>The partition whose keys warm the path up; nobody's limit.</summary>
    private static readonly FirecrawlGatePartition WarmUpPartition = FirecrawlGatePartition.ForScope("Firecrawl.Client.Redis warm-up");

    /// <summary>The gate's keys for a partition, all in one hash slot (the braces), so the scripts work on Redis Cluster.</summary>
    internal RedisKey[] Keys(FirecrawlGatePartition partition) =>
        _keys.GetOrAdd(partition, static (p, gate) =>
        {
            // A scope names the team's limit; each of the server's buckets is still a limit of its own.
            string id = gate._options.Scope is { } scope ? FirecrawlGatePartition.ForScope(scope, p.Bucket).Id : p.Id;
            string prefix = $"{gate._options.KeyPrefix}:{{{id}}}:";
            return [prefix + "closed", prefix + "window", prefix + "pace", prefix + "inflight"];
        }, this);

    /// <summary>
    /// Reads a configuration string, and the bound on each call: <see cref="FirecrawlRedisGateOptions.CommandTimeout"/>, or
    /// the string's own <c>asyncTimeout</c> when it names a longer one, because whoever wrote that knows their Redis is slow
    /// to answer (a distant region, a loaded machine) and the gate should not stand in locally on every call.
    /// </summary>
    internal static (ConfigurationOptions Redis, TimeSpan CommandTimeout) ConfigurationFor(string configuration, FirecrawlRedisGateOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Checked here, in words about the string, before StackExchange.Redis reads it: its own messages name its
        // parameters, and one of them ('localhost:abc' reads as no server at all) says nothing about the cause.
        if (RedisConfigurationText.Problem(configuration) is { } problem)
        {
            throw new ArgumentException($"The Redis configuration string {problem}.", nameof(configuration));
        }

        ConfigurationOptions redis = ConfigurationOptions.Parse(configuration);

        // Down at start-up is not an error: the gate stands in locally and the connection keeps trying.
        redis.AbortOnConnectFail = false;
        int timeout = (int)Math.Ceiling(options.CommandTimeout.TotalMilliseconds);
        if (NamesAsyncTimeout(configuration) && redis.AsyncTimeout > timeout)
        {
            timeout = Math.Min(redis.AsyncTimeout, 10_000);
        }

        redis.ConnectTimeout = Math.Max(timeout, 1000);
        redis.AsyncTimeout = timeout;
        redis.SyncTimeout = timeout;
        return (redis, TimeSpan.FromMilliseconds(timeout));
    }

    /// <summary>Whether the string sets <c>asyncTimeout</c> itself; StackExchange.Redis reports a default otherwise.</summary>
    private static bool NamesAsyncTimeout(string configuration) =>
        configuration.Split(',').Any(static part => part.Split('=', 2) is [string name, _] && name.Trim().Equals("asyncTimeout", StringComparison.OrdinalIgnoreCase));

    private long LifetimeMs => (long)_options.LearnedPaceLifetime.TotalMilliseconds;

    private static long Milliseconds(TimeSpan? wait) => wait is { } value ? (long)Math.Ceiling(value.TotalMilliseconds) : -1;

    /// <summary>Redis is tried unless it failed less than <see cref="FirecrawlRedisGateOptions.RetryInterval"/> ago.</summary>
    private bool RedisMayAnswer() => Volatile.Read(ref _degraded) == 0 || _clock.GetTimestamp() >= Volatile.Read(ref _retryRedisAt);

    private async Task<T> Bounded<T>(Task<T> call, CancellationToken cancellationToken) =>
        await call.WaitAsync(_commandTimeout, _clock, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Stands in locally from now until the next try, and warns once, saying why in a user's terms. A call that ran out
    /// of time on a connection that is not up has not failed for its real reason yet (a refused password, nothing
    /// listening): the warning then waits, a few seconds at most, for the Redis client to say which.
    /// </summary>
    private void FellBack(Exception exception, Task? pending)
    {
        // A hiccup (a slow first call on a loaded machine) is retried soon; a Redis that stays away, every RetryInterval.
        int failures = Interlocked.Increment(ref _failures);
        double seconds = Math.Min(_options.RetryInterval.TotalSeconds, 0.25 * Math.Pow(2, Math.Min(failures - 1, 20)));
        long interval = (long)(seconds * _clock.TimestampFrequency);
        Volatile.Write(ref _retryRedisAt, _clock.GetTimestamp() + interval);
        if (Interlocked.Exchange(ref _degraded, 1) != 0)
        {
            return;
        }

        bool connected = IsConnectedSafely();
        if (exception is TimeoutException && !connected && pending is { IsCompleted: false })
        {
            _ = WarnWhenKnownAsync(exception, pending);
            return;
        }

        Warn(RedisFailure.Describe(exception, _commandTimeout, connected));
    }

    private async Task WarnWhenKnownAsync(Exception timeout, Task pending)
    {
        Exception cause = timeout;
        long started = _clock.GetTimestamp();
        try
        {
            // Whichever says first: the call's own failure, or a connection attempt's reason.
            await Task.WhenAny(pending, _connectionCause.Task).WaitAsync(ReasonWait, _clock).ConfigureAwait(false);
            if (pending.IsFaulted)
            {
                cause = pending.Exception!.InnerException ?? pending.Exception;
            }
        }
        catch (TimeoutException)
        {
            // The Redis client never said more: the timeout is the reason.
        }

        if (cause is TimeoutException or RedisConnectionException { FailureType: ConnectionFailureType.UnableToConnect or ConnectionFailureType.SocketFailure })
        {
            // "Unable to connect" says nothing of why. An attempt's own reason says more: wait a moment for one, unless
            // the attempts already failed for a reason no more telling (nothing listening, a dropped connection).
            TimeSpan left = ReasonWait - _clock.GetElapsedTime(started);
            TimeSpan moment = left < ReasonDetailWait ? left : ReasonDetailWait;
            if (!_connectionCause.Task.IsCompleted && !_sawVagueConnectionFailure && moment > TimeSpan.Zero)
            {
                await Task.WhenAny(_connectionCause.Task, Task.Delay(moment, _clock)).ConfigureAwait(false);
            }

            if (_connectionCause.Task.IsCompleted)
            {
                cause = new RedisConnectionException(_connectionCause.Task.Result, "A connection attempt failed.");
            }
        }

        Warn(RedisFailure.Describe(cause, _commandTimeout, IsConnectedSafely()));
    }

    /// <summary>How long a warning waits for the Redis client to give a timed-out call's real reason.</summary>
    private static readonly TimeSpan ReasonWait = TimeSpan.FromSeconds(5);

    /// <summary>How long, after a call failed only "unable to connect", a warning waits for a connection attempt's reason.</summary>
    private static readonly TimeSpan ReasonDetailWait = TimeSpan.FromSeconds(1.5);

    private void Warn(string reason)
    {
        string endPoints;
        try
        {
            endPoints = string.Join(", ", _redis.GetEndPoints().Select(static e => e.ToString()));
        }
        catch (Exception)
        {
            endPoints = "(unknown: the connection is gone)";
        }

        RedisGateLog.FellBack(_logger, reason, endPoints, _options.RetryInterval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
    }

    private bool IsConnectedSafely()
    {
        try
        {
            return _redis.IsConnected;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private void Rejoined()
    {
        Volatile.Write(ref _failures, 0);
        if (Volatile.Read(ref _degraded) == 1 && Interlocked.Exchange(ref _degraded, 0) == 1)
        {
            RedisGateLog.Rejoined(_logger);
        }
    }
}

/// <summary>The gate's two log events: it stood in locally, and it rejoined the fleet.</summary>
internal static partial class RedisGateLog
{
    [LoggerMessage(EventId = 101, EventName = "RedisGateFellBack", Level = LogLevel.Warning,
        Message = "The shared rate-limit gate could not use Redis at {EndPoints}: {Reason}. This process paces on its own until Redis answers again, tried at most every {RetrySeconds} s")]
    public static partial void FellBack(ILogger logger, string reason, string endPoints, string retrySeconds);

    [LoggerMessage(EventId = 102, EventName = "RedisGateRejoined", Level = LogLevel.Information,
        Message = "Redis answers again: this process paces with the fleet")]
    public static partial void Rejoined(ILogger logger);
}
