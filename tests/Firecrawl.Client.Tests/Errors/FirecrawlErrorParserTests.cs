using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Firecrawl.Client.Tests;

/// <summary>The error parser on its own: what it keeps of a body, how it describes one it cannot read, what it masks.</summary>
public sealed class FirecrawlErrorParserTests
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue Html = new("text/html");

    [Fact]
    public void Parse_ErrorField_IsTheMessage()
    {
        FirecrawlError error = Parse("""{"success":false,"error":"Job not found"}""");

        Assert.Equal("Job not found", error.Message);
        Assert.Null(error.Code);
        Assert.Null(error.Details);
        Assert.Null(error.ExceptionId);
        Assert.Equal("""{"success":false,"error":"Job not found"}""", error.RawBody);
        Assert.False(error.RawBodyTruncated);
    }

    [Fact]
    public void Parse_NoErrorButMessage_FallsBackToMessage()
    {
        Assert.Equal("Batch scrape job not found.", Parse("""{"message":"Batch scrape job not found."}""").Message);
    }

    [Fact]
    public void Parse_ErrorAndMessage_PrefersError()
    {
        Assert.Equal("first", Parse("""{"message":"second","error":"first"}""").Message);
    }

    [Theory]
    [InlineData("""{"error":42}""", "42")]
    [InlineData("""{"error":true}""", "true")]
    [InlineData("""{"error":false}""", "false")]
    public void Parse_ScalarErrorThatIsNotAString_KeepsItsText(string body, string expected)
    {
        Assert.Equal(expected, Parse(body).Message);
    }

    [Fact]
    public void Parse_ErrorThatIsAnObject_DescribesTheBodyInstead()
    {
        Assert.Equal("HTTP 500 with a JSON body that has no 'error' text.", Parse("""{"error":{"nested":1}}""").Message);
    }

    [Fact]
    public void Parse_CodeAndDetails_AreKept()
    {
        FirecrawlError error = Parse("""{"success":false,"code":"BAD_REQUEST","error":"Bad Request","details":[{"path":["url"]}]}""");

        Assert.Equal("BAD_REQUEST", error.Code);
        Assert.Equal(JsonValueKind.Array, error.Details!.Value.ValueKind);
        Assert.Equal("url", error.Details.Value[0].GetProperty("path")[0].GetString());
    }

    [Fact]
    public void Parse_NullDetails_IsNoDetails()
    {
        Assert.Null(Parse("""{"error":"x","details":null}""").Details);
    }

    [Theory]
    [InlineData("Your exception ID is 4f9938d9e4d34fdcbd2a1a4bcaa02c0b", "4f9938d9e4d34fdcbd2a1a4bcaa02c0b")]
    [InlineData("your Exception id is 4F9938D9E4D34FDCBD2A1A4BCAA02C0B.", "4F9938D9E4D34FDCBD2A1A4BCAA02C0B")]
    [InlineData("Your exception ID is 4f9938d9e4d34fdcbd2a1a4bcaa02c0", null)]
    [InlineData("Your exception ID is 4f9938d9e4d34fdcbd2a1a4bcaa02c0bb", null)]
    [InlineData("no id here", null)]
    [InlineData("Your exception ID is 0b8a3c4e-2f1d-4e5a-9b6c-7d8e9f0a1b2c", "0b8a3c4e-2f1d-4e5a-9b6c-7d8e9f0a1b2c")]
    [InlineData("Your exception ID is 0b8a3c4e-2f1d-4e5a-9b6c-7d8e9f0a1b2", null)]
    [InlineData("Your exception ID is 0b8a3c4e-2f1d-4e5a-9b6c-7d8e9f0a1b2cd", null)]
    public void Parse_ExceptionIdInTheText_IsFoundOnlyWhenItIs32HexDigitsOrAUuid(string text, string? expected)
    {
        Assert.Equal(expected, Parse($$"""{"error":"{{JsonEncodedText.Encode(text)}}"}""").ExceptionId);
    }

    [Fact]
    public void Parse_EmptyBody_SaysSo()
    {
        FirecrawlError error = FirecrawlErrorParser.Parse(HttpStatusCode.BadGateway, null, default, truncated: false, SecretRedactor.None);

        Assert.Equal("HTTP 502 with an empty body.", error.Message);
        Assert.Null(error.RawBody);
    }

    [Fact]
    public void Parse_HtmlPage_GivesTheTypeAndACollapsedSnippet()
    {
        FirecrawlError error = Parse("<html>\r\n  <body>\n\n<h1>502   Bad Gateway</h1></body></html>", HttpStatusCode.BadGateway, Html);

        Assert.Equal("HTTP 502 with a non-JSON body (text/html): <html> <body> <h1>502 Bad Gateway</h1></body></html>", error.Message);
    }

    [Fact]
    public void Parse_NonJsonWithoutContentType_SaysNoContentType()
    {
        FirecrawlError error = FirecrawlErrorParser.Parse(HttpStatusCode.InternalServerError, null, "oops"u8, truncated: false, SecretRedactor.None);

        Assert.Equal("HTTP 500 with a non-JSON body (no content type): oops", error.Message);
    }

    [Fact]
    public void Parse_LongNonJsonBody_SnippetIsCutAt200Characters()
    {
        string message = Parse(new string('a', 5000), HttpStatusCode.BadGateway, Html).Message;

        Assert.EndsWith(": " + new string('a', 200) + "...", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongBodyThatStartsWithWhitespace_SnippetComesFromItsFirst800Characters()
    {
        string body = new string(' ', 790) + string.Concat(Enumerable.Repeat("abcdefghij", 30));

        string message = Parse(body, HttpStatusCode.BadGateway, Html).Message;

        Assert.Equal("HTTP 502 with a non-JSON body (text/html): abcdefghij", message);
    }

    [Fact]
    public void Parse_SnippetOfExactly200Characters_IsNotCut()
    {
        string message = Parse(new string('a', 200), HttpStatusCode.BadGateway, Html).Message;

        Assert.EndsWith(": " + new string('a', 200), message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RawBodyLongerThanTheLimit_IsCutAndFlagged()
    {
        string body = """{"error":"x","pad":" """ + new string('p', 10_000) + "\"}";

        FirecrawlError error = Parse(body);

        Assert.Equal(FirecrawlError.MaxRawBodyLength, error.RawBody!.Length);
        Assert.True(error.RawBodyTruncated);
    }

    [Fact]
    public void Parse_RawBodyOfExactlyTheLimit_IsKeptWhole()
    {
        string body = "x" + new string(' ', FirecrawlError.MaxRawBodyLength - 1);

        FirecrawlError error = Parse(body, HttpStatusCode.BadGateway, Html);

        Assert.Equal(FirecrawlError.MaxRawBodyLength, error.RawBody!.Length);
        Assert.False(error.RawBodyTruncated);
    }

    [Fact]
    public void Parse_BodyCutByTheReader_IsFlaggedTruncated()
    {
        FirecrawlError error = FirecrawlErrorParser.Parse(HttpStatusCode.BadGateway, Html, "abc"u8, truncated: true, SecretRedactor.None);

        Assert.True(error.RawBodyTruncated);
    }

    [Fact]
    public void Parse_ServerEchoesTheKey_NoFieldKeepsIt()
    {
        var redactor = new SecretRedactor(Stub.SecretKey, []);
        string body = $$$"""{"success":false,"code":"{{{Stub.SecretKey}}}","error":"Unauthorized: Invalid token Bearer {{{Stub.SecretKey}}}","details":{"auth":"{{{Stub.SecretKey}}}"}}""";

        FirecrawlError error = FirecrawlErrorParser.Parse(HttpStatusCode.Unauthorized, Json, Encoding.UTF8.GetBytes(body), truncated: false, redactor);

        Assert.DoesNotContain(Stub.SecretKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Stub.SecretKey, error.RawBody!, StringComparison.Ordinal);
        Assert.DoesNotContain(Stub.SecretKey, error.Code!, StringComparison.Ordinal);
        Assert.DoesNotContain(Stub.SecretKey, error.Details!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("Unauthorized: Invalid token [REDACTED]", error.Message);
    }

    [Fact]
    public void Parse_ServerEchoesTheKeyJsonEscaped_TheDecodedMessageIsMaskedToo()
    {
        var redactor = new SecretRedactor(Stub.SecretKey, []);
        string escaped = "\\u0066" + Stub.SecretKey[1..];
        string body = $$"""{"error":"token {{escaped}} is invalid"}""";

        FirecrawlError error = FirecrawlErrorParser.Parse(HttpStatusCode.Unauthorized, Json, Encoding.UTF8.GetBytes(body), truncated: false, redactor);

        Assert.Equal("token [REDACTED] is invalid", error.Message);
    }

    private static FirecrawlError Parse(string body, HttpStatusCode status = HttpStatusCode.InternalServerError, MediaTypeHeaderValue? contentType = null) =>
        FirecrawlErrorParser.Parse(status, contentType ?? Json, Encoding.UTF8.GetBytes(body), truncated: false, SecretRedactor.None);
}
