using Firecrawl.Client.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>Builds a client for an emulator along either construction path, so every end-to-end test can run on both.</summary>
internal sealed class Clients : IDisposable
{
    private readonly FirecrawlClient? _plain;
    private readonly ServiceProvider? _provider;

    private Clients(FirecrawlClient client, FirecrawlClient? plain, ServiceProvider? provider)
    {
        Client = client;
        _plain = plain;
        _provider = provider;
    }

    public const string Plain = "plain";
    public const string Injected = "di";

    public static TheoryData<string> Paths => new() { Plain, Injected };

    /// <summary>Both construction paths against both server profiles: what the SDK relies on holds for each.</summary>
    public static TheoryData<string, FirecrawlServerProfile> PathsAndProfiles => new()
    {
        { Plain, FirecrawlServerProfile.SelfHosted2025 },
        { Injected, FirecrawlServerProfile.SelfHosted2025 },
        { Plain, FirecrawlServerProfile.NewerCloud },
        { Injected, FirecrawlServerProfile.NewerCloud },
    };

    public FirecrawlClient Client { get; }

    /// <summary>A client for one call: the same instance on the plain path, a fresh one from the container on the DI path.</summary>
    public FirecrawlClient ForOneCall() => _provider?.GetRequiredService<FirecrawlClient>() ?? Client;

    public static Clients For(FirecrawlEmulator emulator, string path, Action<FirecrawlClientOptions>? configure = null)
    {
        void Configure(FirecrawlClientOptions options)
        {
            options.BaseAddress = emulator.BaseAddress;
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            options.AttemptTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(options);
        }

        if (path == Plain)
        {
            var options = new FirecrawlClientOptions();
            Configure(options);
            var client = new FirecrawlClient(options);
            return new Clients(client, client, null);
        }

        var services = new ServiceCollection();
        services.AddFirecrawlClient(Configure);
        ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        return new Clients(provider.GetRequiredService<FirecrawlClient>(), null, provider);
    }

    public void Dispose()
    {
        _plain?.Dispose();
        _provider?.Dispose();
    }
}
