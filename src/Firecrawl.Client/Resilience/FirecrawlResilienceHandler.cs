using System.Net;
using System.Runtime.ExceptionServices;
using Polly;

namespace Firecrawl.Client;

/// <summary>
/// Sends each request with the client's retry policy. Each attempt waits at the shared rate-limit gate, runs under
/// its deadline, and reads the body (bounded) before it ends, so a stall or a cut connection mid-body is retried like
/// any other transport failure.
/// </summary>
/// <remarks>
/// The first attempt runs outside the Polly pipeline: most calls succeed at once, and the retry machinery is work
/// only a failure needs. When the first attempt fails transiently, the pipeline takes over and its first execution
/// replays that outcome, so Polly sees, classifies, logs and backs off from it exactly as if it had made the attempt.
/// </remarks>
internal sealed class FirecrawlResilienceHandler : DelegatingHandler
{
    /// <summary>Set on the request only when retries happened, so the success path allocates nothing for it.</summary>
    internal static readonly HttpRequestOptionsKey<int> RetriesOption = new("Firecrawl.Retries");

    /// <summary>The same count, on an exception that outlasted the retries.</summary>
    internal const string RetriesDataKey = "Firecrawl.Retries";

    private readonly FirecrawlClientSettings _settings;

    /// <summary>How many retries the handler made for a response's request; zero when none.</summary>
    internal static int RetriesOf(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(RetriesOption, out int retries) ? retries : 0;

    /// <summary>How many retries the handler made before an exception outlasted them; zero when none.</summary>
    internal static int RetriesOf(Exception error) => error.Data[RetriesDataKey] is int retries ? retries : 0;

    public FirecrawlResilienceHandler(FirecrawlClientSettings settings) => _settings = settings;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long started = _settings.TimeProvider.GetTimestamp();
        HttpResponseMessage? response = null;
        Exception? failure = null;
        try
        {
            response = await SendAttemptAsync(request, started, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            failure = exception;
        }

        if (_settings.MaxRetries == 0 || !MayRetry(response, failure))
        {
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            return response!;
        }

        return await RetryAsync(request, started, new FirstAttempt(response, failure), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A cheap pre-check; the pipeline's own predicate makes the real decision (hints, budget).</summary>
    private static bool MayRetry(HttpResponseMessage? response, Exception? failure) =>
        failure is not null || FirecrawlResiliencePipeline.IsTransient(response!.StatusCode);

    private async Task<HttpResponseMessage> RetryAsync(HttpRequestMessage request, long started, FirstAttempt first, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(FirecrawlResiliencePipeline.StartTimestamp, started);
        context.Properties.Set(FirecrawlResiliencePipeline.Request, request);
        try
        {
            return await _settings.Pipeline.ExecuteAsync(
                static (ctx, state) => state.First.TryReplay(out ValueTask<HttpResponseMessage> replayed)
                    ? replayed
                    : state.Handler.SendAttemptAsync(state.Request, state.Started, ctx.CancellationToken),
                context,
                (Handler: this, Request: request, Started: started, First: first)).ConfigureAwait(false);
        }
        catch (Exception exception) when (context.Properties.TryGetValue(FirecrawlResiliencePipeline.Retries, out int retries))
        {
            exception.Data[RetriesDataKey] = retries;
            throw;
        }
        finally
        {
            if (context.Properties.TryGetValue(FirecrawlResiliencePipeline.Retries, out int retries))
            {
                request.Options.Set(RetriesOption, retries);
            }

            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, long started, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _settings.RateLimitGate.WaitAsync(started, _settings, cancellationToken).ConfigureAwait(false);
        AttemptDeadline deadline = AttemptDeadline.Start(started, _settings, cancellationToken);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, deadline.Token).ConfigureAwait(false);
            await BufferedBodyContent.BufferAsync(response, FirecrawlClientSettings.MaxResponseBodyBytes, deadline.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                _settings.RateLimitGate.Observe(response, _settings);
            }

            return response;
        }
        catch (Exception exception)
        {
            response?.Dispose();
            if (deadline.Expired(exception, cancellationToken) is { } timeout)
            {
                throw timeout;
            }

            throw;
        }
        finally
        {
            deadline.Dispose();
        }
    }

    /// <summary>The outcome of the attempt made before the pipeline took over, handed to it exactly once.</summary>
    private sealed class FirstAttempt(HttpResponseMessage? response, Exception? failure)
    {
        private bool _replayed;

        public bool TryReplay(out ValueTask<HttpResponseMessage> outcome)
        {
            if (_replayed)
            {
                outcome = default;
                return false;
            }

            _replayed = true;
            outcome = failure is null ? new ValueTask<HttpResponseMessage>(response!) : ValueTask.FromException<HttpResponseMessage>(failure);
            return true;
        }
    }
}
