using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class JobIdTests
{
    public static TheoryData<string> HostileIds => new()
    {
        "", " ", "\t", "a/b", "/", "..", ".", "x?y#z", "a?b", "a#b", "a\\b", "a\u0000b", "a\nb", "a\rb", "a\u007fb", " padded", "padded ",
        "../../v1/crawl/x",
    };

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task CancelBatchScrapeAsync_HostileId_ThrowsArgumentExceptionBeforeAnyRequest(string id)
    {
        using var mock = Stub.Mock();
        MockedRequest anything = mock.When("*").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.CancelBatchScrapeAsync(id));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.CancelCrawlAsync(id));

        Assert.Equal("id", error.ParamName);
        Assert.Equal(0, mock.GetMatchCount(anything));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_NullId_ThrowsArgumentNullException()
    {
        using var mock = Stub.Mock();
        using var client = Stub.Client(mock);

        await Assert.ThrowsAsync<ArgumentNullException>(() => client.CancelBatchScrapeAsync(null!));
    }

    [Theory]
    [InlineData("019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f", "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f")] // UUIDv7
    [InlineData("3fa85f64-5717-4562-b3fc-2c963f66afa6", "3fa85f64-5717-4562-b3fc-2c963f66afa6")] // UUIDv4
    [InlineData("not-a-uuid", "not-a-uuid")]
    [InlineData("%2e%2e", "%252e%252e")]
    [InlineData("a b", "a%20b")]
    [InlineData("ü", "%C3%BC")]
    [InlineData("...", "...")]
    public async Task CancelBatchScrapeAsync_AnyOtherId_SentAsExactlyOneEscapedSegment(string id, string expectedSegment)
    {
        using var mock = Stub.Mock();
        Func<string?> seen = Stub.CaptureUrl(mock);
        using var client = Stub.Client(mock);

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(id);

        Assert.Equal(Stub.Base + "/v1/batch/scrape/" + expectedSegment, seen());
        Assert.Equal(id, result.JobId);
    }
}
