using System.Net.Http.Headers;

namespace Firecrawl.Client;

/// <summary>
/// Adds <c>Authorization: Bearer &lt;key&gt;</c> when a key is configured, and nothing at all when it is not: a
/// self-hosted server accepts a missing header but rejects a bare <c>Bearer</c>.
/// </summary>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly string? _apiKey;

    public BearerTokenHandler(string? apiKey) => _apiKey = apiKey;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
