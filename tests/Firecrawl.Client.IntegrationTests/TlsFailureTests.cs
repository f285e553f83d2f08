using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>
/// Over real sockets: a server whose certificate this machine does not trust, and one that does not speak TLS where
/// https was asked for, are facts no retry changes. The client makes one handshake, not four, and says what to fix.
/// </summary>
public sealed class TlsFailureTests
{
    public static TheoryData<string> Paths => Clients.Paths;

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task CancelBatchScrapeAsync_ServerCertificateNotTrusted_OneHandshakeAndAMessageThatSaysWhatToFix(string path)
    {
        using X509Certificate2 certificate = SelfSigned();
        await using var server = new LoopbackTcpServer(async (stream, stop) =>
        {
            using var tls = new SslStream(stream);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stop);
        });

        FirecrawlException error = await CancelAsync(path, new Uri($"https://127.0.0.1:{server.Port}"));

        Assert.Equal(1, server.Connections);
        Assert.Contains("TLS handshake", error.Message, StringComparison.Ordinal);
        Assert.Contains("A retry cannot change that, so none was made", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task CancelBatchScrapeAsync_ServerAnswersTheHandshakeInPlainText_OneConnectionAndNoRetry(string path)
    {
        await using var server = new LoopbackTcpServer(async (stream, stop) =>
        {
            byte[] buffer = new byte[1024];
            _ = await stream.ReadAsync(buffer, stop);
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), stop);
        });

        FirecrawlException error = await CancelAsync(path, new Uri($"https://127.0.0.1:{server.Port}"));

        Assert.Equal(1, server.Connections);
        Assert.Contains("A retry cannot change that, so none was made", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task CancelBatchScrapeAsync_ServerRefusesTheConnection_IsRetried(string path)
    {
        // A port that was just free: nothing listens, so each attempt is refused, which can change from one moment to the next.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        FirecrawlException error = await CancelAsync(path, new Uri($"http://127.0.0.1:{port}"));

        Assert.Contains("after 4 attempts", error.Message, StringComparison.Ordinal);
    }

    private static async Task<FirecrawlException> CancelAsync(string path, Uri address)
    {
        void Configure(FirecrawlClientOptions o)
        {
            o.ApiKey = "fc-" + Guid.NewGuid().ToString("N");
            o.BaseAddress = address;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.AttemptTimeout = TimeSpan.FromSeconds(20);
        }

        if (path == Clients.Plain)
        {
            var options = new FirecrawlClientOptions();
            Configure(options);
            using var client = new FirecrawlClient(options);
            return await Assert.ThrowsAsync<FirecrawlException>(() => client.CancelBatchScrapeAsync(Guid.NewGuid().ToString()));
        }

        var services = new ServiceCollection();
        services.AddFirecrawlClient(Configure);
        await using ServiceProvider provider = services.BuildServiceProvider();
        return await Assert.ThrowsAsync<FirecrawlException>(() => provider.GetRequiredService<FirecrawlClient>().CancelBatchScrapeAsync(Guid.NewGuid().ToString()));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // A server certificate needs its key in a form the platform's TLS can use; a PKCS#12 round trip gives that.
        byte[] pfx = created.Export(X509ContentType.Pkcs12);
#if NET9_0_OR_GREATER
        return X509CertificateLoader.LoadPkcs12(pfx, password: null);
#else
        return new X509Certificate2(pfx);
#endif
    }
}
