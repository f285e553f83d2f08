using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Firecrawl.Client;

/// <summary>
/// Settings for <see cref="FirecrawlClient"/>. A client copies them when it is built, so changing an options object
/// afterwards does not change a client that already exists.
/// </summary>
public sealed class FirecrawlClientOptions
{
    /// <summary>The environment variable read when <see cref="ApiKey"/> is not set: <c>FIRECRAWL_API_KEY</c>.</summary>
    public const string ApiKeyEnvironmentVariable = "FIRECRAWL_API_KEY";

    /// <summary>The environment variable read when <see cref="BaseAddress"/> is not set: <c>FIRECRAWL_API_URL</c>.</summary>
    public const string BaseAddressEnvironmentVariable = "FIRECRAWL_API_URL";

    /// <summary>The configuration section the DI overload binds by default: <c>Firecrawl</c>.</summary>
    public const string SectionName = "Firecrawl";

    /// <summary>The cloud service, used when neither <see cref="BaseAddress"/> nor the environment names a server.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.firecrawl.dev");

    /// <summary>
    /// The API key, sent as <c>Authorization: Bearer ...</c>. Default: <see langword="null"/>, which falls back to
    /// <c>FIRECRAWL_API_KEY</c>; when that is unset too, no <c>Authorization</c> header is sent, which self-hosted
    /// servers accept.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The server's address. Default: <see langword="null"/>, which falls back to <c>FIRECRAWL_API_URL</c>, then to
    /// <see cref="DefaultBaseAddress"/>. A path prefix (a reverse proxy at <c>https://proxy.example/firecrawl/</c>) is
    /// kept, with or without a trailing slash.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Lets the client send the API key to a plain <c>http://</c> address that is not loopback, where anyone on the
    /// network path can read it. Default: <see langword="false"/>, so such an address is refused while a key is set.
    /// Turn it on only for a self-hosted server on a network you trust.
    /// </summary>
    public bool AllowApiKeyOverPlainHttp { get; set; }

    /// <summary>Which route version to call. Default: <see cref="FirecrawlApiVersion.V1"/>, as in the docs page.</summary>
    public FirecrawlApiVersion ApiVersion { get; set; } = FirecrawlApiVersion.V1;

    /// <summary>
    /// How many times a failed attempt is retried, after the first one. Default: 3. Zero turns retries off.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// The base of the exponential back-off: retry n (n = 0 for the first retry) waits a random time between half and
    /// all of <c>RetryBaseDelay * 2^n</c>, capped at <see cref="RetryMaxDelay"/>. Default: 1 second.
    /// Server hints (<c>Retry-After</c>, "retry after Ns") replace it when present.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest computed back-off between retries. Default: 30 seconds. Server hints are capped by
    /// <see cref="MaxRetryAfter"/> instead.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest wait the server may ask for that the client will sleep through. Default: 60 seconds, the length of
    /// Firecrawl's rate-limit window. A longer hint ends the call with <see cref="FirecrawlRateLimitException"/>.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The time limit of one attempt, including reading the response body; an attempt that runs out is retried.
    /// Default: 30 seconds. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The time limit of a whole call, retries and waits included. Default: 2 minutes, enough for one 60-second
    /// rate-limit wait. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a cancelled job's figures must stay still for it to count as settled, when a cancel waits for that
    /// (<see cref="JobWaitUntil.Settled"/>): a final status, and pages completed and credits used unchanged for this long.
    /// Pages in flight when the cancel came run to their end and are billed, so the figures can move after the cancel's
    /// answer. Default: 5 seconds. Zero counts the first final status as settled.
    /// </summary>
    public TimeSpan SettleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest a cancel waits for its job to settle; past it, the result says the job did not settle, with its last
    /// figures. Default: 2 minutes.
    /// </summary>
    public TimeSpan SettleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Headers added to every request, for proxies in front of self-hosted servers. Default: empty. Use
    /// <see cref="ApiKey"/> for the Firecrawl key: an <c>Authorization</c> entry here is rejected.
    /// </summary>
    public IDictionary<string, string> DefaultHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The clock used for back-off, server-requested waits and timeouts. Default: <see cref="TimeProvider.System"/>.
    /// Tests pass a fake clock so a 60-second wait takes no real time.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where the SDK logs (category <c>Firecrawl.Client</c>): each call at Debug, each retry at Warning with its wait and
    /// where that wait came from, and each failure at Error with Firecrawl's exception id. Default:
    /// <see langword="null"/>, no logging; the DI registration uses the container's logger factory instead.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Where attempts wait for Firecrawl's rate limit. Default: <see langword="null"/>, a gate of this client's own, in its
    /// process, which learns the limit's pace from the first 429. Name a shared one (<c>Firecrawl.Client.Redis</c>) to
    /// make several processes with one team's key pace as one; the client's own rules still apply to every wait
    /// (<see cref="MaxRetryAfter"/>, the time a call has left, the padding of rounded hints).
    /// </summary>
    public FirecrawlRateLimitGate? RateLimitGate { get; set; }

    /// <summary>
    /// Told of every wait as it begins (the rate-limit gate, a retry's wait, a settle wait between status reads), with
    /// what it waits for and how long: a typed seam for a live line at a terminal or a progress display, so nothing has to
    /// read the logs. Default: <see langword="null"/>. <see cref="IProgress{T}.Report"/> is called on the waiting call's
    /// thread, before the wait, and should return at once; an exception it throws is ignored and never fails a call.
    /// </summary>
    public IProgress<FirecrawlWait>? WaitObserver { get; set; }

    /// <summary>
    /// The random source of the back-off's jitter, a number in [0, 1). Internal: tests fix it to assert exact waits,
    /// as Polly's own tests fix its randomizer.
    /// </summary>
    internal Func<double> Jitter { get; set; } = Random.Shared.NextDouble;

    /// <summary>
    /// Where the default transport reads the machine's proxy from. Internal: tests pass a proxy of their own, because
    /// <see cref="HttpClient.DefaultProxy"/> is read from the environment once per process.
    /// </summary>
    internal Func<System.Net.IWebProxy?> SystemProxy { get; set; } = static () => HttpClient.DefaultProxy;

    /// <summary>Describes the options for logs and debuggers. The API key is never shown, only whether one is set.</summary>
    /// <returns>A one-line description without secrets.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("FirecrawlClientOptions { ");
        text.Append(CultureInfo.InvariantCulture, $"BaseAddress = {ClientConfiguration.Describe(BaseAddress)}, ");
        text.Append(CultureInfo.InvariantCulture, $"ApiKey = {(ApiKey is null ? "(not set)" : "(set)")}, ");
        text.Append(CultureInfo.InvariantCulture, $"AllowApiKeyOverPlainHttp = {AllowApiKeyOverPlainHttp}, ApiVersion = {ApiVersion}, MaxRetries = {MaxRetries}, ");
        text.Append(CultureInfo.InvariantCulture, $"RetryBaseDelay = {RetryBaseDelay}, RetryMaxDelay = {RetryMaxDelay}, ");
        text.Append(CultureInfo.InvariantCulture, $"MaxRetryAfter = {MaxRetryAfter}, AttemptTimeout = {AttemptTimeout}, ");
        text.Append(CultureInfo.InvariantCulture, $"TotalTimeout = {TotalTimeout}, SettleInterval = {SettleInterval}, SettleTimeout = {SettleTimeout}, ");
        text.Append(CultureInfo.InvariantCulture, $"DefaultHeaders = [{string.Join(", ", DefaultHeaders.Keys)}], ");
        text.Append(CultureInfo.InvariantCulture, $"RateLimitGate = {(RateLimitGate is null ? "(in-process)" : RateLimitGate.GetType().Name)}, ");
        text.Append(CultureInfo.InvariantCulture, $"TimeProvider = {(ReferenceEquals(TimeProvider, TimeProvider.System) ? "System" : TimeProvider?.GetType().Name ?? "(null)")}, ");
        text.Append(CultureInfo.InvariantCulture, $"LoggerFactory = {(LoggerFactory is null ? "(not set)" : LoggerFactory.GetType().Name)}, ");
        text.Append(CultureInfo.InvariantCulture, $"WaitObserver = {(WaitObserver is null ? "(not set)" : WaitObserver.GetType().Name)} }}");
        return text.ToString();
    }
}
