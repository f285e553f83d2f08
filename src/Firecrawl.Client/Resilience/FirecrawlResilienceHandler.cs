using Microsoft.Extensions.Logging;
using Polly;

namespace Firecrawl.Client;

/// <summary>
/// Runs every request through the client's resilience pipeline. Each attempt reads the body (bounded) before it
/// ends, so a stall or a cut connection mid-body is retried like any other transport failure.
/// </summary>
internal sealed class FirecrawlResilienceHandler : DelegatingHandler
{
    /// <summary>Set on the request only when retries happened, so the success path allocates nothing for it.</summary>
    internal static readonly HttpRequestOptionsKey<int> RetriesOption = new("Firecrawl.Retries");

    /// <summary>The same count, on an exception that outlasted the retries.</summary>
    internal const string RetriesDataKey = "Firecrawl.Retries";

    private readonly FirecrawlClientSettings _settings;

    public FirecrawlResilienceHandler(FirecrawlClientSettings settings) => _settings = settings;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(FirecrawlResiliencePipeline.StartTimestamp, _settings.TimeProvider.GetTimestamp());
        if (_settings.Logger.IsEnabled(LogLevel.Warning))
        {
            context.Properties.Set(FirecrawlResiliencePipeline.Request, request);
        }

        try
        {
            return await _settings.Pipeline.ExecuteAsync(
                static (ctx, state) => state.Handler.SendAttemptAsync(state.Request, ctx.CancellationToken),
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
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

    private async ValueTask<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await BufferedBodyContent.BufferAsync(response, FirecrawlClientSettings.MaxResponseBodyBytes, cancellationToken).ConfigureAwait(false);
            RateLimitGateStrategy.Observe(response, _settings);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
