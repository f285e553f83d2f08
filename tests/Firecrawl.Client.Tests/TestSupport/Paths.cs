using Microsoft.Extensions.DependencyInjection;

namespace Firecrawl.Client.Tests;

/// <summary>The same client built the two ways users build it: the plain constructor and the DI registration.</summary>
internal sealed class Paths : IDisposable
{
    public const string Plain = "plain";
    public const string Injected = "di";

    private readonly ServiceProvider? _provider;
    private readonly FirecrawlClient? _plain;

    private Paths(FirecrawlClient client, FirecrawlClient? plain, ServiceProvider? provider)
    {
        Client = client;
        _plain = plain;
        _provider = provider;
    }

    public static TheoryData<string> Both => new() { Plain, Injected };

    public FirecrawlClient Client { get; }

    /// <summary>A client over <paramref name="transport"/> with <see cref="Stub.Options"/> and <paramref name="configure"/>.</summary>
    public static Paths For(string path, HttpMessageHandler transport, Action<FirecrawlClientOptions>? configure = null)
    {
        if (path == Plain)
        {
            var client = new FirecrawlClient(Stub.Options(configure), transport);
            return new Paths(client, client, null);
        }

        var services = new ServiceCollection();
        services.AddFirecrawlClient(o =>
        {
            FirecrawlClientOptions defaults = Stub.Options(configure);
            o.ApiKey = defaults.ApiKey;
            o.BaseAddress = defaults.BaseAddress;
            o.RetryBaseDelay = defaults.RetryBaseDelay;
            o.Jitter = defaults.Jitter;
            configure?.Invoke(o);
        }).ConfigurePrimaryHttpMessageHandler(() => transport);
        ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        return new Paths(provider.GetRequiredService<FirecrawlClient>(), null, provider);
    }

    public void Dispose()
    {
        _plain?.Dispose();
        _provider?.Dispose();
    }
}
