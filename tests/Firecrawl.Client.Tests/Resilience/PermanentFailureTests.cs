using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// Failures that are a fact about the server or the configuration are not retried and say what to fix; failures about
/// the moment (refused and reset connections, timeouts, 408, 429, 5xx) still are. On the plain and DI paths.
/// </summary>
public sealed class PermanentFailureTests
{
    public static TheoryData<string, string> Cases()
    {
        var rows = new TheoryData<string, string>();
        foreach (string path in new[] { "plain", "di" })
        {
            foreach (string failure in Failures.Keys)
            {
                rows.Add(failure, path);
            }
        }

        return rows;
    }

    /// <summary>Each failure, how many attempts it gets (1: not retried; 4: the default 3 retries), and what the message must say.</summary>
    private static readonly Dictionary<string, (Func<Exception> Make, int Attempts, string[] Says)> Failures = new()
    {
        ["untrusted certificate"] = (() => new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.",
            new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot")), 1, ["certificate is not trusted"]),
        ["handshake refused"] = (() => new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.",
            new AuthenticationException("Authentication failed because the remote party sent a TLS alert: 'HandshakeFailure'.")), 1, ["does not speak TLS on that port"]),
        ["no such host"] = (() => new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (firecrawl.test:443)",
            new SocketException((int)SocketError.HostNotFound)), 1, ["check BaseAddress or FIRECRAWL_API_URL"]),
        ["not an HTTP reply"] = (() => new HttpRequestException(HttpRequestError.InvalidResponse, "Received an invalid status line: 'SSH-2.0-OpenSSH_9.2'."), 1, ["not an HTTP response", "check that BaseAddress names the Firecrawl server, with the scheme it serves (http or https)"]),
        ["headers over the limit"] = (() => new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, "The HTTP response headers length exceeded the set limit."), 1, ["over a limit of the HTTP client", "check what sits at BaseAddress"]),
        ["proxy wants credentials"] = (() => new HttpRequestException(HttpRequestError.UserAuthenticationError, "Proxy authentication required."), 1, ["asked for credentials", "give the proxy's credentials in HTTPS_PROXY or HTTP_PROXY"]),
        ["unsupported scheme"] = (() => new NotSupportedException("The 'ftp' scheme is not supported."), 1, ["must use http or https"]),
        ["DNS try again"] = (() => new HttpRequestException(HttpRequestError.NameResolutionError, "Temporary failure in name resolution",
            new SocketException((int)SocketError.TryAgain)), 4, ["after 4 attempts"]),
        ["connection refused"] = (() => new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (firecrawl.test:443)",
            new SocketException((int)SocketError.ConnectionRefused)), 4, ["after 4 attempts"]),
        ["connection reset"] = (() => new HttpRequestException(HttpRequestError.Unknown, "An error occurred while sending the request.",
            new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset))), 4, ["after 4 attempts"]),
        ["body cut short"] = (() => new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."), 4, ["after 4 attempts"]),
        ["a TLS read reset mid-stream"] = (() => new IOException("Unable to read data from the transport connection."), 4, ["after 4 attempts"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CancelBatchScrapeAsync_TransportFailure_RetriedOnlyWhenARetryCouldChangeIt(string failure, string path)
    {
        (Func<Exception> make, int attempts, string[] says) = Failures[failure];
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Throw(make());
        void Configure(FirecrawlClientOptions o)
        {
            o.ApiKey = Stub.SecretKey;
            o.BaseAddress = new Uri(Stub.Base);
            o.RetryBaseDelay = TimeSpan.Zero;
        }

        using var plain = new FirecrawlClient(Stub.Options(Configure), mock);
        var services = new ServiceCollection();
        services.AddFirecrawlClient(Configure).ConfigurePrimaryHttpMessageHandler(() => mock);
        await using ServiceProvider provider = services.BuildServiceProvider();
        FirecrawlClient client = path == "plain" ? plain : provider.GetRequiredService<FirecrawlClient>();

        var error = await Assert.ThrowsAsync<FirecrawlException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(attempts, mock.GetMatchCount(route));
        foreach (string part in says)
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }

        if (attempts == 1)
        {
            Assert.Contains("A retry cannot change that, so none was made", error.Message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<HttpStatusCode, int> Statuses => new()
    {
        { HttpStatusCode.TemporaryRedirect, 1 },
        { HttpStatusCode.PermanentRedirect, 1 },
        { HttpStatusCode.MovedPermanently, 1 },
        { HttpStatusCode.BadRequest, 1 },
        { HttpStatusCode.RequestTimeout, 4 },
        { HttpStatusCode.TooManyRequests, 4 },
        { HttpStatusCode.InternalServerError, 4 },
        { HttpStatusCode.BadGateway, 4 },
        { HttpStatusCode.ServiceUnavailable, 4 },
        { HttpStatusCode.GatewayTimeout, 4 },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task CancelBatchScrapeAsync_Status_RetriedOnlyWhenTheMomentCanChange(HttpStatusCode status, int attempts)
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ =>
        {
            HttpResponseMessage response = Stub.Json(status, "{}");
            if ((int)status is >= 300 and < 400)
            {
                response.Headers.Location = new Uri("https://elsewhere.example/v1/batch/scrape/" + Stub.JobId);
            }

            return response;
        });
        using var client = Stub.Client(mock);

        await Assert.ThrowsAnyAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(attempts, mock.GetMatchCount(route));
    }
}
