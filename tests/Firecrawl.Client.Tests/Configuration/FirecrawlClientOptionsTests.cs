using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class FirecrawlClientOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedValues()
    {
        var options = new FirecrawlClientOptions();

        Assert.Null(options.ApiKey);
        Assert.Null(options.BaseAddress);
        Assert.Equal(FirecrawlApiVersion.V1, options.ApiVersion);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetryMaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SettleInterval);
        Assert.Equal(TimeSpan.FromMinutes(2), options.SettleTimeout);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Empty(options.DefaultHeaders);
        Assert.Equal(new Uri("https://api.firecrawl.dev"), FirecrawlClientOptions.DefaultBaseAddress);
    }

    [Theory]
    [InlineData(-1, 120, "SettleInterval")]
    [InlineData(5, 0, "SettleTimeout must be between 1 second and 24 hours")]
    [InlineData(5, 100_000, "SettleTimeout must be between 1 second and 24 hours")]
    public void Constructor_ASettleWaitThatCannotWork_IsRefusedNamingTheSetting(int intervalSeconds, int timeoutSeconds, string expected)
    {
        var options = Stub.Options(o =>
        {
            o.SettleInterval = TimeSpan.FromSeconds(intervalSeconds);
            o.SettleTimeout = TimeSpan.FromSeconds(timeoutSeconds);
        });

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(options));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_KeySet_SendsBearerAcceptAndUserAgent()
    {
        using var mock = Stub.Mock();
        HttpRequestMessage? seen = null;
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(request =>
        {
            seen = request;
            return Stub.Json(HttpStatusCode.OK, """{"status":"cancelled"}""");
        });
        using var client = Stub.Client(mock);

        await client.CancelBatchScrapeAsync(Stub.JobId);

        Assert.NotNull(seen);
        Assert.Equal("Bearer", seen.Headers.Authorization?.Scheme);
        Assert.Equal(Stub.SecretKey, seen.Headers.Authorization?.Parameter);
        Assert.Equal("application/json", Assert.Single(seen.Headers.Accept).MediaType);
        Assert.Matches(@"^Firecrawl\.Client/\d+\.\d+\.\d+[^ ]* \(\.NET \d+\.\d+[^)]*\)$", string.Join(" ", seen.Headers.GetValues("User-Agent")));
        Assert.Null(seen.Content);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_CustomDefaultHeaders_SentOnEveryAttempt()
    {
        using var mock = Stub.Mock();
        MockedRequest failing = mock.Expect(HttpMethod.Delete, Stub.BatchUrl).WithHeaders("X-Proxy-Token", "proxy-secret")
            .Respond(HttpStatusCode.ServiceUnavailable, "{}");
        MockedRequest ok = mock.Expect(HttpMethod.Delete, Stub.BatchUrl).WithHeaders("X-Proxy-Token", "proxy-secret")
            .Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o => o.DefaultHeaders["X-Proxy-Token"] = "proxy-secret");

        await client.CancelBatchScrapeAsync(Stub.JobId);

        mock.VerifyNoOutstandingExpectation();
    }

    [Theory]
    [InlineData("https://proxy.example/firecrawl", "https://proxy.example/firecrawl/v1/batch/scrape/")]
    [InlineData("https://proxy.example/firecrawl/", "https://proxy.example/firecrawl/v1/batch/scrape/")]
    [InlineData("https://proxy.example/a/b/", "https://proxy.example/a/b/v1/batch/scrape/")]
    [InlineData("http://localhost:3002", "http://localhost:3002/v1/batch/scrape/")]
    [InlineData("http://localhost:3002/", "http://localhost:3002/v1/batch/scrape/")]
    public async Task CancelBatchScrapeAsync_BaseWithPathPrefixOrTrailingSlash_KeepsPrefixWithoutDoubleSlash(string baseAddress, string expectedPrefix)
    {
        using var mock = Stub.Mock();
        Func<string?> seen = Stub.CaptureUrl(mock);
        using var client = Stub.Client(mock, o => o.BaseAddress = new Uri(baseAddress));

        await client.CancelBatchScrapeAsync(Stub.JobId);

        Assert.Equal(expectedPrefix + Stub.JobId, seen());
        Assert.DoesNotContain("//v1", seen(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAsync_V2Selected_UsesV2Routes()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.Base + "/v2/batch/scrape/" + Stub.JobId).Respond(HttpStatusCode.OK, """{"success":true,"status":"cancelled"}""");
        mock.Expect(HttpMethod.Delete, Stub.Base + "/v2/crawl/" + Stub.JobId).Respond(HttpStatusCode.OK, """{"success":true,"status":"cancelled"}""");
        using var client = Stub.Client(mock, o => o.ApiVersion = FirecrawlApiVersion.V2);

        await client.CancelBatchScrapeAsync(Stub.JobId);
        await client.CancelCrawlAsync(Stub.JobId);

        mock.VerifyNoOutstandingExpectation();
    }

    public static TheoryData<string, string> BadBaseAddresses => new()
    {
        { "relative/path", "absolute URL" },
        { "ftp://files.example/", "must use http or https" },
        { "https://user:hunter2@proxy.example/", "must not carry user info" },
        { "https://proxy.example/?tenant=1", "must not have a query" },
    };

    [Theory]
    [MemberData(nameof(BadBaseAddresses))]
    public void Constructor_MalformedBaseAddress_ThrowsArgumentExceptionNamingTheProblem(string address, string expected)
    {
        var options = Stub.Options(o => o.BaseAddress = new Uri(address, UriKind.RelativeOrAbsolute));
        using var mock = Stub.Mock();

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(options, mock));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Stub.SecretKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SeveralBadValues_ListsEveryProblem()
    {
        var options = Stub.Options(o =>
        {
            o.MaxRetries = -1;
            o.AttemptTimeout = TimeSpan.Zero;
            o.RetryBaseDelay = TimeSpan.FromSeconds(-1);
            o.ApiVersion = (FirecrawlApiVersion)7;
        });
        using var mock = Stub.Mock();

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(options, mock));

        Assert.Contains("MaxRetries", error.Message, StringComparison.Ordinal);
        Assert.Contains("AttemptTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("RetryBaseDelay", error.Message, StringComparison.Ordinal);
        Assert.Contains("ApiVersion", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fc-abc def")]
    [InlineData("fc-abc\r\nX-Injected: 1")]
    [InlineData("fc-ключ")]
    [InlineData("   ")]
    public void Constructor_KeyThatCannotBeAHeader_ThrowsWithoutEchoingTheKey(string key)
    {
        using var mock = Stub.Mock();

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(Stub.Options(o => o.ApiKey = key), mock));

        Assert.Contains("ApiKey", error.Message, StringComparison.Ordinal);
        if (key.Trim().Length > 0)
        {
            Assert.DoesNotContain(key.Trim(), error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Authorization", "Bearer other", "set ApiKey instead")]
    [InlineData("Bad Header", "x", "is not a request header name HttpClient can send")]
    [InlineData("X-Ok", "line\r\nbreak", "has a character HttpClient cannot send")]
    public void Constructor_BadDefaultHeader_Throws(string name, string value, string expected)
    {
        using var mock = Stub.Mock();

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(Stub.Options(o => o.DefaultHeaders[name] = value), mock));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_ApiKeyOverloadWithBlankKey_ThrowsArgumentException(string? key) =>
        Assert.ThrowsAny<ArgumentException>(() => new FirecrawlClient(key!));

    [Fact]
    public void Constructor_NullOptionsOrTransport_ThrowsArgumentNullException()
    {
        using var mock = Stub.Mock();
        Assert.Throws<ArgumentNullException>(() => new FirecrawlClient((FirecrawlClientOptions)null!));
        Assert.Throws<ArgumentNullException>(() => new FirecrawlClient(null!, mock));
        Assert.Throws<ArgumentNullException>(() => new FirecrawlClient(Stub.Options(), null!));
    }

    [Fact]
    public void ToString_OptionsAndClient_NeverShowTheKey()
    {
        FirecrawlClientOptions options = Stub.Options(o => o.DefaultHeaders["X-Proxy-Token"] = "proxy-secret");
        using var client = new FirecrawlClient(options, Stub.Mock());

        string optionsText = options.ToString();
        string clientText = client.ToString();

        Assert.DoesNotContain(Stub.SecretKey, optionsText, StringComparison.Ordinal);
        Assert.DoesNotContain("proxy-secret", optionsText, StringComparison.Ordinal);
        Assert.Contains("ApiKey = (set)", optionsText, StringComparison.Ordinal);
        Assert.Contains("X-Proxy-Token", optionsText, StringComparison.Ordinal);
        Assert.DoesNotContain(Stub.SecretKey, clientText, StringComparison.Ordinal);
        Assert.Contains(Stub.Base, clientText, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_BaseAddressWithUserInfo_HidesIt()
    {
        var options = new FirecrawlClientOptions { BaseAddress = new Uri("https://user:hunter2@proxy.example/") };

        Assert.DoesNotContain("hunter2", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_EveryKindOfFailure_NeverPutsTheKeyInExceptionText()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.Unauthorized, """{"success":false,"error":"Unauthorized: Invalid token"}""");
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Throw(new HttpRequestException("Connection reset"));
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, "not json");
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, """{"error":"retry after 600s"}""");
        using var client = Stub.Client(mock, o => o.MaxRetries = 0);

        var texts = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            Exception error = await Assert.ThrowsAnyAsync<FirecrawlException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
            texts.Add(error.ToString());
            if (error is FirecrawlApiException api)
            {
                texts.Add(api.Error.ToString());
            }
        }

        Assert.All(texts, text => Assert.DoesNotContain(Stub.SecretKey, text, StringComparison.Ordinal));
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Constructor_OptionsChangedLater_ClientKeepsItsCopy()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        FirecrawlClientOptions options = Stub.Options();
        using var client = new FirecrawlClient(options, mock);

        options.BaseAddress = new Uri("http://elsewhere.test");
        options.ApiVersion = FirecrawlApiVersion.V2;
        await client.CancelBatchScrapeAsync(Stub.JobId);

        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Dispose_ThenCall_ThrowsObjectDisposedAndLeavesTheCallersTransportUsable()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        var client = Stub.Client(mock);

        client.Dispose();
        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
        using var second = Stub.Client(mock);
        Assert.Equal(CancelOutcome.Cancelled, (await second.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
    }
}

public sealed class PlainHttpTests
{
    [Theory]
    [InlineData("http://firecrawl.internal:3002", "fc-key", false, false)]
    [InlineData("http://firecrawl.internal:3002", "fc-key", true, true)]
    [InlineData("http://firecrawl.internal:3002", null, false, true)]
    [InlineData("http://localhost:3002", "fc-key", false, true)]
    [InlineData("http://127.0.0.1:3002", "fc-key", false, true)]
    [InlineData("http://[::1]:3002", "fc-key", false, true)]
    [InlineData("https://firecrawl.internal", "fc-key", false, true)]
    public void Constructor_PlainHttpOffLoopbackWithKey_RefusedUnlessOptedIn(string address, string? key, bool optIn, bool accepted)
    {
        using var mock = Stub.Mock();
        var options = new FirecrawlClientOptions { BaseAddress = new Uri(address), ApiKey = key, AllowApiKeyOverPlainHttp = optIn };

        Exception? error = Record.Exception(() => new FirecrawlClient(options, mock).Dispose());

        if (accepted)
        {
            Assert.Null(error);
        }
        else
        {
            var argument = Assert.IsType<ArgumentException>(error);
            Assert.Contains("AllowApiKeyOverPlainHttp", argument.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("fc-key", argument.Message, StringComparison.Ordinal);
        }
    }
}
