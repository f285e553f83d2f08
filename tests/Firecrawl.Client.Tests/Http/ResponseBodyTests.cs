using System.Net;
using System.Text;
using System.Text.Json;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class ResponseBodyTests
{
    [Theory]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("""{"status":""")]
    [InlineData("""{"success":"yes"}""")]
    [InlineData("[1,2,3]")]
    public async Task CancelBatchScrapeAsync_200WithUnreadableBody_ThrowsFirecrawlExceptionNotJsonException(string body)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, body);
        using var client = Stub.Client(mock);

        Exception error = await Record.ExceptionAsync(() => client.CancelBatchScrapeAsync(Stub.JobId));

        var api = Assert.IsAssignableFrom<FirecrawlApiException>(error);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Contains("not a cancel response", api.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"status":"scraping"}""")]
    [InlineData("""{"success":false,"error":"Could not cancel"}""")]
    [InlineData("{}")]
    public async Task CancelBatchScrapeAsync_200ThatDoesNotConfirm_ThrowsApiExceptionWithTheText(string body)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, body);
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Contains("without confirming the cancel", error.Message, StringComparison.Ordinal);
        Assert.Equal(body, error.Error.RawBody);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_StreamedSuccessBodyWithoutLength_IsReadWhole()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new MemoryStream("""{"status":"cancelled","message":"done"}"""u8.ToArray())),
        });
        using var client = Stub.Client(mock);

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId);

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal("done", result.Message);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_StreamedErrorBodyLargerThanTheFirstBuffer_IsKeptWhole()
    {
        string body = "{\"error\":\"Job not found\",\"padding\":\"" + new string('p', 3000) + "\"}";
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StreamContent(new ChunkedStream(Encoding.UTF8.GetBytes(body), chunk: 700)),
        });
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(body, error.Error.RawBody);
        Assert.Equal("Job not found", error.Error.Message);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_HugeErrorBody_KeepsOnlyABoundedRawBody()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent(new string('<', 5_000_000), Encoding.UTF8, "text/html"),
        });
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlNotFoundException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.True(error.Error.RawBodyTruncated);
        Assert.Equal(FirecrawlError.MaxRawBodyLength, error.Error.RawBody!.Length);
        Assert.True(error.Message.Length < 1000, "The message must stay readable, not carry the body.");
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_SuccessBodyOverTheBound_IsAnApiExceptionLikeAnyUnreadable200()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("{\"status\":\"cancelled\",\"pad\":\"" + new string('x', 70_000) + "\"}", Encoding.UTF8, "application/json"),
        });
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.True(error.Error.RawBodyTruncated);
        Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Contains("with a body over 65536 bytes, which is not a cancel response", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetActiveCrawlsAsync_ListOverSixteenMebibytes_IsAnApiExceptionNotAPartialList()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/active").Respond(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("{\"success\":true,\"crawls\":[" + string.Concat(Enumerable.Repeat("{\"id\":\"0123456789abcdef0123456789abcdef\"},", 400_000)) + "]}", Encoding.UTF8, "application/json"),
        });
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.GetActiveCrawlsAsync());

        Assert.Contains($"with a body over {16 * 1024 * 1024} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_ErrorWithDetails_KeepsDetailsAsJson()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.BadRequest,
            """{"success":false,"error":"Bad Request","code":"BAD_REQUEST","details":[{"path":["id"],"message":"Invalid uuid"}]}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal("BAD_REQUEST", error.Error.Code);
        JsonElement details = Assert.NotNull(error.Error.Details);
        Assert.Equal(JsonValueKind.Array, details.ValueKind);
        Assert.Equal("Invalid uuid", details[0].GetProperty("message").GetString());
        Assert.False(error.Error.RawBodyTruncated);
    }

    [Theory]
    [InlineData("""{"error":{"nested":"object"}}""", "HTTP 500 with a JSON body that has no 'error' text.")]
    [InlineData("""{"message":"Only a message field"}""", "Only a message field")]
    [InlineData("""{"error":"x","code":42}""", "x")]
    [InlineData("\"just a string\"", "HTTP 500 with a JSON body that has no 'error' text.")]
    public async Task CancelBatchScrapeAsync_ErrorBodyOfUnexpectedShape_StillGivesAUsefulMessage(string body, string expected)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.InternalServerError, body);
        using var client = Stub.Client(mock, o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(expected, error.Error.Message);
    }

    [Fact]
    public void FirecrawlApiException_PublicConstructor_BuildsMessageFromError()
    {
        var error = new FirecrawlError { Message = "Job not found", ExceptionId = "4f9938d9e4d34fdcbd2a1a4bcaa02c0b" };

        var exception = new FirecrawlNotFoundException(error);

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Contains("404", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Job not found", exception.Message, StringComparison.Ordinal);
        Assert.Contains("4f9938d9e4d34fdcbd2a1a4bcaa02c0b", exception.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), new FirecrawlRateLimitException(error, TimeSpan.FromSeconds(5)).RetryAfter);
    }

    /// <summary>Hands its bytes out a few hundred at a time and has no length, as a socket does.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    [Theory]
    [InlineData("GetActiveCrawls", 200, 16 * 1024 * 1024)]
    [InlineData("GetActiveCrawls", 500, 64 * 1024)]
    [InlineData("GetActiveCrawls", 404, 64 * 1024)]
    [InlineData("CancelBatchScrape", 200, 64 * 1024)]
    [InlineData("CancelBatchScrape", 500, 64 * 1024)]
    public async Task EachOperation_ReadsAtMostItsOwnBoundForTheAnswer_ErrorsAt64KiB(string operation, int status, int bound)
    {
        // A 32 MiB body counted as it is read: the client must stop at the bound for this operation and this status.
        var body = new CountingStream(32L * 1024 * 1024);
        using var mock = Stub.Mock();
        mock.When("*").Respond(_ => new HttpResponseMessage((HttpStatusCode)status) { Content = new StreamContent(body) });
        using var client = Stub.Client(mock, o => o.MaxRetries = 0);

        await Assert.ThrowsAnyAsync<FirecrawlException>(() => operation == "GetActiveCrawls"
            ? client.GetActiveCrawlsAsync()
            : client.CancelBatchScrapeAsync(Stub.JobId));

        // Streams are read in chunks, so the count may pass the bound by one chunk, never by a second bound.
        Assert.InRange(body.Taken, bound, bound + (128 * 1024));
    }

    /// <summary>An endless run of 'x' up to a length, counting what the reader took.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long Taken { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => Taken; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - Taken);
            Array.Fill(buffer, (byte)'x', offset, n);
            Taken += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void Sink_GivesItsPooledArrayBackWiped_SoAnEchoedKeyIsNotLeftForTheNextRenter()
    {
        byte[] echoed = Encoding.UTF8.GetBytes("""{"error":"bad token """ + Stub.SecretKey + "\"}");
        using var sink = ResponseBody.CreateSink(64 * 1024);
        sink.Write(echoed);
        using var content = new ByteArrayContent(echoed);

        ResponseBody body = sink.Complete(content);

        // The shared pool hands the array it was just given back to the next renter on this thread.
        byte[] next = System.Buffers.ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            Assert.Equal(echoed.Length, body.Length);
            Assert.False(next.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Stub.SecretKey)) >= 0, "The pooled array still held the key.");
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(next);
        }
    }
}
