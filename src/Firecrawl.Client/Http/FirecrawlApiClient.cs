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

    private async Task<(CancelOutcome, string?)> CancelAsync(JobKind kind, string id, CancellationToken cancellationToken)
    {
        JobIdValidator.ThrowIfInvalid(id);
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
            throw CancelResponseMapper.MapException(exception, kind, id, _settings);
        }

        using (response)
        {
            return CancelResponseMapper.Map(response, kind, id, _settings);
        }
    }
}
