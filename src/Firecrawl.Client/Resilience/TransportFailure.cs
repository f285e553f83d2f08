using System.Net.Sockets;
using System.Security.Authentication;

namespace Firecrawl.Client;

/// <summary>
/// Tells a failure that is a fact about the server or the configuration (an untrusted certificate, a handshake the
/// server refuses, a host name that does not exist, a reply that is not HTTP, an unsupported scheme) from one about the
/// moment (a refused or reset connection, a timeout, a dropped body). A retry cannot change the first kind, so it is
/// not retried, and the message says what to fix instead.
/// </summary>
internal static class TransportFailure
{
    /// <summary>What to fix, for a failure no retry can change; <see langword="null"/> when a retry might succeed.</summary>
    public static string? Permanent(Exception exception, Uri baseAddress, SecretRedactor redactor)
    {
        string server = ClientConfiguration.Describe(baseAddress);
        if (Find<AuthenticationException>(exception) is { } tls)
        {
            return $"the TLS handshake with {server} failed ({redactor.Redact(tls.Message)}). The server's certificate is not trusted "
                + "by this machine (self-signed, expired, or issued for another name), or the server does not speak TLS on that port. "
                + "A retry cannot change that, so none was made: fix the certificate or trust its issuer, or point BaseAddress at the scheme and port the server serves.";
        }

        if (exception is NotSupportedException unsupported)
        {
            return $"the transport cannot send this request ({redactor.Redact(unsupported.Message)}). A retry cannot change that, so none was made: "
                + "BaseAddress and any handler you added must use http or https.";
        }

        if (exception is not HttpRequestException http)
        {
            return null;
        }

        return http.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError when Find<SocketException>(exception) is { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } =>
                $"the host name '{baseAddress.Host}' does not exist (no such host in DNS). A retry cannot change that, so none was made: "
                + "check BaseAddress or FIRECRAWL_API_URL.",
            HttpRequestError.InvalidResponse =>
                $"{server} answered with something that is not an HTTP response ({redactor.Redact(http.Message)}). A retry cannot change that, so none was made: "
                + "check that BaseAddress names the Firecrawl server, with the scheme it serves (http or https).",
            HttpRequestError.ConfigurationLimitExceeded =>
                $"the answer from {server} is over a limit of the HTTP client, such as the size of its headers ({redactor.Redact(http.Message)}). "
                + "A retry cannot change that, so none was made: check what sits at BaseAddress.",
            HttpRequestError.UserAuthenticationError =>
                $"a proxy or the server asked for credentials the client does not send ({redactor.Redact(http.Message)}). A retry cannot change that, "
                + "so none was made: give the proxy's credentials in HTTPS_PROXY or HTTP_PROXY, or reach the server without it.",
            _ => null,
        };
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
