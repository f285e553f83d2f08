using System.Net;
using System.Text;
using System.Text.Json;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// How a status answer's bytes become a <see cref="FirecrawlJobStatus"/>: each field by its shape, a body cut at the
/// bound read as far as it goes, and only the fields a kind has.
/// </summary>
public sealed class JobStatusOperationTests
{
    private static FirecrawlJobStatus Parse(string json, FirecrawlJobKind? kind = null, bool isWhole = true, SecretRedactor? redactor = null) =>
        (kind ?? FirecrawlJobKind.Crawl).StatusOperation.Parse(Encoding.UTF8.GetBytes(json), isWhole, Stub.JobId, redactor ?? SecretRedactor.None);

    [Fact]
    public void Parse_EveryField_IsRead_AndTheJobIsNamed()
    {
        FirecrawlJobStatus status = Parse("""{"success":true,"status":"scraping","completed":2,"total":9,"creditsUsed":4,"expiresAt":"2026-12-09T01:02:03Z","error":"slow"}""");

        Assert.Equal(Stub.JobId, status.JobId);
        Assert.Same(FirecrawlJobKind.Crawl, status.Kind);
        Assert.Equal(("scraping", FirecrawlJobState.Running), (status.Status, status.State));
        Assert.Equal((2, 9, 4), (status.Completed, status.Total, status.CreditsUsed));
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 1, 2, 3, TimeSpan.Zero), status.ExpiresAt);
        Assert.Equal("slow", status.Error);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("3.0", 3)]
    [InlineData("1e3", 1000)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("-2147483648", int.MinValue)]
    [InlineData("2147483648", null)]
    [InlineData("-2147483649", null)]
    [InlineData("1e300", null)]
    [InlineData("\"3\"", null)]
    [InlineData("null", null)]
    [InlineData("true", null)]
    [InlineData("[3]", null)]
    public void Parse_ACount_IsANumberThatFitsAnInt_AnythingElseIsNoCount(string value, int? expected)
    {
        FirecrawlJobStatus status = Parse($$"""{"status":"scraping","completed":{{value}},"total":{{value}},"creditsUsed":{{value}}}""");

        Assert.Equal(expected, status.Completed);
        Assert.Equal(expected, status.Total);
        Assert.Equal(expected is >= 0 ? expected : null, status.CreditsUsed);
    }

    [Theory]
    [InlineData("\"2026-12-09T01:02:03\"", "2026-12-09T01:02:03+00:00")]
    [InlineData("\"2026-12-09T03:02:03+02:00\"", "2026-12-09T01:02:03+00:00")]
    [InlineData("\"soon\"", null)]
    [InlineData("1765242123", null)]
    [InlineData("{\"at\":\"2026-12-09T01:02:03Z\"}", null)]
    public void Parse_ExpiresAt_IsATimestamp_ReadAsUtcWhenItNamesNoOffset(string value, string? expected)
    {
        FirecrawlJobStatus status = Parse($$"""{"status":"completed","expiresAt":{{value}},"total":5}""");

        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), status.ExpiresAt);
        Assert.Equal(5, status.Total);
    }

    [Fact]
    public void Parse_AnErrorThatIsNotText_IsSkippedWhole_AndTheFieldsAfterItAreRead()
    {
        FirecrawlJobStatus status = Parse("""{"status":"failed","error":{"code":1,"text":"cancel"},"creditsUsed":2}""", FirecrawlJobKind.Agent);

        Assert.Null(status.Error);
        Assert.Equal(FirecrawlJobState.Failed, status.State);
        Assert.Equal(2, status.CreditsUsed);
    }

    [Fact]
    public void Parse_ACountThatIsAListOrAnObject_IsNoCount_AndTheFieldsAfterItAreStillRead()
    {
        FirecrawlJobStatus status = Parse("""{"completed":[3,4],"total":{"pages":9},"status":"scraping","creditsUsed":2}""");

        Assert.Equal(("scraping", (int?)null, (int?)null, (int?)2), (status.Status, status.Completed, status.Total, status.CreditsUsed));
    }

    [Fact]
    public void Parse_FieldsAfterTheDocuments_AreStillRead_WhenTheBodyIsWhole()
    {
        FirecrawlJobStatus status = Parse("""{"data":[{"markdown":"a","nested":{"status":"x"}}],"next":null,"status":"completed","completed":2}""");

        Assert.Equal(("completed", 2), (status.Status, status.Completed));
    }

    [Fact]
    public void Parse_ABodyCutAfterAName_KeepsWhatCameBefore()
    {
        FirecrawlJobStatus status = Parse("""{"status":"scraping","total":4,"completed":""", isWhole: false);

        Assert.Equal(("scraping", 4), (status.Status, status.Total));
        Assert.Null(status.Completed);
    }

    [Fact]
    public void Parse_ABodyCutInsideTheDocuments_KeepsWhatCameBefore()
    {
        FirecrawlJobStatus status = Parse("""{"status":"completed","completed":7,"data":[{"markdown":"abc""", isWhole: false);

        Assert.Equal(("completed", 7), (status.Status, status.Completed));
    }

    [Theory]
    [InlineData("""{"data":[{"markdown":"abc""", false, "A status answer has a 'status'.")]
    [InlineData("""{"completed":1}""", true, "A status answer has a 'status'.")]
    [InlineData("""["status"]""", true, "A status answer is a JSON object.")]
    [InlineData("", false, "A status answer is a JSON object.")]
    [InlineData("""{"status":null}""", true, "'status' is not a string.")]
    public void Parse_NoStatusToRead_IsAJsonExceptionThatSaysWhy(string json, bool isWhole, string message)
    {
        var error = Assert.Throws<JsonException>(() => Parse(json, isWhole: isWhole));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_AnAgentJob_CountsNoPages_EvenWhenTheAnswerHasThem()
    {
        FirecrawlJobStatus status = Parse("""{"status":"completed","completed":3,"total":3,"creditsUsed":9}""", FirecrawlJobKind.Agent);

        Assert.Null(status.Completed);
        Assert.Null(status.Total);
        Assert.Equal(9, status.CreditsUsed);
        Assert.Same(FirecrawlJobKind.Agent, status.Kind);
    }

    [Fact]
    public void Parse_AKeyEchoedInTheStatusOrTheError_IsMasked_WhileTheStateIsReadFromTheWordItself()
    {
        var redactor = new SecretRedactor(Stub.SecretKey, []);

        FirecrawlJobStatus status = Parse($$"""{"status":"failed","error":"Agent job was cancelled by {{Stub.SecretKey}}"}""", FirecrawlJobKind.Agent, redactor: redactor);
        FirecrawlJobStatus echoed = Parse($$"""{"status":"{{Stub.SecretKey}}"}""", redactor: redactor);

        Assert.Equal("Agent job was cancelled by [REDACTED]", status.Error);
        Assert.Equal(FirecrawlJobState.Cancelled, status.State);
        Assert.Equal("[REDACTED]", echoed.Status);
        Assert.Equal(FirecrawlJobState.Running, echoed.State);
    }

    [Fact]
    public async Task GetCrawlStatusAsync_APageOverTheBoundWithNoStatusBeforeIt_SaysTheStatusWasNotInWhatWasRead()
    {
        string body = """{"data":[""" + string.Join(',', Enumerable.Repeat("\"" + new string('x', 1000) + "\"", 80)) + """],"status":"completed"}""";
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, body);
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.GetCrawlStatusAsync(Stub.JobId));

        Assert.Equal(
            $"Reading the status of crawl '{Stub.JobId}' (GET /v1/crawl/{{id}}) failed: the server answered 200 with a body over 65536 bytes, which holds no status before its bound.",
            error.Message);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
    }

    [Fact]
    public async Task GetCrawlStatusAsync_AnUnreadableWholeBody_SaysItIsNotAJobStatus()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":["scraping"]}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.GetCrawlStatusAsync(Stub.JobId));

        Assert.StartsWith(
            $"Reading the status of crawl '{Stub.JobId}' (GET /v1/crawl/{{id}}) failed: the server answered 200 but its body is not a job status",
            error.Message,
            StringComparison.Ordinal);
        Assert.IsType<JsonException>(error.InnerException);
    }
}
