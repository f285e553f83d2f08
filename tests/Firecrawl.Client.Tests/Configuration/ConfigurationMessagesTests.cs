using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Firecrawl.Client.Tests;

/// <summary>The exact words of configuration errors and descriptions: they are what a person reads first.</summary>
public sealed class ConfigurationMessagesTests
{
    [Fact]
    public void Constructor_SeveralProblems_ListsThemAllAfterOnePrefix()
    {
        using var mock = Stub.Mock();

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(Stub.Options(o =>
        {
            o.MaxRetries = -1;
            o.TimeProvider = null!;
        }), mock));

        Assert.Equal(
            "Invalid FirecrawlClientOptions: MaxRetries must be between 0 and 100 (was -1). TimeProvider must not be null; use TimeProvider.System. (Parameter 'options')",
            error.Message);
    }

    [Fact]
    public void Constructor_KeyOverPlainHttpOffLoopback_SaysWhyAndHowToOptIn()
    {
        using var mock = Stub.Mock();

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(Stub.Options(o => o.BaseAddress = new Uri("http://firecrawl.internal:3002/")), mock));

        Assert.Equal(
            "Invalid FirecrawlClientOptions: BaseAddress 'http://firecrawl.internal:3002/' is plain http and not loopback, so the API key would cross the network unencrypted. "
            + "Use https, or set AllowApiKeyOverPlainHttp = true for a self-hosted server on a trusted network. (Parameter 'options')",
            error.Message);
    }

    [Fact]
    public void ToString_DefaultOptions_DescribesEveryValue()
    {
        Assert.Equal(
            "FirecrawlClientOptions { BaseAddress = (default), ApiKey = (not set), AllowApiKeyOverPlainHttp = False, ApiVersion = V1, MaxRetries = 3, "
            + "RetryBaseDelay = 00:00:01, RetryMaxDelay = 00:00:30, MaxRetryAfter = 00:01:00, AttemptTimeout = 00:00:30, TotalTimeout = 00:02:00, SettleInterval = 00:00:05, SettleTimeout = 00:02:00, DefaultHeaders = [], RateLimitGate = (in-process), TimeProvider = System, LoggerFactory = (not set), WaitObserver = (not set) }",
            new FirecrawlClientOptions().ToString());
    }

    [Fact]
    public void ToString_SetOptions_ShowsNamesButNoSecrets()
    {
        var options = new FirecrawlClientOptions
        {
            ApiKey = Stub.SecretKey,
            BaseAddress = new Uri("https://user:pw@proxy.test/firecrawl/"),
            AllowApiKeyOverPlainHttp = true,
            ApiVersion = FirecrawlApiVersion.V2,
            MaxRetries = 5,
        };
        options.DefaultHeaders["X-A"] = "secret-a";
        options.DefaultHeaders["X-B"] = "secret-b";

        Assert.Equal(
            "FirecrawlClientOptions { BaseAddress = https://proxy.test/firecrawl/, ApiKey = (set), AllowApiKeyOverPlainHttp = True, ApiVersion = V2, MaxRetries = 5, "
            + "RetryBaseDelay = 00:00:01, RetryMaxDelay = 00:00:30, MaxRetryAfter = 00:01:00, AttemptTimeout = 00:00:30, TotalTimeout = 00:02:00, SettleInterval = 00:00:05, SettleTimeout = 00:02:00, DefaultHeaders = [X-A, X-B], RateLimitGate = (in-process), TimeProvider = System, LoggerFactory = (not set), WaitObserver = (not set) }",
            options.ToString());
    }

    [Fact]
    public void ToString_ServicesOfYourOwn_AreNamedByTheirTypes()
    {
        var options = new FirecrawlClientOptions
        {
            TimeProvider = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(),
            LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            WaitObserver = new Progress<FirecrawlWait>(),
        };
        string text = options.ToString();
        Assert.Contains("TimeProvider = FakeTimeProvider, LoggerFactory = NullLoggerFactory, WaitObserver = Progress`1 }", text, StringComparison.Ordinal);

        options.TimeProvider = null!;
        Assert.Contains("TimeProvider = (null), ", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_ValidOptions_Succeed()
    {
        ValidateOptionsResult result = new FirecrawlClientOptionsValidator().Validate(null, Stub.Options());

        Assert.True(result.Succeeded);
        Assert.False(result.Failed);
    }

    [Fact]
    public void Validator_InvalidOptions_FailWithEveryMessage()
    {
        ValidateOptionsResult result = new FirecrawlClientOptionsValidator().Validate(null, Stub.Options(o =>
        {
            o.MaxRetries = 101;
            o.RetryBaseDelay = TimeSpan.FromDays(2);
        }));

        Assert.True(result.Failed);
        Assert.Equal(["MaxRetries must be between 0 and 100 (was 101).", "RetryBaseDelay must be between 0 and 24 hours (was 2.00:00:00)."], result.Failures);
    }

    [Theory]
    [InlineData("ApiVersion", "v9", "Firecrawl.Client.FirecrawlApiVersion")]
    [InlineData("AllowApiKeyOverPlainHttp", "maybe", "System.Boolean")]
    [InlineData("MaxRetries", "three", "System.Int32")]
    [InlineData("AttemptTimeout", "soon", "System.TimeSpan")]
    public void AddFirecrawlClient_ConfigurationValueThatDoesNotParse_NamesTheKeyTheValueAndTheType(string key, string value, string type)
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => BindAtStartUp(key, value));

#if NET10_0_OR_GREATER
        Assert.Equal($"Failed to convert configuration value '{value}' at 'Firecrawl:{key}' to type '{type}'.", error.Message);
#else
        // The 8.0 line of the binding generator names the key and the type, not the value.
        Assert.Equal($"Failed to convert configuration value at 'Firecrawl:{key}' to type '{type}'.", error.Message);
#endif
    }

    [Theory]
    [InlineData("BaseAddress", "not a url", "BaseAddress 'not a url' must be an absolute URL such as https://api.firecrawl.dev or http://localhost:3002.")]
    [InlineData("ApiVersion", "3", "ApiVersion 3 is not a known version; use V1 or V2.")]
    public void AddFirecrawlClient_ConfigurationValueThatParsesButIsNotValid_FailsValidationNamingTheSetting(string key, string value, string expected)
    {
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => BindAtStartUp(key, value));

        Assert.Equal([expected], error.Failures);
    }

    private static FirecrawlClientOptions BindAtStartUp(string key, string value)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Firecrawl:" + key] = value,
        }).Build();
        var services = new ServiceCollection();
        services.AddFirecrawlClient(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FirecrawlClientOptions>>().Value;
    }

    [Fact]
    public void AddFirecrawlClient_NullArguments_ThrowArgumentNullExceptionNamingThem()
    {
        var services = new ServiceCollection();
        IConfiguration configuration = new ConfigurationBuilder().Build();

        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddFirecrawlClient(_ => { })).ParamName);
        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => services.AddFirecrawlClient((Action<FirecrawlClientOptions>)null!)).ParamName);
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddFirecrawlClient(configuration)).ParamName);
        Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => services.AddFirecrawlClient((IConfiguration)null!)).ParamName);
    }

    [Fact]
    public void Exceptions_DefaultConstructors_HaveReadableMessages()
    {
        Assert.Equal("A Firecrawl call failed.", new FirecrawlException().Message);
        Assert.Equal("A Firecrawl call timed out.", new FirecrawlTimeoutException().Message);
    }
}
