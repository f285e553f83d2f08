using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class ServiceCollectionTests
{
    private const string Cancelled = """{"status":"cancelled"}""";

    [Fact]
    public async Task AddFirecrawlClient_WithCode_RetriesAuthenticatesAndSendsHeadersLikeThePlainClient()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).WithHeaders("Authorization", "Bearer " + Stub.SecretKey)
            .Respond(HttpStatusCode.ServiceUnavailable, "{}");
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).WithHeaders("Authorization", "Bearer " + Stub.SecretKey)
            .WithHeaders("Accept", "application/json")
            .With(request => request.Headers.UserAgent.ToString().StartsWith("Firecrawl.Client/", StringComparison.Ordinal))
            .Respond(HttpStatusCode.OK, Cancelled);
        using ServiceProvider provider = Provider(mock, services => services.AddFirecrawlClient(Configure));

        var client = provider.GetRequiredService<FirecrawlClient>();
        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId);

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        mock.VerifyNoOutstandingExpectation();
    }

    public static TheoryData<HttpStatusCode, string, Type?> Rows => new()
    {
        { HttpStatusCode.OK, """{"status":"cancelled"}""", null },
        { HttpStatusCode.Conflict, """{"error":"Crawl is already completed"}""", null },
        { HttpStatusCode.NotFound, """{"error":"Job not found"}""", typeof(FirecrawlNotFoundException) },
        { HttpStatusCode.Unauthorized, """{"success":false,"error":"Unauthorized: Invalid token"}""", typeof(FirecrawlUnauthorizedException) },
        { HttpStatusCode.Forbidden, """{"error":"Unauthorized"}""", typeof(FirecrawlForbiddenException) },
        { HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 600s"}""", typeof(FirecrawlRateLimitException) },
        { HttpStatusCode.InternalServerError, """{"error":"boom"}""", typeof(FirecrawlServerException) },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task CancelBatchScrapeAsync_SameAnswer_SameResultOnPlainAndDiPaths(HttpStatusCode status, string body, Type? expectedException)
    {
        using var plainMock = Stub.Mock();
        MockedRequest plainRoute = plainMock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(status, body);
        using var diMock = Stub.Mock();
        MockedRequest diRoute = diMock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(status, body);
        using var plain = Stub.Client(plainMock);
        using ServiceProvider provider = Provider(diMock, services => services.AddFirecrawlClient(Configure));
        var injected = provider.GetRequiredService<FirecrawlClient>();

        (object? plainResult, Exception? plainError) = await Outcome(() => plain.CancelBatchScrapeAsync(Stub.JobId));
        (object? diResult, Exception? diError) = await Outcome(() => injected.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(plainResult, diResult);
        Assert.Equal(expectedException, plainError?.GetType());
        Assert.Equal(plainError?.GetType(), diError?.GetType());
        Assert.Equal(plainError?.Message, diError?.Message);
        Assert.Equal(plainMock.GetMatchCount(plainRoute), diMock.GetMatchCount(diRoute));
    }

    [Fact]
    public async Task AddFirecrawlClient_FromConfigurationSection_BindsEveryOption()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Firecrawl:ApiKey"] = "fc-from-config",
            ["Firecrawl:BaseAddress"] = "http://selfhosted.test:3002/proxy/",
            ["Firecrawl:ApiVersion"] = "v2",
            ["Firecrawl:AllowApiKeyOverPlainHttp"] = "true",
            ["Firecrawl:MaxRetries"] = "1",
            ["Firecrawl:RetryBaseDelay"] = "00:00:00",
            ["Firecrawl:AttemptTimeout"] = "00:00:05",
            ["Firecrawl:DefaultHeaders:X-Tenant"] = "blue",
        }).Build();
        const string url = "http://selfhosted.test:3002/proxy/v2/batch/scrape/" + Stub.JobId;
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, url)
            .WithHeaders("Authorization", "Bearer fc-from-config")
            .WithHeaders("X-Tenant", "blue")
            .Respond(HttpStatusCode.BadGateway, "{}");

        foreach (IConfiguration passed in new[] { configuration, configuration.GetSection("Firecrawl") })
        {
            using ServiceProvider provider = Provider(mock, services => services.AddFirecrawlClient(passed));
            var options = provider.GetRequiredService<IOptions<FirecrawlClientOptions>>().Value;
            Assert.Equal(TimeSpan.FromSeconds(5), options.AttemptTimeout);

            await Assert.ThrowsAsync<FirecrawlServerException>(() => provider.GetRequiredService<FirecrawlClient>().CancelBatchScrapeAsync(Stub.JobId));
        }

        Assert.Equal(4, mock.GetMatchCount(route));
    }

    [Fact]
    public void AddFirecrawlClient_FromConfigurationSection_BindsEveryTimeSpan()
    {
        FirecrawlClientOptions options = ResolveOptions(services => services.AddFirecrawlClient(Configuration(new()
        {
            ["Firecrawl:RetryBaseDelay"] = "00:00:02",
            ["Firecrawl:RetryMaxDelay"] = "00:00:20",
            ["Firecrawl:MaxRetryAfter"] = "00:00:45",
            ["Firecrawl:AttemptTimeout"] = "00:00:05",
            ["Firecrawl:TotalTimeout"] = "00:01:30",
        })));

        Assert.Equal(
            [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(90)],
            [options.RetryBaseDelay, options.RetryMaxDelay, options.MaxRetryAfter, options.AttemptTimeout, options.TotalTimeout]);
    }

    [Fact]
    public void AddFirecrawlClient_ConfigurationAfterCode_ChangesOnlyTheKeysTheSectionHas()
    {
        FirecrawlClientOptions options = ResolveOptions(services =>
        {
            services.AddFirecrawlClient(o =>
            {
                o.ApiKey = "fc-from-code";
                o.BaseAddress = new Uri("https://code.test/");
                o.MaxRetries = 7;
            });
            services.AddFirecrawlClient(Configuration(new() { ["Firecrawl:MaxRetries"] = "2" }));
        });

        Assert.Equal(("fc-from-code", new Uri("https://code.test/"), 2), (options.ApiKey, options.BaseAddress, options.MaxRetries));
    }

    [Fact]
    public void AddFirecrawlClient_ConfigurationAfterCode_WinsForTheKeysTheSectionHas()
    {
        FirecrawlClientOptions options = ResolveOptions(services =>
        {
            services.AddFirecrawlClient(o =>
            {
                o.ApiKey = "fc-from-code";
                o.BaseAddress = new Uri("https://code.test/");
            });
            services.AddFirecrawlClient(Configuration(new()
            {
                ["Firecrawl:ApiKey"] = "fc-from-config",
                ["Firecrawl:BaseAddress"] = "https://config.test/",
            }));
        });

        Assert.Equal(("fc-from-config", new Uri("https://config.test/")), (options.ApiKey, options.BaseAddress));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static FirecrawlClientOptions ResolveOptions(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FirecrawlClientOptions>>().Value;
    }

    [Fact]
    public void AddFirecrawlClient_InvalidOptions_FailStartUpValidation()
    {
        using ServiceProvider provider = Provider(Stub.Mock(), services => services.AddFirecrawlClient(o =>
        {
            Configure(o);
            o.MaxRetries = -5;
        }));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("MaxRetries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFirecrawlClient_KeyOverPlainHttpOffLoopback_FailsStartUpValidation()
    {
        using ServiceProvider provider = Provider(Stub.Mock(), services => services.AddFirecrawlClient(o =>
        {
            o.ApiKey = Stub.SecretKey;
            o.BaseAddress = new Uri("http://firecrawl.internal:3002");
        }));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("AllowApiKeyOverPlainHttp", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Stub.SecretKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFirecrawlClient_UnparsableConfigurationValue_FailsNamingTheKey()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Firecrawl:AttemptTimeout"] = "thirty seconds",
        }).Build();
        using ServiceProvider provider = Provider(Stub.Mock(), services => services.AddFirecrawlClient(configuration));

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<FirecrawlClientOptions>>().Value);

        Assert.Contains("Firecrawl:AttemptTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFirecrawlClient_UserHandlerAddedToBuilder_RunsInsideEachRetriedAttempt()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, Cancelled);
        var counting = new CountingHandler();
        using ServiceProvider provider = Provider(mock, services => services.AddFirecrawlClient(Configure).AddHttpMessageHandler(() => counting));

        await provider.GetRequiredService<FirecrawlClient>().CancelBatchScrapeAsync(Stub.JobId);

        Assert.Equal(2, counting.Calls);
        Assert.True(counting.SawAuthorization, "The user's handler sits under the auth handler.");
    }

    [Fact]
    public async Task AddFirecrawlClient_CalledTwice_DoesNotStackTheHandlersTwice()
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        using ServiceProvider provider = Provider(mock, services =>
        {
            services.AddFirecrawlClient(Configure);
            services.AddFirecrawlClient(o => o.MaxRetries = 1);
        });

        await Assert.ThrowsAsync<FirecrawlServerException>(() => provider.GetRequiredService<FirecrawlClient>().CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(2, mock.GetMatchCount(route));
    }

    [Fact]
    public void AddFirecrawlClient_CalledTwice_RegistersTheRuntimeAndTheClientOnce()
    {
        var services = new ServiceCollection();

        services.AddFirecrawlClient(Configure);
        services.AddFirecrawlClient(o => o.MaxRetries = 1);

        Assert.Single(services, d => d.ServiceType == typeof(ClientRuntime));
        Assert.Single(services, d => d.ServiceType == typeof(FirecrawlClient));
    }

    [Fact]
    public async Task AddFirecrawlClient_ResolvedClient_IsOneSingletonDisposedWithTheContainer()
    {
        FirecrawlClient client;
        using (ServiceProvider provider = Provider(Stub.Mock(), services => services.AddFirecrawlClient(Configure)))
        {
            client = provider.GetRequiredService<FirecrawlClient>();
            Assert.Same(client, provider.GetRequiredService<FirecrawlClient>());
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
    }

    [Fact]
    public void AddFirecrawlClient_NullArguments_Throw()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentNullException>(() => services.AddFirecrawlClient((Action<FirecrawlClientOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddFirecrawlClient((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddFirecrawlClient(Configure));
    }

    private static void Configure(FirecrawlClientOptions options)
    {
        options.ApiKey = Stub.SecretKey;
        options.BaseAddress = new Uri(Stub.Base);
        options.RetryBaseDelay = TimeSpan.Zero;
        options.Jitter = static () => 0;
    }

    private static ServiceProvider Provider(MockHttpMessageHandler mock, Func<IServiceCollection, IHttpClientBuilder> register)
    {
        var services = new ServiceCollection();
        register(services).ConfigurePrimaryHttpMessageHandler(() => mock);
        return services.BuildServiceProvider(validateScopes: true);
    }

    private static ServiceProvider Provider(MockHttpMessageHandler mock, Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        services.AddHttpClient("Firecrawl.Client").ConfigurePrimaryHttpMessageHandler(() => mock);
        return services.BuildServiceProvider(validateScopes: true);
    }

    private static async Task<(object? Result, Exception? Error)> Outcome(Func<Task<CancelBatchScrapeResult>> call)
    {
        try
        {
            return (await call(), null);
        }
        catch (FirecrawlException exception)
        {
            return (null, exception);
        }
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public int Calls { get; private set; }

        public bool SawAuthorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            SawAuthorization = request.Headers.Authorization is not null;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
