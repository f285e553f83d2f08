using Firecrawl.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="FirecrawlClient"/> with the container, through <c>IHttpClientFactory</c>.</summary>
public static class FirecrawlServiceCollectionExtensions
{
    private const string HttpClientName = "Firecrawl.Client";

    /// <summary>
    /// Registers <see cref="FirecrawlClient"/> with options set in code. The client gets the same handler chain as
    /// <see cref="FirecrawlClient"/> (auth, then retries and timeouts), and the options are validated at start-up.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configure">Sets the options; unset values fall back to the environment as documented.</param>
    /// <returns>The HTTP client builder, to add handlers of your own; they run once per attempt.</returns>
    public static IHttpClientBuilder AddFirecrawlClient(this IServiceCollection services, Action<FirecrawlClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<FirecrawlClientOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="FirecrawlClient"/> with options bound from configuration: pass the <c>Firecrawl</c>
    /// section, or the root configuration, whose <c>Firecrawl</c> section is used. Keys are the option names
    /// (<c>ApiKey</c>, <c>BaseAddress</c>, <c>ApiVersion</c>, <c>MaxRetries</c>, time spans such as
    /// <c>AttemptTimeout</c> as <c>00:00:30</c>, and <c>DefaultHeaders:Name</c>).
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configuration">The <c>Firecrawl</c> section, or a configuration root that has one.</param>
    /// <returns>The HTTP client builder, to add handlers of your own; they run once per attempt.</returns>
    public static IHttpClientBuilder AddFirecrawlClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfiguration section = configuration is IConfigurationSection
            ? configuration
            : configuration.GetSection(FirecrawlClientOptions.SectionName);
        services.AddOptions<FirecrawlClientOptions>().Configure(options => FirecrawlConfigurationSettings.Bind(section, options));
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        // A second call adds its configuration only; the chain must not get a second copy of the SDK's handlers.
        if (services.Any(static d => d.ServiceType == typeof(ClientRuntime)))
        {
            return services.AddHttpClient(HttpClientName);
        }

        services.AddOptions<FirecrawlClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FirecrawlClientOptions>, FirecrawlClientOptionsValidator>());
        services.AddSingleton(static sp => new ClientRuntime(
            ClientConfiguration.Create(sp.GetRequiredService<IOptions<FirecrawlClientOptions>>().Value), sp.GetService<ILoggerFactory>()));

        // A singleton, like the plain client: its transport recycles connections every few minutes
        // (PooledConnectionLifetime), so holding one HttpClient is the pattern Microsoft recommends, and the container
        // disposes it at shutdown.
        services.TryAddSingleton(static sp => new FirecrawlClient(
            sp.GetRequiredService<ClientRuntime>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)));

        return services.AddHttpClient(HttpClientName)
            // IHttpClientFactory's default request logger puts raw header values, the bearer key included, into the
            // structured state of its Trace events. The SDK logs its own events (category Firecrawl.Client) instead.
            .RemoveAllLoggers()
            .ConfigureHttpClient(static (sp, client) => HttpDefaults.Configure(client, sp.GetRequiredService<ClientRuntime>().Configuration))
            .ConfigurePrimaryHttpMessageHandler(static sp => FirecrawlHttp.CreateTransport(sp.GetRequiredService<ClientRuntime>().Configuration))
            .ConfigureAdditionalHttpMessageHandlers(static (handlers, sp) =>
            {
                DelegatingHandler[] own = FirecrawlHttp.CreateHandlers(sp.GetRequiredService<ClientRuntime>().Configuration);
                for (int i = 0; i < own.Length; i++)
                {
                    handlers.Insert(i, own[i]);
                }
            });
    }
}
