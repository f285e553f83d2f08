using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.Tests;

/// <summary>Reading the server's wait: the header first, then the 429 message text.</summary>
public sealed class RetryHintTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("Rate limit exceeded. ... or please retry after 60s, resets at Sun Nov 29 2026", 60.0)]
    [InlineData("please retry after 1s", 1.0)]
    [InlineData("Retry After 7 s", 7.0)]
    [InlineData("retry after 1.5 seconds", 1.5)]
    [InlineData("retry after 2 sec", 2.0)]
    [InlineData("retry after 3 secs", 3.0)]
    [InlineData("retry after 4 second", 4.0)]
    [InlineData("retry after 999999999s", 999999999.0)]
    [InlineData("retry after 0.125s", 0.125)]
    public void FromMessage_TextWithAHint_ReadsTheSeconds(string message, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryHint.FromMessage(message));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Rate limit exceeded.")]
    [InlineData("retry after 60")]
    [InlineData("retry after 60 minutes")]
    [InlineData("retry after 60sx")]
    [InlineData("retry after 1234567890s")]
    [InlineData("retry after -5s")]
    [InlineData("retry after s")]
    public void FromMessage_NoUsableHint_IsNull(string? message)
    {
        Assert.Null(RetryHint.FromMessage(message));
    }

    [Fact]
    public void Read_RetryAfterSeconds_WinsOverTheMessage()
    {
        using HttpResponseMessage response = Response(HttpStatusCode.TooManyRequests, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));

        ServerHint? hint = RetryHint.Read(response, Body("retry after 60s"), Time, random: 0);

        Assert.Equal(ServerHint.Exact(TimeSpan.FromSeconds(7), RetryHint.FromHeader), hint);
    }

    [Fact]
    public void Read_RetryAfterHttpDate_IsTheTimeUntilThatDate()
    {
        using HttpResponseMessage response = Response(HttpStatusCode.ServiceUnavailable, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(Time.GetUtcNow().AddSeconds(20)));

        Assert.Equal(ServerHint.Exact(TimeSpan.FromSeconds(20), RetryHint.FromHeader), RetryHint.Read(response, default, Time, random: 0));
    }

    [Fact]
    public void Read_RetryAfterDateInThePast_IsZero()
    {
        using HttpResponseMessage response = Response(HttpStatusCode.ServiceUnavailable, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(Time.GetUtcNow().AddSeconds(-20)));

        Assert.Equal(TimeSpan.Zero, RetryHint.Read(response, default, Time, random: 0)!.Value.Wait);
    }

    [Fact]
    public void Read_429WithTextHint_ReadsTheText()
    {
        using HttpResponseMessage response = Response(HttpStatusCode.TooManyRequests);

        Assert.Equal(
            new ServerHint(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60.5), RetryHint.FromMessageText),
            RetryHint.Read(response, Body("please retry after 60s"), Time, random: 0));
    }

    [Fact]
    public void Read_OtherStatusWithTextHint_IgnoresTheText()
    {
        using HttpResponseMessage response = Response(HttpStatusCode.ServiceUnavailable);

        Assert.Null(RetryHint.Read(response, Body("please retry after 60s"), Time, random: 0));
    }

    [Fact]
    public void Read_429WithEmptyBodyAndNoHeader_IsNull()
    {
        using HttpResponseMessage response = Response(HttpStatusCode.TooManyRequests);

        Assert.Null(RetryHint.Read(response, default, Time, random: 0));
    }

    [Theory]
    [InlineData(58, 0.0, 58_500)]
    [InlineData(58, 0.5, 58_625)]
    [InlineData(58, 1.0, 58_750)]
    [InlineData(1, 0.0, 1_500)]
    public void Pad_TextHint_AddsHalfASecondAndUpToAQuarterSecondOfJitter(int named, double random, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryHint.Pad(TimeSpan.FromSeconds(named), random));
    }

    [Fact]
    public void Read_429TextHint_IsPaddedButKeepsTheNamedWait()
    {
        using HttpResponseMessage response = Response(HttpStatusCode.TooManyRequests);

        ServerHint hint = RetryHint.Read(response, Body("please retry after 58s"), Time, random: 1.0)!.Value;

        Assert.Equal(TimeSpan.FromSeconds(58), hint.Named);
        Assert.Equal(TimeSpan.FromMilliseconds(58_750), hint.Wait);
    }

    private static HttpResponseMessage Response(HttpStatusCode status, Action<HttpResponseMessage>? customize = null)
    {
        var response = new HttpResponseMessage(status);
        customize?.Invoke(response);
        return response;
    }

    private static byte[] Body(string error) => Encoding.UTF8.GetBytes($$"""{"success":false,"error":"{{error}}"}""");
}
