using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Refit;

namespace Firecrawl.Client;

/// <summary>
/// Runs one call of any operation: check the id, open the telemetry scope, hand the attempts to the pipeline, and map
/// the last answer. Shared by the plain constructors and the DI registration; it owns nothing that needs disposing.
/// </summary>
internal sealed class OperationRunner : IDisposable
{
    private readonly IFirecrawlApi _api;
    private readonly ClientRuntime _runtime;

    // Cancelled when the client is disposed, so calls waiting at the gate or in a back-off end at once. A send in
    // flight ends because disposing the HttpClient cancels it.
    private readonly CancellationTokenSource _disposal = new();

    public OperationRunner(HttpClient httpClient, ClientRuntime runtime)
    {
        _api = RestService.ForGenerated<IFirecrawlApi>(httpClient, HttpDefaults.RefitSettings);
        _runtime = runtime;
    }

    public ClientRuntime Runtime => _runtime;

    public async Task<TResult> RunAsync<TResult>(FirecrawlOperation<TResult> operation, string id, CancellationToken cancellationToken)
    {
        if (operation.TakesJobId)
        {
            JobIdValidator.ThrowIfInvalid(id);
        }

        ClientRuntime runtime = _runtime;
        ClientConfiguration configuration = runtime.Configuration;
        long started = runtime.Clock.GetTimestamp();
        using Activity? activity = FirecrawlTelemetry.Start(operation, id, configuration);
        ILogger logger = runtime.Logger;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            string path = configuration.VersionPath + operation.Route.Replace("{id}", id, StringComparison.Ordinal);
            string job = FirecrawlLog.JobOf(id);
            FirecrawlLog.OperationStarting(logger, operation.Method.Method, path, operation.Name, job);
        }

        var call = new CallState(started, operation.Route);
        AttemptResponse attempt;
        try
        {
            // The first attempt is awaited here directly: the retry machinery is engaged only for an outcome it retries.
            AttemptPipeline pipeline = runtime.Pipeline;
            AttemptResponse? first = null;
            Exception? failure = null;
            try
            {
                first = await pipeline.Attempt.RunAsync(operation, _api, id, call, cancellationToken, _disposal.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever ended an attempt the caller has cancelled is the caller's cancellation (below), not a failure.
                failure = exception;
            }

            bool retry = pipeline.Rules.WantsRetry(first, failure, call);
            if (call.Refusal is { } refusal)
            {
                first?.Dispose();
                throw refusal;
            }

            if (retry)
            {
                attempt = await RetryAsync(pipeline, operation, id, call, first, failure, cancellationToken).ConfigureAwait(false);
            }
            else if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
                return default!;
            }
            else
            {
                attempt = first!;
            }
        }
        catch (Exception exception) when (_disposal.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var disposed = new ObjectDisposedException(
                $"The FirecrawlClient was disposed while this call was in flight, so the call was abandoned; {operation.Noun} {InputText.Quote(id)} may or may not have been cancelled.",
                runtime.Redactor.Scrub(exception));
            FirecrawlTelemetry.Failed(operation, activity, started, disposed, call.Retries, runtime);
            throw disposed;
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested && exception is not FirecrawlException)
        {
            // The caller's own cancellation, at whatever stage it met the call (the gate, the send, the body, a back-off):
            // the exception carries the caller's token, so `catch (OperationCanceledException e) when
            // (e.CancellationToken == token)` sees it. A linked source's token, or a transport error the cancel caused,
            // would not.
            OperationCanceledException cancelled = CallerCancelled(exception, operation, id, runtime, cancellationToken);
            FirecrawlTelemetry.Failed(operation, activity, started, cancelled, call.Retries, runtime);
            throw cancelled;
        }
        catch (Exception exception)
        {
            FirecrawlException mapped = ResponseMapper.MapException(operation, exception, id, call, runtime);
            Fail(operation, activity, started, mapped, call.Retries, id);
            throw mapped;
        }

        using (attempt)
        {
            TResult result;
            try
            {
                result = ResponseMapper.Map(operation, attempt, id, call.Retries, runtime);
            }
            catch (FirecrawlException failure)
            {
                Fail(operation, activity, started, failure, call.Retries, id);
                throw;
            }

            FirecrawlTelemetry.Succeeded(operation, activity, started, result, (int)attempt.StatusCode, call.Retries, runtime);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                string outcome = operation.OutcomeName(result);
                double elapsedMs = runtime.Clock.GetElapsedTime(started).TotalMilliseconds;
                string job = FirecrawlLog.JobOf(id);
                FirecrawlLog.OperationSucceeded(logger, operation.Name, job, outcome, call.Retries + 1, elapsedMs);
            }

            return result;
        }
    }

    /// <summary>
    /// Hands the call to the retry loop. A method of its own, never inlined, so that compiling <see cref="RunAsync"/>
    /// does not load the retry loop's type, nor Polly with it, in a process whose calls all succeed at once.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private ValueTask<AttemptResponse> RetryAsync(
        AttemptPipeline pipeline, FirecrawlOperation operation, string id, CallState call, AttemptResponse? first, Exception? failure, CancellationToken cancellationToken) =>
        pipeline.Retries.RetryAsync(operation, _api, id, call, first, failure, cancellationToken, _disposal.Token);

    /// <summary>
    /// Ends the calls in flight: waits at once, sends as the HttpClient is disposed after this. The source is cancelled,
    /// not disposed: calls still in flight may read its token, and a source without a timer holds nothing to release.
    /// </summary>
    public void Dispose() => _disposal.Cancel();

    /// <summary>The caller's cancellation as an exception that carries the caller's token; the original is kept inside.</summary>
    private static OperationCanceledException CallerCancelled(
        Exception exception, FirecrawlOperation operation, string id, ClientRuntime runtime, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException own && own.CancellationToken == cancellationToken)
        {
            return own;
        }

        return new OperationCanceledException(
            operation.DescribeFailure(id, runtime.Configuration) + "the caller's CancellationToken was cancelled.",
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
