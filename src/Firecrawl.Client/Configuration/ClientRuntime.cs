using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Firecrawl.Client;

/// <summary>
/// What acts on a client's frozen <see cref="ClientConfiguration"/>: the shared rate-limit gate, the logger, the clock,
/// the deadlines and the redactor. One per client (or per DI registration), shared by all its calls. The attempt
/// pipeline depends on it and it on nothing of the pipeline's: the client's runner makes the pipeline.
/// </summary>
internal sealed class ClientRuntime
{
    /// <param name="configuration">The frozen options.</param>
    /// <param name="containerLoggers">The container's logger factory on the DI path, used when the options name none.</param>
    /// <param name="reuseDeadlines">
    /// Whether deadline sources may be reused: true on the plain path, where no handler of the user's sees the token.
    /// </param>
    public ClientRuntime(ClientConfiguration configuration, ILoggerFactory? containerLoggers = null, bool reuseDeadlines = false)
    {
        Configuration = configuration;
        Logger = (configuration.LoggerFactory ?? containerLoggers ?? NullLoggerFactory.Instance).CreateLogger(FirecrawlDiagnostics.LoggerCategory);
        Gate = configuration.RateLimitGate ?? new InProcessGate(configuration.TimeProvider, new PaceSettings());
        Partition = FirecrawlGatePartition.For(configuration.ApiKey, configuration.BaseAddress);
        _extractStatus = FirecrawlGatePartition.For(configuration.ApiKey, configuration.BaseAddress, FirecrawlJobKind.ExtractStatusBucket);
        LongestGateWait = configuration.MaxRetryAfter + RetryHint.MessagePadding + RetryHint.MessageJitter;
        Redactor = new SecretRedactor(configuration.ApiKey, ValuesOf(configuration.DefaultHeaders));
        Deadlines = new DeadlinePool(configuration.TimeProvider, reuse: reuseDeadlines);
    }

    public ClientConfiguration Configuration { get; }

    public ILogger Logger { get; }

    /// <summary>Whether anyone is told of waits: the wait is described only then.</summary>
    public bool ObservesWaits => Configuration.WaitObserver is not null;

    /// <summary>
    /// Tells the options' observer of a wait about to begin. Its failure is never the call's: a display that throws must
    /// not stop a cancel.
    /// </summary>
    public void Waiting(FirecrawlWait wait)
    {
        try
        {
            Configuration.WaitObserver?.Report(wait);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Ignored by contract (FirecrawlClientOptions.WaitObserver): the wait goes on as if nobody watched.
        }
    }

    /// <summary>
    /// Shared by every call of this client (or DI registration), so one 429 hint holds back all of them; the options may
    /// name one that other clients or processes share.
    /// </summary>
    public FirecrawlRateLimitGate Gate { get; }

    /// <summary>
    /// The gate an attempt uses while <see cref="Gate"/>, a gate of the user's, throws: an in-process one, made on the first
    /// failure. A gate's failure never fails a cancel.
    /// </summary>
    public FirecrawlRateLimitGate StandInGate => LazyInitializer.EnsureInitialized(ref _standIn, () => new InProcessGate(Clock, new PaceSettings()));

    private FirecrawlRateLimitGate? _standIn;

    /// <summary>The stand-in if one was made; never makes one.</summary>
    public FirecrawlRateLimitGate? StandInIfMade => Volatile.Read(ref _standIn);
    private int _gateFailing;

    /// <summary>
    /// A member of a gate of the user's threw: the stand-in takes over for that call, and the first failure of each
    /// member's streak is logged with why. The default in-process gate never throws.
    /// </summary>
    public FirecrawlRateLimitGate GateFailed(GateMember member, Exception exception)
    {
        int bit = 1 << (int)member;
        if ((Interlocked.Or(ref _gateFailing, bit) & bit) == 0)
        {
            FirecrawlLog.RateLimitGateFailed(Logger, Gate.GetType().Name, member.ToString(), $"{exception.GetType().Name}: {InputText.Quote(Redactor.Redact(exception.Message), 200)}");
        }

        return StandInGate;
    }

    /// <summary>The member answered: its next failure is logged again.</summary>
    public void GateAnswered(GateMember member)
    {
        int bit = 1 << (int)member;
        if ((Volatile.Read(ref _gateFailing) & bit) != 0)
        {
            Interlocked.And(ref _gateFailing, ~bit);
        }
    }

    /// <summary>The wait the gate knows of in a partition, without I/O; a gate that throws here knows of none, and the stand-in speaks.</summary>
    public TimeSpan PeekGateWait(FirecrawlGatePartition partition)
    {
        try
        {
            TimeSpan wait = Gate.PeekWait(partition);
            GateAnswered(GateMember.PeekWait);
            return wait;
        }
        catch (Exception exception)
        {
            return GateFailed(GateMember.PeekWait, exception).PeekWait(partition);
        }
    }

    /// <summary>Which limit this client's calls fall under in the <c>crawlStatus</c> bucket: a hash of its key and server, never the key.</summary>
    public FirecrawlGatePartition Partition { get; }

    private readonly FirecrawlGatePartition _extractStatus;

    /// <summary>The client's partition in a bucket: the server counts each bucket apart, and so does the gate.</summary>
    public FirecrawlGatePartition PartitionFor(string bucket) =>
        bucket == FirecrawlJobKind.CrawlStatusBucket ? Partition
        : bucket == FirecrawlJobKind.ExtractStatusBucket ? _extractStatus
        : FirecrawlGatePartition.For(Configuration.ApiKey, Configuration.BaseAddress, bucket);

    /// <summary>
    /// The longest a call waits at the gate: <see cref="FirecrawlClientOptions.MaxRetryAfter"/> plus the padding a text
    /// hint gets. The gate itself keeps the whole wait the server named, so a longer one fails calls at once instead.
    /// </summary>
    public TimeSpan LongestGateWait { get; }

    public SecretRedactor Redactor { get; }

    /// <summary>The cancellation sources of attempt deadlines.</summary>
    public DeadlinePool Deadlines { get; }

    /// <summary>The one clock: every wait, deadline and the gate use its monotonic timestamps.</summary>
    public TimeProvider Clock => Configuration.TimeProvider;

    /// <summary>What is left of the call's <see cref="FirecrawlClientOptions.TotalTimeout"/>; MaxValue when it has none.</summary>
    public TimeSpan RemainingBudget(long started) =>
        Configuration.TotalTimeout == Timeout.InfiniteTimeSpan
            ? TimeSpan.MaxValue
            : Configuration.TotalTimeout - Clock.GetElapsedTime(started);

    /// <summary>The header values, without LINQ: its generic instantiations are a fresh process's JIT time for nothing.</summary>
    private static string[] ValuesOf(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var values = new string[headers.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = headers[i].Value;
        }

        return values;
    }
}

/// <summary>The members of <see cref="FirecrawlRateLimitGate"/> the client calls, each of whose failures is logged once a streak.</summary>
internal enum GateMember
{
    EnterAsync,
    LeaveAsync,
    PeekWait,
}
