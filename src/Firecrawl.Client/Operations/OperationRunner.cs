using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Refit;

namespace Firecrawl.Client;

/// <summary>
/// Runs one call of any operation: check the id, choose the route for the client's API version and the partition for
/// the operation's rate-limit bucket, open the telemetry scope, hand the attempts to the pipeline, and map the last
/// answer. A failure after an attempt that may have reached the server is looked up (the operation's
/// <see cref="FirecrawlOperation{TResult}.LookupAfterFailure"/>) before it is reported. Shared by the plain constructors
/// and the DI registration; it owns nothing that needs disposing.
/// </summary>
internal sealed class OperationRunner : IDisposable
{
    private readonly IFirecrawlApi _api;
    private readonly ClientRuntime _runtime;
    private readonly AttemptPipeline _pipeline;

    // Cancelled when the client is disposed, so calls waiting at the gate or in a back-off end at once. A send in
    // flight ends because disposing the HttpClient cancels it.
    private readonly CancellationTokenSource _disposal = new();

    public OperationRunner(HttpClient httpClient, ClientRuntime runtime)
    {
        _api = RestService.ForGenerated<IFirecrawlApi>(httpClient, HttpDefaults.RefitSettings);
        _runtime = runtime;
        _pipeline = new AttemptPipeline(runtime);
    }

    public ClientRuntime Runtime => _runtime;

    /// <summary>Every attempt of this client's calls, and the rules that decide them.</summary>
    public AttemptPipeline Pipeline => _pipeline;

    /// <summary>Whether the client was disposed: a wait the client runs on its own (settling) ends then too.</summary>
    public CancellationToken Disposal => _disposal.Token;

    public Task<TResult> RunAsync<TResult>(FirecrawlOperation<TResult> operation, string id, CancellationToken cancellationToken) =>
        RunAsync<TResult, TResult>(operation, id, cancellationToken);

    /// <summary>
    /// Runs the call and returns its result as <typeparamref name="TPublic"/>, the type the public method promises (a
    /// kind's own cancel result), without a second async layer.
    /// </summary>
    public async Task<TPublic> RunAsync<TResult, TPublic>(FirecrawlOperation<TResult> operation, string id, CancellationToken cancellationToken)
        where TPublic : TResult
    {
        if (operation.TakesJobId)
        {
            JobIdValidator.ThrowIfInvalid(id);
        }

        ClientRuntime runtime = _runtime;
        ClientConfiguration configuration = runtime.Configuration;
        long started = runtime.Clock.GetTimestamp();
        var call = new CallState(started, operation.Routes.For(configuration.ApiVersion), runtime.PartitionFor(operation.Bucket));
        using Activity? activity = FirecrawlTelemetry.Start(operation, call.Route, id, configuration);
        ILogger logger = runtime.Logger;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            string path = call.Path.Replace("{id}", id, StringComparison.Ordinal);
            string job = FirecrawlLog.JobOf(id);
            FirecrawlLog.OperationStarting(logger, call.Route.Method.Method, path, operation.Name, job);
        }

        AttemptResponse? attempt = null;
        FirecrawlException? failure = null;

        // What ended the call without an answer to map. Kept, not rethrown: the caller gets one throw per failed call,
        // as every throw costs a stack capture and a first-chance notification.
        Exception? ended = null;
        try
        {
            AttemptOutcome outcome = await _pipeline.RunAsync(operation, _api, id, call, cancellationToken, _disposal.Token).ConfigureAwait(false);
            attempt = outcome.Answer;
            ended = outcome.Ended;
        }
        catch (Exception exception)
        {
            // The caller's cancellation, met during an attempt or a back-off; told as such below.
            ended = exception;
        }

        if (ended is not null)
        {
            if (_disposal.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                var disposed = new ObjectDisposedException(
                    $"The FirecrawlClient was disposed while this call was in flight, so the call was abandoned; {operation.Noun} {InputText.Quote(id)} may or may not have been cancelled.",
                    runtime.Redactor.Scrub(ended));
                FirecrawlTelemetry.Failed(operation, activity, started, disposed, call.Retries, runtime);
                throw disposed;
            }

            if (cancellationToken.IsCancellationRequested && ended is not FirecrawlException)
            {
                // The caller's own cancellation, at whatever stage it met the call (the gate, the send, the body, a
                // back-off): the exception carries the caller's token, so `catch (OperationCanceledException e) when
                // (e.CancellationToken == token)` sees it. A linked source's token, or a transport error the cancel
                // caused, would not.
                OperationCanceledException cancelled = CallerCancelled(ended, operation, id, call, runtime, cancellationToken);
                FirecrawlTelemetry.Failed(operation, activity, started, cancelled, call.Retries, runtime);
                throw cancelled;
            }

            failure = ResponseMapper.MapException(operation, ended, id, call, runtime);
        }

        TResult result = default!;
        int status = 0;
        if (attempt is not null)
        {
            using (attempt)
            {
                status = (int)attempt.StatusCode;
                try
                {
                    failure = ResponseMapper.Map(operation, attempt, id, call, runtime, out result);
                }
                catch (FirecrawlException unreadable)
                {
                    failure = unreadable;
                }
            }
        }

        if (failure is not null)
        {
            // A failure after an attempt that may have reached the server says nothing about the job: look before telling.
            TResult? resolved = default;
            if (call.MayHaveReachedServer && operation.LookupAfterFailure is { } lookup && StatusLookup.MayResolve(failure))
            {
                try
                {
                    resolved = await LookAsync(lookup, id, started, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested)
                {
                    // The caller stopped the call while it looked: the caller's cancellation, with the caller's token.
                    OperationCanceledException cancelled = CallerCancelled(exception, operation, id, call, runtime, cancellationToken);
                    FirecrawlTelemetry.Failed(operation, activity, started, cancelled, call.Retries, runtime);
                    throw cancelled;
                }
            }

            if (resolved is null)
            {
                Fail(operation, activity, started, failure, call.Retries, id);
                throw failure;
            }

            result = resolved;
        }

        FirecrawlTelemetry.Succeeded(operation, activity, started, result, status, call.Retries, runtime);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            string outcome = operation.OutcomeName(result);
            double elapsedMs = runtime.Clock.GetElapsedTime(started).TotalMilliseconds;
            string job = FirecrawlLog.JobOf(id);
            FirecrawlLog.OperationSucceeded(logger, operation.Name, job, outcome, call.Retries + 1, elapsedMs);
        }

        return (TPublic)result!;
    }

    /// <summary>
    /// Reads the job's status for a call that failed ambiguously, under a bound of its own: one attempt's limit, at most
    /// <see cref="StatusLookup.DefaultBound"/>, and never past the call's <see cref="FirecrawlClientOptions.TotalTimeout"/>
    /// (a call out of time reports its failure without looking). Its own failure, or a status that does not settle the
    /// question, leaves the original failure to be reported.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private async Task<TResult?> LookAsync<TResult>(StatusLookup<TResult> lookup, string id, long started, CancellationToken cancellationToken)
    {
        TimeSpan attempt = _runtime.Configuration.AttemptTimeout;
        TimeSpan bound = attempt != Timeout.InfiniteTimeSpan && attempt < StatusLookup.DefaultBound ? attempt : StatusLookup.DefaultBound;
        TimeSpan left = _runtime.RemainingBudget(started);
        bound = left < bound ? left : bound;
        if (bound <= TimeSpan.Zero)
        {
            return default;
        }

        // On the client's clock, as every other limit is, so a test's fake time bounds it too.
        using var timer = new CancellationTokenSource(bound, _runtime.Clock);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            FirecrawlJobStatus status = await RunAsync(lookup.Status, id, limit.Token).ConfigureAwait(false);
            return lookup.Decide(status);
        }
        catch (Exception exception) when (exception is FirecrawlException or ArgumentException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return default;
        }
    }

    /// <summary>
    /// Ends the calls in flight: waits at once, sends as the HttpClient is disposed after this. The source is cancelled,
    /// not disposed: calls still in flight may read its token, and a source without a timer holds nothing to release.
    /// </summary>
    public void Dispose() => _disposal.Cancel();

    /// <summary>The caller's cancellation as an exception that carries the caller's token; the original is kept inside.</summary>
    private static OperationCanceledException CallerCancelled(
        Exception exception, FirecrawlOperation operation, string id, CallState call, ClientRuntime runtime, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException own && own.CancellationToken == cancellationToken)
        {
            return own;
        }

        return new OperationCanceledException(
            operation.DescribeFailure(id, call) + "the caller's CancellationToken was cancelled.",
            runtime.Redactor.Scrub(exception),
            cancellationToken);
    }

    private void Fail<TResult>(FirecrawlOperation<TResult> operation, Activity? activity, long started, FirecrawlException failure, int retries, string id)
    {
        FirecrawlTelemetry.Failed(operation, activity, started, failure, retries, _runtime);
        var api = failure as FirecrawlApiException;
        string job = FirecrawlLog.JobOf(id);
        FirecrawlLog.OperationFailed(
            _runtime.Logger, failure, operation.Name, job, retries + 1, failure.GetType().Name,
            api is null ? null : (int)api.StatusCode, api?.Error.Message ?? failure.Message, api?.Error.ExceptionId);
    }
}
