using System.Net.Http.Headers;
using System.Text;

namespace Firecrawl.Client.Tests;

/// <summary>
/// The bounded sink a body is copied into, and the body it becomes: exactly the bound is whole, one byte more is cut,
/// every write path counts the same, and the bytes come out as UTF-8 without a byte-order mark.
/// </summary>
public sealed class ResponseBodySinkTests
{
    [Fact]
    public void Sink_IsAWriteOnlyStream_WhoseLengthAndPositionAreWhatItHolds()
    {
        using var sink = ResponseBody.CreateSink(100);
        sink.Write("abc"u8);

        Assert.False(sink.CanRead);
        Assert.False(sink.CanSeek);
        Assert.True(sink.CanWrite);
        Assert.Equal(3, sink.Length);
        Assert.Equal(3, sink.Position);
        Assert.Equal(3, sink.Count);
        Assert.Throws<NotSupportedException>(() => sink.Position = 0);
        Assert.Throws<NotSupportedException>(() => sink.Read(new byte[1], 0, 1));
        Assert.Throws<NotSupportedException>(() => sink.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => sink.SetLength(0));
        sink.Flush();
    }

    [Fact]
    public void Sink_ExactlyTheBound_IsWhole_OneByteMoreIsCutAtTheBound()
    {
        using var sink = ResponseBody.CreateSink(10);

        sink.Write("0123456789"u8);
        Assert.False(sink.Truncated);
        Assert.Throws<ResponseBody.Sink.FullException>(() => sink.Write("x"u8));

        Assert.True(sink.Truncated);
        Assert.Equal(10, sink.Count);
        ResponseBody body = sink.Complete(new ByteArrayContent([]));
        Assert.Equal("0123456789", Encoding.UTF8.GetString(body.Span));
        Assert.True(body.Truncated);
    }

    [Fact]
    public void Sink_AWriteThatCrossesTheBound_KeepsThePartThatFits()
    {
        using var sink = ResponseBody.CreateSink(5);
        sink.Write("abc"u8);

        Assert.Throws<ResponseBody.Sink.FullException>(() => sink.Write("defgh"u8));

        Assert.Equal("abcde", Encoding.UTF8.GetString(sink.Complete(new ByteArrayContent([])).Span));
    }

    [Fact]
    public async Task Sink_EveryWritePath_AppendsTheSameBytes_PastItsFirstArray()
    {
        byte[] chunk = Encoding.ASCII.GetBytes(new string('a', 700) + new string('b', 700));
        using var sink = ResponseBody.CreateSink(64 * 1024);

        sink.Write(chunk, 700, 700);
        await sink.WriteAsync(chunk.AsMemory(0, 700));
#pragma warning disable CA1835 // The array overload is the path under test: older callers of a Stream still take it.
        await sink.WriteAsync(chunk, 0, 1400, CancellationToken.None);
#pragma warning restore CA1835
        sink.Write(chunk.AsSpan(1399));

        ResponseBody body = sink.Complete(new ByteArrayContent([]));
        Assert.Equal(new string('b', 700) + new string('a', 700) + new string('a', 700) + new string('b', 700) + "b", Encoding.ASCII.GetString(body.Span));
        Assert.False(body.Truncated);
    }

    [Fact]
    public void Sink_ABoundSmallerThanItsFirstArray_IsStillTheBound()
    {
        using var sink = ResponseBody.CreateSink(3);

        Assert.Throws<ResponseBody.Sink.FullException>(() => sink.Write("abcd"u8));
        Assert.Equal(3, sink.Count);
    }

    [Fact]
    public void Sink_AfterItsBodyIsTaken_RefusesMoreBytes()
    {
        var sink = ResponseBody.CreateSink(100);
        sink.Write("a"u8);
        sink.Complete(new ByteArrayContent([]));

        Assert.Throws<ObjectDisposedException>(() => sink.Write("b"u8));
    }

    [Fact]
    public void Sink_NothingWritten_IsAnEmptyBody()
    {
        using var sink = ResponseBody.CreateSink(100);

        ResponseBody body = sink.Complete(new ByteArrayContent([]));

        Assert.Equal(0, body.Length);
        Assert.True(body.Span.IsEmpty);
    }

    [Fact]
    public void Complete_ContentOffTheWire_ReadsItsRawContentType()
    {
        using var sink = ResponseBody.CreateSink(100);
        sink.Write(Encoding.Latin1.GetBytes("caf\u00E9"));
        var wire = new WatchedContent();
        wire.Headers.TryAddWithoutValidation("Content-Type", "text/plain; charset=iso-8859-1");

        ResponseBody body = sink.Complete(wire);

        Assert.Equal("caf\u00E9", Encoding.UTF8.GetString(body.Span));
        Assert.Equal("iso-8859-1", body.ContentType!.CharSet);
        Assert.True(wire.Disposed);
    }

    [Fact]
    public void Complete_ContentBuiltInMemory_ReadsItsParsedContentType()
    {
        using var sink = ResponseBody.CreateSink(100);
        sink.Write(Encoding.Latin1.GetBytes("caf\u00E9"));
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "iso-8859-1" };

        ResponseBody body = sink.Complete(content);

        Assert.Equal("caf\u00E9", Encoding.UTF8.GetString(body.Span));
        Assert.Same(content.Headers.ContentType, body.ContentType);
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' }, "{}")]
    [InlineData(new byte[] { 0xEF, 0xBB, (byte)'{' }, "\uFFFD{")]
    [InlineData(new byte[] { (byte)'{', 0xEF, 0xBB, 0xBF }, "{\uFEFF")]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF }, "")]
    public void Body_OnlyALeadingByteOrderMark_IsLeftOut(byte[] bytes, string text)
    {
        var body = new ResponseBody(bytes, bytes.Length, truncated: false, contentType: (string?)null);

        Assert.Equal(text, Encoding.UTF8.GetString(body.Span));
        Assert.Equal(body.Span.Length, body.Length);
    }

    [Theory]
    [InlineData("application/json; charset=utf-16", "utf-16")]
    [InlineData("application/json; charset=iso-8859-1", "iso-8859-1")]
    [InlineData("application/json; charset=us-ascii", "us-ascii")]
    [InlineData("application/json; charset=x-not-a-charset", "utf-8")]
    [InlineData("application/json", "utf-8")]
    public void Body_InADeclaredCharset_IsReadAsUtf8(string contentType, string sentIn)
    {
        string json = sentIn == "us-ascii" ? """{"a":"plain"}""" : """{"a":"caf\u00E9"}""";
        byte[] sent = Encoding.GetEncoding(sentIn).GetBytes(json);

        var body = new ResponseBody(sent, sent.Length, truncated: false, contentType);

        Assert.Equal(json, Encoding.UTF8.GetString(body.Span));
    }

    [Fact]
    public void Body_OnlyTheLengthGiven_IsRead_InItsCharsetToo()
    {
        byte[] utf8 = "{}garbage"u8.ToArray();
        byte[] utf16 = Encoding.Unicode.GetBytes("{}garbage");

        var plain = new ResponseBody(utf8, 2, truncated: true, contentType: (string?)null);
        var wide = new ResponseBody(utf16, 4, truncated: false, contentType: "text/plain; charset=utf-16");

        Assert.Equal(("{}", true), (Encoding.UTF8.GetString(plain.Span), plain.Truncated));
        Assert.Equal(("{}", false), (Encoding.UTF8.GetString(wide.Span), wide.Truncated));
    }

    [Fact]
    public void ContentType_ARawHeaderThatIsNotAMediaType_IsNone()
    {
        var body = new ResponseBody([], 0, truncated: false, contentType: "not a media type;;;=");

        Assert.Null(body.ContentType);
        Assert.Equal("application/json", new ResponseBody([], 0, false, "application/json").ContentType!.MediaType);
    }
}
