using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Refit;

namespace Firecrawl.Client;

/// <summary>
/// The client's behaviour, shared by <see cref="FirecrawlClient"/> and the DI registration. It owns nothing that
/// needs disposing, so the container can hand it out as a transient without tracking it.
/// </summary>
internal sealed class FirecrawlApiClient : IFirecrawlClient
{
    private readonly IFirecrawlApi _api;
    private readonly FirecrawlClientSettings _settings;

    public FirecrawlApiClient(HttpClient httpClient, FirecrawlClientSettings settings)
    {
        _api = RestService.ForGenerated<IFirecrawlApi>(httpClient, settings.RefitSettings);
        _settings = settings;
    }

    public async Task<CancelBatchScrapeResult> CancelBatchScrapeAsync(string id, CancellationToken cancellationToken = default)
    {
        (CancelOutcome outcome, string? message) = await CancelAsync(JobKind.BatchScrape, id, cancellationToken).ConfigureAwait(false);
        return new CancelBatchScrapeResult { JobId = id, Outcome = outcome, Message = message };
    }

    public async Task<CancelCrawlResult> CancelCrawlAsync(string id, CancellationToken cancellationToken = default)
    {
        (CancelOutcome outcome, string? message) = await CancelAsync(JobKind.Crawl, id, cancellationToken).ConfigureAwait(false);
        return new CancelCrawlResult { JobId = id, Outcome = outcome, Message = message };
    }

    // A ValueTask: in the common case it completes with the public method's own Task, so it costs no second Task.
    private async ValueTask<(CancelOutcome, string?)> CancelAsync(JobKind kind, string id, CancellationToken cancellationToken)
    {
        JobIdValidator.ThrowIfInvalid(id);
        long started = Stopwatch.GetTimestamp();
        using Activity? activity = FirecrawlTelemetry.StartCancel(kind, id, _settings);
        ILogger logger = _settings.Logger;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            string path = $"{_settings.VersionPath}/{(kind == JobKind.BatchScrape ? "batch/scrape" : "crawl")}/{id}";
            string kindName = KindName(kind);
            FirecrawlLog.CancelStarting(logger, "DELETE", path, kindName, id);
        }

        HttpResponseMessage response;
        try
        {
            Task<HttpResponseMessage> call = kind == JobKind.BatchScrape
                ? _api.CancelBatchScrapeAsync(id, cancellationToken)
                : _api.CancelCrawlAsync(id, cancellationToken);
            response = await call.ConfigureAwait(false);
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            FirecrawlException mapped = CancelResponseMapper.MapException(exception, kind, id, _settings);
            Fail(activity, started, mapped, FirecrawlResilienceHandler.RetriesOf(exception), kind, id);
            throw mapped;
        }
        catch (OperationCanceledException cancelled)
        {
            FirecrawlTelemetry.Failed(activity, started, cancelled, FirecrawlResilienceHandler.RetriesOf(cancelled), _settings);
            throw;
        }

        using (response)
        {
            int retries = FirecrawlResilienceHandler.RetriesOf(response.RequestMessage);
            (CancelOutcome Outcome, string? Message) result;
            try
            {
                result = CancelResponseMapper.Map(response, kind, id, _settings);
            }
            catch (FirecrawlException failure)
            {
                Fail(activity, started, failure, retries, kind, id);
                throw;
            }

            FirecrawlTelemetry.Succeeded(activity, started, result.Outcome, (int)response.StatusCode, retries, _settings);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                string outcome = result.Outcome.ToString();
                double elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                string kindName = KindName(kind);
                FirecrawlLog.CancelSucceeded(logger, kindName, id, outcome, retries + 1, elapsedMs);
            }

            return result;
        }
    }

    private void Fail(Activity? activity, long started, FirecrawlException failure, int retries, JobKind kind, string id)
    {
        FirecrawlTelemetry.Failed(activity, started, failure, retries, _settings);
        var api = failure as FirecrawlApiException;
        FirecrawlLog.CancelFailed(
            _settings.Logger, failure, KindName(kind), id, retries + 1, failure.GetType().Name,
            api is null ? null : (int)api.StatusCode, api?.Error.Message ?? failure.Message, api?.Error.ExceptionId);
    }

    private static string KindName(JobKind kind) => kind == JobKind.BatchScrape ? "batch scrape" : "crawl";
}
