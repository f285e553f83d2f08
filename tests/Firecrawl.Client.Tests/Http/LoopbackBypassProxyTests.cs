using System.Net;

namespace Firecrawl.Client.Tests;

public sealed class LoopbackBypassProxyTests
{
    private static readonly Uri Proxy = new("http://proxy.test:3128/");

    [Theory]
    [InlineData("http://127.0.0.1:3002/v1/batch/scrape/x")]
    [InlineData("http://localhost:3002/")]
    [InlineData("http://[::1]:3002/")]
    [InlineData("http://127.1.2.3/")]
    public void Loopback_IsAlwaysReachedDirectly(string destination)
    {
        int reads = 0;
        var proxy = new LoopbackBypassProxy(() =>
        {
            reads++;
            return new WebProxy(Proxy);
        });

        Assert.Null(proxy.GetProxy(new Uri(destination)));
        Assert.True(proxy.IsBypassed(new Uri(destination)));
        Assert.Equal(0, reads);
    }

    [Fact]
    public void OtherHosts_UseTheMachinesProxyWhichIsReadOnce()
    {
        int reads = 0;
        var proxy = new LoopbackBypassProxy(() =>
        {
            reads++;
            return new WebProxy(Proxy);
        });

        Assert.Equal(Proxy, proxy.GetProxy(new Uri("https://api.firecrawl.dev/")));
        Assert.False(proxy.IsBypassed(new Uri("https://api.firecrawl.dev/")));
        Assert.Equal(Proxy, proxy.GetProxy(new Uri("http://selfhosted.test/")));
        Assert.Equal(1, reads);
    }

    [Fact]
    public void NoMachineProxy_EverythingGoesDirect()
    {
        var proxy = new LoopbackBypassProxy(static () => null);

        Assert.Null(proxy.GetProxy(new Uri("https://api.firecrawl.dev/")));
        Assert.True(proxy.IsBypassed(new Uri("https://api.firecrawl.dev/")));
        Assert.Null(proxy.Credentials);
        proxy.Credentials = CredentialCache.DefaultCredentials;
        Assert.Null(proxy.Credentials);
    }

    [Fact]
    public void Credentials_PassThroughToTheMachinesProxy()
    {
        var system = new WebProxy(Proxy);
        var proxy = new LoopbackBypassProxy(() => system);
        var credentials = new NetworkCredential("user", "pass");

        proxy.Credentials = credentials;

        Assert.Same(credentials, system.Credentials);
        Assert.Same(credentials, proxy.Credentials);
    }

    [Fact]
    public void MachinesProxyThatBypassesAHost_IsRespected()
    {
        var proxy = new LoopbackBypassProxy(static () => new WebProxy(Proxy, BypassOnLocal: false, BypassList: ["internal\\.test"]));

        Assert.True(proxy.IsBypassed(new Uri("http://internal.test/")));
    }
}
