using System.Net;
using System.Net.Sockets;

namespace Firecrawl.Client.Testing.Tests.Emulation;

/// <summary>Where the library's emulator listens: a named port, a host, and the errors when it cannot.</summary>
public sealed class EmulatorListenTests
{
    [Fact]
    public async Task Port_Named_IsTheOneItListensOn()
    {
        int port = FreePort();

        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Port = port });

        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), emulator.BaseAddress);
    }

    [Fact]
    public async Task Port_Taken_FailsWithAnIOExceptionThatSaysWhatToDo()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<IOException>(() => FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Port = port }));

        Assert.Equal($"The emulator cannot listen on 127.0.0.1:{port}: the port is in use, most likely by another server. Choose another port, or 0 for a free one.", error.Message);
    }

    [Theory]
    [InlineData("::1", "http://[::1]:")]
    [InlineData("[::1]", "http://[::1]:")]
    [InlineData("localhost", "http://127.0.0.1:")]
    public async Task Host_LoopbackForms_AreServed(string host, string expected)
    {
        if (host.Contains(':', StringComparison.Ordinal) && !Socket.OSSupportsIPv6)
        {
            return;
        }

        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Host = host });
        using FirecrawlClient client = emulator.CreateClient();

        Assert.StartsWith(expected, emulator.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelCrawlAsync(emulator.CreateCrawlJob())).Outcome);
    }

    [Fact]
    public async Task Host_NotThisMachines_FailsSayingSo()
    {
        var error = await Assert.ThrowsAsync<IOException>(() => FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Host = "192.0.2.1" }));

        Assert.Contains("192.0.2.1:0: that address is not one of this machine's", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_ThatCannotWork_AreRefusedNamingEachSetting()
    {
        var options = new FirecrawlEmulatorOptions { Port = 70000, Host = "example.com", RateLimitPerWindow = 0, RateLimitWindow = TimeSpan.Zero };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => FirecrawlEmulator.StartAsync(options));

        Assert.Contains("Port must be from 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host must be an IP address", error.Message, StringComparison.Ordinal);
        Assert.Contains("RateLimitPerWindow", error.Message, StringComparison.Ordinal);
        Assert.Contains("RateLimitWindow must be longer than zero", error.Message, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
