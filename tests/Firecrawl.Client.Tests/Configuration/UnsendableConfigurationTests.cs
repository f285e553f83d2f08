using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// Configuration that can never work is refused when the client is built, naming the option, never at every call with
/// a misleading network failure after the retries.
/// </summary>
public sealed class UnsendableConfigurationTests
{
    public static TheoryData<string, string, string> Unsendable => new()
    {
        { "X-Tenant", "blåbær", "DefaultHeaders['X-Tenant'] has a character HttpClient cannot send" },
        { "X-Tenant", "snow☃man", "DefaultHeaders['X-Tenant'] has a character HttpClient cannot send" },
        { "X-Tenant", "a\u0000b", "DefaultHeaders['X-Tenant'] has a character HttpClient cannot send" },
        { "X-Tenant", "a\u007Fb", "DefaultHeaders['X-Tenant'] has a character HttpClient cannot send" },
        { "X-Tenant", "a\nb", "DefaultHeaders['X-Tenant'] has a character HttpClient cannot send" },
        { "X-Tenant", "åbc", "DefaultHeaders['X-Tenant'] has a character HttpClient cannot send" },
        { "X\u0001Tenant", "blue", "DefaultHeaders entry 'X?Tenant' is not a request header name" },
        { "X-Tenänt", "blue", "DefaultHeaders entry 'X-Tenänt' is not a request header name" },
        { "X:Tenant", "blue", "DefaultHeaders entry 'X:Tenant' is not a request header name" },
        { "Content-Type", "text/plain", "DefaultHeaders entry 'Content-Type' is not a request header name" },
    };

    [Theory]
    [MemberData(nameof(Unsendable))]
    public void Constructor_HeaderHttpClientCannotSend_ThrowsArgumentExceptionNamingTheOptionAndNotTheValue(string name, string value, string expected)
    {
        using var mock = Stub.Mock();
        MockedRequest anything = mock.When("*").Respond(System.Net.HttpStatusCode.OK, """{"status":"cancelled"}""");

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(Stub.Options(o => o.DefaultHeaders[name] = value), mock));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message.Replace(name, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(0, mock.GetMatchCount(anything));
    }

    [Theory]
    [MemberData(nameof(Unsendable))]
    public void AddFirecrawlClient_HeaderHttpClientCannotSend_FailsOptionsValidationAtStartUp(string name, string value, string expected)
    {
        var services = new ServiceCollection();
        services.AddFirecrawlClient(o =>
        {
            o.BaseAddress = new Uri(Stub.Base);
            o.DefaultHeaders[name] = value;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FirecrawlClientOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullHeaderValue_IsRefusedNamingTheEntry()
    {
        using var mock = Stub.Mock();

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(Stub.Options(o => o.DefaultHeaders["X-Tenant"] = null!), mock));

        Assert.Contains("DefaultHeaders['X-Tenant'] is null.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PrintableAsciiAndTabInAHeader_IsAccepted()
    {
        using var mock = Stub.Mock();
        string value = "\t" + new string(Enumerable.Range(0x20, 0x7F - 0x20).Select(static c => (char)c).ToArray());

        using var client = new FirecrawlClient(Stub.Options(o => o.DefaultHeaders["X-All-Printable"] = value), mock);

        Assert.NotNull(client);
    }

    [Theory]
    [InlineData("http://localhost:0/")]
    public void Constructor_BaseAddressWithPortZero_Throws(string address)
    {
        using var mock = Stub.Mock();

        var error = Assert.Throws<ArgumentException>(() => new FirecrawlClient(Stub.Options(o => o.BaseAddress = new Uri(address)), mock));

        Assert.Contains("a port between 1 and 65535", error.Message, StringComparison.Ordinal);
    }
}
