using Firecrawl.Client;
using Firecrawl.Client.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares the client's rate-limit gate through Redis: <c>services.AddFirecrawlClient(...).AddRedisRateLimitGate(...)</c>.</summary>
public static class FirecrawlRedisServiceCollectionExtensions
{
    /// <summary>
    /// Makes the registered <see cref="FirecrawlClient"/> pace with every process that points at the same Redis. The
    /// gate connects with <paramref name="configuration"/>, or uses the app's own <see cref="IConnectionMultiplexer"/> when
    /// <paramref name="configuration"/> is <see langword="null"/> and one is registered.
    /// </summary>
    /// <param name="builder">The builder <c>AddFirecrawlClient</c> returned.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, or <see langword="null"/> for the registered connection.</param>
    /// <param name="configure">Changes the gate's settings.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddRedisRateLimitGate(this IHttpClientBuilder builder, string? configuration, Action<FirecrawlRedisGateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Register(builder, _ => configuration, configure);
    }

    /// <summary>
    /// The same, bound from configuration: the <c>Redis</c> section under the client's (<c>Firecrawl:Redis</c>), which is
    /// either the configuration string or an object with <c>Configuration</c>, <c>Scope</c> and the other settings by name.
    /// </summary>
    /// <param name="builder">The builder <c>AddFirecrawlClient</c> returned.</param>
    /// <param name="configuration">The app's configuration root, or the <c>Firecrawl</c> section.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddRedisRateLimitGate(this IHttpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfiguration client = configuration is IConfigurationSection { Key: FirecrawlClientOptions.SectionName } ? configuration : configuration.GetSection(FirecrawlClientOptions.SectionName);
        IConfigurationSection section = client.GetSection(FirecrawlRedisGateOptions.SectionName);
        string? connection = null;
        return Register(builder, options => connection ??= FirecrawlRedisGateSettings.Bind(section, options), configure: null);
    }

    private static IHttpClientBuilder Register(IHttpClientBuilder builder, Func<FirecrawlRedisGateOptions, string?> configuration, Action<FirecrawlRedisGateOptions>? configure)
    {
        builder.Services.AddSingleton(sp =>
        {
            var options = new FirecrawlRedisGateOptions { LoggerFactory = sp.GetService<ILoggerFactory>() };
            string? connection = configuration(options);
            configure?.Invoke(options);
            if (connection is not null)
            {
                return FirecrawlRedisRateLimitGate.Connect(connection, options);
            }

            IConnectionMultiplexer redis = sp.GetService<IConnectionMultiplexer>()
                ?? throw new InvalidOperationException(
                    "AddRedisRateLimitGate has no Redis to use: give it a configuration string (or the Firecrawl:Redis configuration key), or register an IConnectionMultiplexer.");
            return new FirecrawlRedisRateLimitGate(redis, options);
        });
        builder.Services.AddOptions<FirecrawlClientOptions>().Configure<FirecrawlRedisRateLimitGate>(static (options, gate) => options.RateLimitGate = gate);
        return builder;
    }
}
