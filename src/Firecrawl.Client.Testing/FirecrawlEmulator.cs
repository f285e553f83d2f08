using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Firecrawl.Client.Testing;

/// <summary>
/// A Firecrawl server in your test process: real Kestrel on <c>127.0.0.1</c>, a free port, and the bodies the real
/// server sends (not the docs page's). It creates, reports and cancels jobs, checks keys and rate limits like the
/// cloud service, records every request, and misbehaves on cue through <see cref="Faults"/>.
/// </summary>
public sealed class FirecrawlEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FirecrawlEmulatorOptions _options;
    private readonly EmulatorResponder _responder;
    private readonly RequestLog _log;
    private readonly ControlApi? _control;
    private int _abortedRequests;

    private FirecrawlEmulator(WebApplication app, FirecrawlEmulatorOptions options)
    {
        _app = app;
        _options = options;
        Faults = new EmulatorFaults(options.TimeProvider);
        _responder = new EmulatorResponder(options);
        _log = new RequestLog(options.TimeProvider);
        _control = options.EnableControlApi ? new ControlApi(options, _responder, Faults, _log) : null;
        app.Run(HandleAsync);
    }

    /// <summary>The emulator's address, such as <c>http://127.0.0.1:41234/</c>. Use it as the client's base address.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The fault script: what the next requests get instead of a correct answer.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>Every request received so far, oldest first (control API requests are not recorded).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Requests();

    /// <summary>How many requests the client abandoned (closed or reset the connection) while the emulator was answering.</summary>
    public int AbortedRequestCount => Volatile.Read(ref _abortedRequests);

    /// <summary>How many answers so far had <paramref name="statusCode"/>; dropped connections count as none.</summary>
    /// <param name="statusCode">The HTTP status, such as 429.</param>
    /// <returns>The count.</returns>
    public int CountResponses(int statusCode) => _log.CountOf(statusCode);

    /// <summary>Starts an emulator on <see cref="FirecrawlEmulatorOptions.Host"/> and <see cref="FirecrawlEmulatorOptions.Port"/> (by default a free loopback port).</summary>
    /// <param name="options">How it behaves; the defaults are a keyless self-hosted server.</param>
    /// <param name="cancellationToken">Stops waiting for the server to start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">The options cannot work: a key that could never be valid on the real server, a port or host that is not one.</exception>
    /// <exception cref="IOException">The port is taken, or the address is not this machine's.</exception>
    public static async Task<FirecrawlEmulator> StartAsync(FirecrawlEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FirecrawlEmulatorOptions();
        IPAddress address = options.Validate();

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());

        // The emulator lives inside someone else's process: it must not take over SIGTERM or Ctrl+C, which the host's
        // lifetime would otherwise swallow, leaving that process running.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, GuestLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.KeepAliveTimeout = options.KeepAliveTimeout;

            // The server's parsers set the limits (10 MiB of JSON), and answer them as the server does; Kestrel's own
            // 30 MB limit would answer first, with a bare 413 no Express server sends.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(address, options.Port);
        });

        var emulator = new FirecrawlEmulator(builder.Build(), options);
        try
        {
            await emulator._app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception bindFailure) when (bindFailure is IOException or System.Net.Sockets.SocketException)
        {
            await emulator._app.DisposeAsync().ConfigureAwait(false);
            string where = new IPEndPoint(address, options.Port).ToString();
            System.Net.Sockets.SocketError? code = (bindFailure as System.Net.Sockets.SocketException ?? bindFailure.InnerException as System.Net.Sockets.SocketException)?.SocketErrorCode;
            throw new IOException(
                code == System.Net.Sockets.SocketError.AddressNotAvailable
                    ? $"The emulator cannot listen on {where}: that address is not one of this machine's."
                    : code == System.Net.Sockets.SocketError.AccessDenied
                        ? $"The emulator cannot listen on {where}: this user may not open that port (ports below 1024 need privileges). Choose another port, or 0 for a free one."
                        : $"The emulator cannot listen on {where}: the port is in use, most likely by another server. Choose another port, or 0 for a free one.",
                bindFailure);
        }

        string listening = emulator._app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        emulator.BaseAddress = new Uri(listening.EndsWith('/') ? listening : listening + "/");
        emulator._responder.BaseAddress = emulator.BaseAddress;
        return emulator;
    }

    /// <summary>
    /// A new random key of the real form (<c>fc-</c> and 32 hex digits), for <see cref="FirecrawlEmulatorOptions.ApiKeys"/>.
    /// Made at run time, so no key-shaped string sits in your repository.
    /// </summary>
    /// <returns>The key.</returns>
    public static string NewApiKey() => "fc-" + Guid.NewGuid().ToString("N");

    /// <summary>Creates a running batch scrape job without a request, as if its owner had started it.</summary>
    /// <param name="apiKey">The owner's key; by default the first configured key (or the keyless team).</param>
    /// <returns>The job id, a UUIDv7 like the server's newer ids.</returns>
    public string CreateBatchScrapeJob(string? apiKey = null) => CreateJob(FirecrawlJobKind.BatchScrape, apiKey);

    /// <summary>Creates a running crawl job without a request.</summary>
    /// <param name="apiKey">The owner's key; by default the first configured key (or the keyless team).</param>
    /// <returns>The job id.</returns>
    public string CreateCrawlJob(string? apiKey = null) => CreateJob(FirecrawlJobKind.Crawl, apiKey);

    /// <summary>Creates a running agent job without a request (on a profile that has agent jobs).</summary>
    /// <param name="apiKey">The owner's key; by default the first configured key (or the keyless team).</param>
    /// <returns>The job id.</returns>
    /// <exception cref="InvalidOperationException">The profile is a build without agent jobs.</exception>
    public string CreateAgentJob(string? apiKey = null) => CreateJob(FirecrawlJobKind.Agent, apiKey);

    /// <summary>Creates a running job of any kind without a request.</summary>
    /// <param name="kind">The kind of job.</param>
    /// <param name="apiKey">The owner's key; by default the first configured key (or the keyless team).</param>
    /// <returns>The job id.</returns>
    /// <exception cref="InvalidOperationException">The profile is a build without that kind of job.</exception>
    public string CreateJob(FirecrawlJobKind kind, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (!EmulatorRoutes.Kinds(_responder.Profile).Contains(kind))
        {
            throw new InvalidOperationException($"The {_options.Profile} profile is a server build without {kind.Noun}s; use a newer profile.");
        }

        return _responder.Endpoints.CreateJob(TeamOf(apiKey), kind).Id;
    }

    /// <summary>
    /// Sets how far a job has got: <paramref name="completed"/> pages done (for an agent job, credits used) and
    /// <paramref name="inFlight"/> being done, which a cancel does not stop. After a cancel the work in flight finishes
    /// piece by piece over <paramref name="drainTime"/>, so the job's <c>completed</c> and <c>creditsUsed</c> rise and
    /// then settle, as on the server.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="completed">Work done, 0 to 100,000.</param>
    /// <param name="inFlight">Work in flight, 0 to 100,000.</param>
    /// <param name="drainTime">How long the work in flight takes to finish after a cancel.</param>
    /// <exception cref="KeyNotFoundException">No such job.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative or too large count, or a negative time.</exception>
    public void SetProgress(string jobId, int completed, int inFlight, TimeSpan drainTime)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(completed);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(completed, 100_000);
        ArgumentOutOfRangeException.ThrowIfNegative(inFlight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inFlight, 100_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(drainTime, TimeSpan.Zero);
        EmulatedJob job = Find(jobId);
        lock (job)
        {
            job.Completed = completed;
            job.InFlight = inFlight;
            job.DrainTime = drainTime;
            job.Total = Math.Max(job.Total, completed + inFlight);
        }
    }

    /// <summary>Marks a job completed, so a cancel finds nothing left to stop.</summary>
    /// <param name="jobId">The job id.</param>
    /// <exception cref="KeyNotFoundException">No such job.</exception>
    public void CompleteJob(string jobId) => SetJobStatus(jobId, EmulatedJobStatus.Completed);

    /// <summary>
    /// Puts a job in a state: <see cref="EmulatedJobStatus.Failed"/> (every page failed),
    /// <see cref="EmulatedJobStatus.Expired"/> (the server has forgotten it), or any other.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="status">The state it is in from now on.</param>
    /// <exception cref="KeyNotFoundException">No such job.</exception>
    public void SetJobStatus(string jobId, EmulatedJobStatus status)
    {
        EmulatedJob job = Find(jobId);
        lock (job)
        {
            job.Status = status;
        }
    }

    /// <summary>The state of a job, or <see langword="null"/> when the emulator has no such job.</summary>
    /// <param name="jobId">The job id.</param>
    /// <returns>The state, if the job exists.</returns>
    public EmulatedJobStatus? GetJobStatus(string jobId) => _responder.Jobs.TryGet(jobId, out EmulatedJob job) ? job.Status : null;

    /// <summary>Forgets the recorded requests, to assert on a fresh slate.</summary>
    public void ClearRequests() => _log.ClearRequests();

    /// <summary>
    /// Creates a <see cref="FirecrawlClient"/> pointed at this emulator, with its first key (if any). The client is
    /// yours to dispose.
    /// </summary>
    /// <param name="configure">Changes the options before the client is built.</param>
    /// <returns>A client for this emulator.</returns>
    public FirecrawlClient CreateClient(Action<FirecrawlClientOptions>? configure = null)
    {
        var options = new FirecrawlClientOptions { BaseAddress = BaseAddress, ApiKey = _options.ApiKeys.FirstOrDefault() };
        configure?.Invoke(options);
        return new FirecrawlClient(options);
    }

    /// <summary>
    /// Stops the server at once: requests still in flight (a fault that delays its answer, say) are aborted rather
    /// than waited for.
    /// </summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using var now = new CancellationTokenSource();
        await now.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync(now.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private EmulatedJob Find(string jobId) =>
        _responder.Jobs.TryGet(jobId, out EmulatedJob job) ? job : throw new KeyNotFoundException("The emulator has no job with that id.");

    private string TeamOf(string? apiKey) => apiKey ?? _options.ApiKeys.FirstOrDefault() ?? JobIds.KeylessTeam;

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (_control is not null && ControlApi.Owns(request.Path.Value ?? "/"))
        {
            await _control.AnswerAsync(context).ConfigureAwait(false);
            return;
        }

        // Watch for the client leaving before the request is recorded: a test that waits for the record and then
        // cancels must find the abandonment counted, however the threads interleave.
        CancellationToken aborted = context.RequestAborted;
        using CancellationTokenRegistration registration = aborted.Register(() => Interlocked.Increment(ref _abortedRequests));
        RecordedRequest? recorded = _options.RecordRequests ? _log.Record(context) : null;

        try
        {
            EmulatorRoute route = _responder.Routes.Match(request.Method, request.Path.Value ?? "/");
            EmulatorFault? fault = Faults.Next(route);
            if (fault is not null && await FaultWriter.TryWriteAsync(context, fault, _options.TimeProvider).ConfigureAwait(false))
            {
                await context.Response.StartAsync(aborted).ConfigureAwait(false);
                return;
            }

            await _responder.AnswerAsync(context, route, RequestLog.RawTarget(context), fault).ConfigureAwait(false);
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            // The client went away mid-answer; that is what some tests are about.
        }
        finally
        {
            if (context.Response.HasStarted && !aborted.IsCancellationRequested)
            {
                _log.CountAnswer(context.Response.StatusCode);
                recorded?.Answered(context.Response.StatusCode);
            }
        }
    }
}
