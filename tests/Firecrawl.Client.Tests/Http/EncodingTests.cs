using System.Net;
using System.Text;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>Bodies in the encodings servers and proxies really send: a byte-order mark, another declared charset.</summary>
public sealed class EncodingTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    [Theory]
    [InlineData("""{"status":"cancelled"}""")]
    [InlineData("""{"success":true,"status":"cancelled"}""")]
    public async Task CancelBatchScrapeAsync_SuccessBodyWithUtf8ByteOrderMark_IsCancelled(string body)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => Raw(HttpStatusCode.OK, [.. Bom, .. Encoding.UTF8.GetBytes(body)], "application/json"));
        using var client = Stub.Client(mock);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_ErrorBodyWithByteOrderMark_ReadsTheErrorText()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => Raw(HttpStatusCode.NotFound, [.. Bom, .. """{"error":"Job not found"}"""u8], "application/json"));
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal("Job not found", error.Error.Message);
        Assert.Equal("""{"error":"Job not found"}""", error.Error.RawBody);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    [InlineData("iso-8859-1")]
    [InlineData("\"UTF-16\"")]
    public async Task CancelBatchScrapeAsync_BodyInADeclaredCharset_IsTranscodedBeforeParsing(string charset)
    {
        Encoding encoding = Encoding.GetEncoding(charset.Trim('"'));
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => Raw(HttpStatusCode.OK, encoding.GetBytes("""{"status":"cancelled"}"""), $"application/json; charset={charset}"));
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => Raw(HttpStatusCode.Forbidden, encoding.GetBytes("""{"error":"Unauthorized: équipe"}"""), $"application/json; charset={charset}"));
        using var client = Stub.Client(mock);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
        var error = await Assert.ThrowsAsync<FirecrawlForbiddenException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
        Assert.Equal("Unauthorized: équipe", error.Error.Message);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_Utf16WithItsOwnByteOrderMark_IsCancelled()
    {
        using var mock = Stub.Mock();
        byte[] body = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("""{"status":"cancelled"}""")];
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => Raw(HttpStatusCode.OK, body, "application/json; charset=utf-16"));
        using var client = Stub.Client(mock);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_UnknownCharset_ReadsTheBytesAsUtf8()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => Raw(HttpStatusCode.OK, """{"status":"cancelled"}"""u8.ToArray(), "application/json; charset=x-made-up"));
        using var client = Stub.Client(mock);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
    }

    private static HttpResponseMessage Raw(HttpStatusCode status, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return new HttpResponseMessage(status) { Content = content };
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("application/json", null)]
    [InlineData("application/json; charset=utf-8", "utf-8")]
    [InlineData("application/json; charset=UTF-8", "utf-8")]
    [InlineData("application/json;charset=\"utf-16\"", "utf-16")]
    [InlineData("application/json; Charset = iso-8859-1 ; foo=bar", "iso-8859-1")]
    [InlineData("text/html; charset", null)]
    [InlineData("text/html; charset=", "")]
    public void CharsetOf_ReadsTheRawHeaderWithoutParsingIt(string? header, string? charset)
    {
        Assert.Equal(charset, ResponseBody.CharsetOf(header));
    }
}
