namespace Firecrawl.Client;

/// <summary>
/// Adds <c>Authorization: Bearer &lt;key&gt;</c> when a key is configured, and nothing at all when it is not: a
/// self-hosted server accepts a missing header but rejects a bare <c>Bearer</c>.
/// </summary>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    // Built once: adding a prebuilt string skips parsing and an AuthenticationHeaderValue on every request. The key
    // was checked for header-safe characters when the options were validated.
    private readonly string? _headerValue;

    public BearerTokenHandler(string? apiKey) => _headerValue = apiKey is null ? null : "Bearer " + apiKey;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_headerValue is not null)
        {
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", _headerValue);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
