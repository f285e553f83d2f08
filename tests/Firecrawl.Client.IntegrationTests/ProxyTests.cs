using Firecrawl.Client.Testing;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>
/// The machine's proxy settings must never carry the key in plaintext: loopback is reached directly, https crosses a
/// proxy only as a CONNECT tunnel, and plain http to another host goes through a proxy only when the user opted in.
/// </summary>
public sealed class ProxyTests
{
    private static readonly string Key = FirecrawlEmulator.NewApiKey();

    public static TheoryData<string, string> LoopbackHostsOnBothPaths()
    {
        var rows = new TheoryData<string, string>();
        foreach (string path in new[] { Clients.Plain, Clients.Injected })
        {
            rows.Add(path, "127.0.0.1");
            rows.Add(path, "localhost");
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(LoopbackHostsOnBothPaths))]
    public async Task CancelBatchScrapeAsync_LoopbackServerWithAProxyConfigured_GoesDirectAndTheProxySeesNothing(string path, string host)
    {
        await using var proxy = new FakeProxy();
        var options = new FirecrawlEmulatorOptions();
        options.ApiKeys.Add(Key);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        string id = emulator.CreateBatchScrapeJob();
        var address = new UriBuilder(emulator.BaseAddress) { Host = host }.Uri;
        using Clients clients = Clients.For(emulator, path, o =>
        {
            o.BaseAddress = address;
            o.ApiKey = Key;
            o.SystemProxy = proxy.AsSystemProxy;
        });

        CancelBatchScrapeResult result = await clients.Client.CancelBatchScrapeAsync(id);

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Empty(proxy.Seen);
        Assert.Equal("Bearer " + Key, emulator.Requests.Single().Headers["Authorization"]);
    }

    [Theory]
    [MemberData(nameof(Clients.Paths), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_HttpsServerBehindAProxy_TheProxySeesOnlyAConnectWithoutTheKey(string path)
    {
        await using var proxy = new FakeProxy();
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        using Clients clients = Clients.For(emulator, path, o =>
        {
            o.BaseAddress = new Uri("https://firecrawl.invalid");
            o.ApiKey = Key;
            o.MaxRetries = 0;
            o.SystemProxy = proxy.AsSystemProxy;
        });

        await Assert.ThrowsAnyAsync<FirecrawlException>(() => clients.Client.CancelBatchScrapeAsync("019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f"));

        string seen = Assert.Single(proxy.Seen);
        Assert.StartsWith("CONNECT firecrawl.invalid:443 ", seen, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, seen, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", seen, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Clients.Paths), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapeAsync_PlainHttpToAnotherHostWithOptIn_GoesThroughTheProxyAsTheUserAllowed(string path)
    {
        await using var proxy = new FakeProxy();
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        using Clients clients = Clients.For(emulator, path, o =>
        {
            o.BaseAddress = new Uri("http://firecrawl.invalid");
            o.ApiKey = Key;
            o.AllowApiKeyOverPlainHttp = true;
            o.MaxRetries = 0;
            o.SystemProxy = proxy.AsSystemProxy;
        });

        await Assert.ThrowsAsync<FirecrawlServerException>(() => clients.Client.CancelBatchScrapeAsync("019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f"));

        Assert.StartsWith("DELETE http://firecrawl.invalid/v1/batch/scrape/", Assert.Single(proxy.Seen), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PlainHttpToAnotherHostWithAKeyWithoutOptIn_IsRefusedBeforeAnyProxyIsAsked()
    {
        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(new FirecrawlClientOptions
        {
            BaseAddress = new Uri("http://firecrawl.invalid"),
            ApiKey = Key,
        }));

        Assert.Contains("AllowApiKeyOverPlainHttp", error.Message, StringComparison.Ordinal);
    }
}
