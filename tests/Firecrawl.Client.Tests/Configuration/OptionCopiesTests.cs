using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.Tests;

/// <summary>
/// The option list is written out in four places: <see cref="FirecrawlClientOptions"/>, the configuration settings that
/// <c>Bind</c> copies from, the frozen <see cref="ClientConfiguration"/>, and <c>ToString</c>. Each copy is checked here
/// with values, not names: every option gets a value unlike its default, and each copy must carry that value on.
/// </summary>
public sealed class OptionCopiesTests
{
    /// <summary>Options that are objects or test seams, not settings a configuration file can hold.</summary>
    private static readonly string[] NotSettings = [nameof(FirecrawlClientOptions.TimeProvider), nameof(FirecrawlClientOptions.LoggerFactory), nameof(FirecrawlClientOptions.RateLimitGate), nameof(FirecrawlClientOptions.WaitObserver)];

    private static PropertyInfo[] Options => typeof(FirecrawlClientOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    [Fact]
    public void Bind_CopiesTheValueOfEverySetting()
    {
        var values = new Dictionary<string, string?>();
        var expected = new Dictionary<string, object>();
        int n = 0;
        foreach (PropertyInfo option in Options.Where(o => !NotSettings.Contains(o.Name)))
        {
            n++;
            (string? text, object value) = SettingValue(option, n);
            if (option.Name == nameof(FirecrawlClientOptions.DefaultHeaders))
            {
                values["Firecrawl:DefaultHeaders:X-Copied"] = "yes";
            }
            else
            {
                values["Firecrawl:" + option.Name] = text;
            }

            expected[option.Name] = value;
        }

        var options = new FirecrawlClientOptions();
        FirecrawlConfigurationSettings.Bind(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Firecrawl"), options);

        var fresh = new FirecrawlClientOptions();
        foreach ((string name, object value) in expected)
        {
            object? bound = typeof(FirecrawlClientOptions).GetProperty(name)!.GetValue(options);
            object? byDefault = typeof(FirecrawlClientOptions).GetProperty(name)!.GetValue(fresh);
            if (bound is IDictionary<string, string> headers)
            {
                Assert.Equal("yes", headers["X-Copied"]);
                continue;
            }

            Assert.True(Equals(value, bound), $"{name}: configuration said {value}, the options hold {bound}.");
            Assert.False(Equals(value, byDefault), $"{name}: the test value is the default, so it proves nothing.");
        }

        // Every setting the settings type has is an option, so nothing binds into a property that goes nowhere.
        Assert.Equal(
            expected.Keys.Order(StringComparer.Ordinal),
            typeof(FirecrawlConfigurationSettings).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ClientConfiguration_FreezesTheValueOfEveryOption()
    {
        var time = new FakeTimeProvider();
        using var loggers = new NullLoggerFactory();
        FirecrawlRateLimitGate gate = FirecrawlRateLimitGate.CreateInProcess(time);
        FirecrawlClientOptions options = Distinct(time, loggers, gate);

        var configuration = ClientConfiguration.Create(options, static _ => null);

        // Checked elsewhere, by what they do: the plain-http switch only lets the key go to a non-loopback http server.
        string[] validatedOnly = [nameof(FirecrawlClientOptions.AllowApiKeyOverPlainHttp)];
        foreach (PropertyInfo option in Options.Where(o => !validatedOnly.Contains(o.Name)))
        {
            object? given = option.GetValue(options);
            PropertyInfo? frozen = typeof(ClientConfiguration).GetProperty(option.Name);
            Assert.True(frozen is not null, $"ClientConfiguration has no {option.Name}.");
            object? kept = frozen!.GetValue(configuration);
            if (given is IDictionary<string, string> headers)
            {
                Assert.Equal(headers.ToArray(), ((IEnumerable<KeyValuePair<string, string>>)kept!).ToArray());
                continue;
            }

            Assert.True(Equals(given, kept), $"{option.Name}: the options said {given}, the configuration kept {kept}.");
        }
    }

    [Fact]
    public void ToString_ShowsEveryOptionWithItsValue_AndNeverTheKey()
    {
        var time = new FakeTimeProvider();
        using var loggers = new NullLoggerFactory();
        FirecrawlClientOptions options = Distinct(time, loggers, FirecrawlRateLimitGate.CreateInProcess(time));

        string text = options.ToString();

        foreach (PropertyInfo option in Options)
        {
            string shown = option.Name switch
            {
                nameof(FirecrawlClientOptions.ApiKey) => "(set)",
                nameof(FirecrawlClientOptions.BaseAddress) => options.BaseAddress!.AbsoluteUri,
                nameof(FirecrawlClientOptions.DefaultHeaders) => "[X-Copied]",
                nameof(FirecrawlClientOptions.TimeProvider) => nameof(FakeTimeProvider),
                nameof(FirecrawlClientOptions.LoggerFactory) => nameof(NullLoggerFactory),
                nameof(FirecrawlClientOptions.RateLimitGate) => options.RateLimitGate!.GetType().Name,
                nameof(FirecrawlClientOptions.WaitObserver) => options.WaitObserver!.GetType().Name,
                _ => Convert.ToString(option.GetValue(options), CultureInfo.InvariantCulture)!,
            };
            Assert.Contains($"{option.Name} = {shown}", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(options.ApiKey!, text, StringComparison.Ordinal);
        Assert.DoesNotContain("yes-secret", text, StringComparison.Ordinal);
    }

    /// <summary>Options with every value unlike its default.</summary>
    private static FirecrawlClientOptions Distinct(TimeProvider time, Microsoft.Extensions.Logging.ILoggerFactory loggers, FirecrawlRateLimitGate gate)
    {
        var options = new FirecrawlClientOptions
        {
            ApiKey = "fc-copies-test-key",
            BaseAddress = new Uri("http://firecrawl.internal:3002/"),
            AllowApiKeyOverPlainHttp = true,
            ApiVersion = FirecrawlApiVersion.V2,
            MaxRetries = 7,
            RetryBaseDelay = TimeSpan.FromSeconds(2),
            RetryMaxDelay = TimeSpan.FromSeconds(40),
            MaxRetryAfter = TimeSpan.FromSeconds(90),
            AttemptTimeout = TimeSpan.FromSeconds(11),
            TotalTimeout = TimeSpan.FromMinutes(5),
            SettleInterval = TimeSpan.FromSeconds(7),
            SettleTimeout = TimeSpan.FromMinutes(4),
            TimeProvider = time,
            LoggerFactory = loggers,
            RateLimitGate = gate,
            WaitObserver = new Progress<FirecrawlWait>(),
        };
        options.DefaultHeaders["X-Copied"] = "yes-secret";
        Assert.Equal(17, Options.Length); // a new option gets a value here too
        return options;
    }

    /// <summary>A configuration string for an option and the value it binds to, unlike the default.</summary>
    private static (string? Text, object Value) SettingValue(PropertyInfo option, int n)
    {
        Type type = option.PropertyType;
        return type switch
        {
            _ when type == typeof(string) => ($"fc-setting-{n}", $"fc-setting-{n}"),
            _ when type == typeof(Uri) => ($"https://host{n}.example/", new Uri($"https://host{n}.example/")),
            _ when type == typeof(bool) => ("true", true),
            _ when type == typeof(int) => ((10 + n).ToString(CultureInfo.InvariantCulture), 10 + n),
            _ when type == typeof(TimeSpan) => ($"00:00:{10 + n}", TimeSpan.FromSeconds(10 + n)),
            _ when type == typeof(FirecrawlApiVersion) => ("V2", FirecrawlApiVersion.V2),
            _ when type == typeof(IDictionary<string, string>) => (null, "headers"),
            _ => throw new InvalidOperationException($"The test does not know how to write a {type.Name} option ({option.Name}) in configuration; teach it."),
        };
    }
}
