using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>Environment variables are process-wide, so these tests never run beside others.</summary>
[CollectionDefinition(nameof(EnvironmentTests), DisableParallelization = true)]
public sealed class EnvironmentTestsDefinition;

[Collection(nameof(EnvironmentTests))]
public sealed class EnvironmentTests : IDisposable
{
    private readonly string? _savedKey = Environment.GetEnvironmentVariable(FirecrawlClientOptions.ApiKeyEnvironmentVariable);
    private readonly string? _savedUrl = Environment.GetEnvironmentVariable(FirecrawlClientOptions.BaseAddressEnvironmentVariable);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(FirecrawlClientOptions.ApiKeyEnvironmentVariable, _savedKey);
        Environment.SetEnvironmentVariable(FirecrawlClientOptions.BaseAddressEnvironmentVariable, _savedUrl);
    }

    [Fact]
    public void ParameterlessConstructor_ReadsUrlFromEnvironment()
    {
        Set(key: "fc-from-env", url: "http://localhost:3002/");

        using var client = new FirecrawlClient(new FirecrawlClientOptions());

        Assert.Equal(new Uri("http://localhost:3002/"), client.BaseAddress);
    }

    [Fact]
    public void ParameterlessConstructor_NothingSet_UsesCloudService()
    {
        Set(key: null, url: null);

        using var client = new FirecrawlClient(new FirecrawlClientOptions());

        Assert.Equal(FirecrawlClientOptions.DefaultBaseAddress, client.BaseAddress);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_KeyAndUrlOnlyInEnvironment_UsesBoth()
    {
        Set(key: "fc-from-env", url: "http://selfhosted.test:3002");
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, "http://selfhosted.test:3002/v1/batch/scrape/" + Stub.JobId)
            .WithHeaders("Authorization", "Bearer fc-from-env")
            .Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = new FirecrawlClient(new FirecrawlClientOptions { RetryBaseDelay = TimeSpan.Zero, AllowApiKeyOverPlainHttp = true }, mock);

        await client.CancelBatchScrapeAsync(Stub.JobId);

        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_OptionsSet_WinOverEnvironment()
    {
        Set(key: "fc-from-env", url: "http://selfhosted.test:3002");
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl)
            .WithHeaders("Authorization", "Bearer " + Stub.SecretKey)
            .Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock);

        await client.CancelBatchScrapeAsync(Stub.JobId);

        mock.VerifyNoOutstandingExpectation();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task CancelBatchScrapeAsync_NoKeyAnywhere_SendsNoAuthorizationHeader(string? environmentKey)
    {
        Set(key: environmentKey, url: null);
        using var mock = Stub.Mock();
        HttpRequestMessage? seen = null;
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(request =>
        {
            seen = request;
            return Stub.Json(HttpStatusCode.OK, """{"status":"cancelled"}""");
        });
        using var client = Stub.Client(mock, o => o.ApiKey = null);

        await client.CancelBatchScrapeAsync(Stub.JobId);

        Assert.NotNull(seen);
        Assert.Null(seen.Headers.Authorization);
        Assert.False(seen.Headers.Contains("Authorization"));
    }

    [Fact]
    public void Constructor_MalformedUrlInEnvironment_ThrowsNamingTheVariable()
    {
        Set(key: null, url: "not a url");

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(new FirecrawlClientOptions()));

        Assert.Contains(FirecrawlClientOptions.BaseAddressEnvironmentVariable, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://files.example.com/", "must use http or https")]
    [InlineData("https://user:pw@api.firecrawl.dev/", "must not carry user info")]
    [InlineData("file:///etc/passwd", "must use http or https")]
    public void Constructor_AddressInEnvironment_MeetsTheSameChecksAsOneInCode(string url, string says)
    {
        Set(key: null, url: url);

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(new FirecrawlClientOptions()));

        Assert.Contains(FirecrawlClientOptions.BaseAddressEnvironmentVariable + " '", error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", error.Message, StringComparison.Ordinal);
    }

    private static void Set(string? key, string? url)
    {
        Environment.SetEnvironmentVariable(FirecrawlClientOptions.ApiKeyEnvironmentVariable, key);
        Environment.SetEnvironmentVariable(FirecrawlClientOptions.BaseAddressEnvironmentVariable, url);
    }
}
