using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class JobIdTests
{
    public static TheoryData<string> HostileIds => new()
    {
        "", " ", "\t", "a/b", "/", "..", ".", "x?y#z", "a?b", "a#b", "a\\b", "a\u0000b", "a\nb", "a\rb", "a\u007fb", " padded", "padded ",
        "../../v1/crawl/x",
        "a\u0085b", "a\u009Bb",
    };

    // Built here rather than passed as theory data: xUnit's serialization of theory arguments would replace an unpaired
    // surrogate with U+FFFD before the test saw it.
    private static readonly string[] UnpairedSurrogates = ["a\uD800b", "a\uDC00b", "\uDC00\uD800", "end\uD83D", "\uDE00start"];

    [Fact]
    public async Task CancelBatchScrapeAsync_UnpairedSurrogates_ThrowArgumentExceptionBeforeAnyRequest()
    {
        using var mock = Stub.Mock();
        MockedRequest anything = mock.When("*").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock);

        foreach (string id in UnpairedSurrogates)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => client.CancelBatchScrapeAsync(id));
            await Assert.ThrowsAsync<ArgumentException>(() => client.CancelCrawlAsync(id));
            Assert.Equal("id", error.ParamName);
            Assert.Contains("unpaired UTF-16 surrogate", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, mock.GetMatchCount(anything));
    }

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
    public async Task CancelBatchScrapeAsync_UnpairedSurrogate_MessageNamesItWithoutSendingAReplacement()
    {
        using var mock = Stub.Mock();
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.CancelBatchScrapeAsync("a\uD800b"));

        Assert.Contains("unpaired UTF-16 surrogate (U+D800) at position 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..", "The job id '..' is a relative path segment, not a job id. (Parameter 'id')")]
    [InlineData(" x", "The job id ' x' has leading or trailing whitespace; pass the id exactly as Firecrawl returned it. (Parameter 'id')")]
    [InlineData("a/b", "The job id 'a/b' contains '/', which would change the URL; a job id is a single path segment such as a UUID. (Parameter 'id')")]
    [InlineData("a\u0001b", "The job id 'a?b' contains the control character U+0001; a job id is a single path segment such as a UUID. (Parameter 'id')")]
    [InlineData("", "The job id is empty; pass the id Firecrawl returned when the job was started. (Parameter 'id')")]
    public void ThrowIfInvalid_EachKindOfBadId_SaysWhatIsWrong(string id, string expected)
    {
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => JobIdValidator.ThrowIfInvalid(id)).Message);
    }

    [Theory]
    [InlineData(257)]
    [InlineData(1024 * 1024)]
    public async Task CancelBatchScrapeAsync_AnIdLongerThanAnyJobId_IsRefusedAndQuotedByItsStartAndLength(int length)
    {
        using var mock = Stub.Mock();
        using var client = Stub.Client(mock);
        string id = "a" + new string('b', length - 1);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.CancelBatchScrapeAsync(id));

        Assert.True(error.Message.Length < 400, $"The message is {error.Message.Length} characters.");
        Assert.Contains($"'a{new string('b', 63)}…' ({length:N0} characters)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_AnIdOf256Characters_IsSent()
    {
        using var mock = Stub.Mock();
        Func<string?> seen = Stub.CaptureUrl(mock);
        using var client = Stub.Client(mock);

        await client.CancelBatchScrapeAsync(new string('c', JobIdValidator.MaxLength));

        Assert.EndsWith(new string('c', JobIdValidator.MaxLength), seen(), StringComparison.Ordinal);
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
    [InlineData("a%2Fb", "a%252Fb")]
    [InlineData("job😀", "job%F0%9F%98%80")]
    [InlineData("\u00E9t\u00E9", "%C3%A9t%C3%A9")]
    public async Task CancelBatchScrapeAsync_AnyOtherId_SentAsExactlyOneEscapedSegment(string id, string expectedSegment)
    {
        using var mock = Stub.Mock();
        Func<string?> seen = Stub.CaptureUrl(mock);
        using var client = Stub.Client(mock);

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(id);

        Assert.Equal(Stub.Base + "/v1/batch/scrape/" + expectedSegment, seen());
        Assert.Equal(id, Uri.UnescapeDataString(expectedSegment));
        Assert.Equal(id, result.JobId);
    }
}
