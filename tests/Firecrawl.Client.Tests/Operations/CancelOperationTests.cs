using System.Net;
using System.Text.Json;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>How a 2xx body becomes a cancel result.</summary>
public sealed class CancelOperationTests
{
    [Theory]
    [InlineData("""{"status":"CANCELLED"}""")]
    [InlineData("""{"status":"Cancelled"}""")]
    [InlineData("""{"status":"scraping","success":true}""")]
    public async Task CancelBatchScrapeAsync_StatusInAnyCaseOrSuccessTrue_IsCancelled(string body)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, body);
        using var client = Stub.Client(mock);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
    }

    [Theory]
    [InlineData("""{"status":1}""")]
    [InlineData("""{"status":{"value":"cancelled"}}""")]
    [InlineData("""{"status":["cancelled"]}""")]
    [InlineData("""{"status":null}""")]
    [InlineData("""{"status":"cancelledx"}""")]
    [InlineData("""{"success":false,"status":"cancel"}""")]
    public async Task CancelBatchScrapeAsync_StatusThatIsNotTheStringCancelled_DoesNotConfirm(string body)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, body);
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Contains("without confirming the cancel", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"status":"cancelled"} {"status":"cancelled"}""")]
    [InlineData("""{"status":"cancelled"}x""")]
    [InlineData("""{"message":1,"status":"cancelled"}""")]
    [InlineData("""{"success":"true"}""")]
    [InlineData("""{"status":"cancelled",""")]
    [InlineData("""  """)]
    public async Task CancelBatchScrapeAsync_200ThatIsNotOneCancelObject_IsNotACancelResponse(string body)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, body);
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Contains("is not a cancel response", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Theory]
    [InlineData("""{"status":"cancelled","message":null,"success":null,"extra":{"a":[1,{"b":2}]},"status2":"x"}""", true, null, null)]
    [InlineData("""{"success":false,"status":"cancelled","message":"m"}""", true, false, "m")]
    [InlineData("""{"status":"scraping","status":"cancelled"}""", true, null, null)]
    [InlineData("""{"status":"cancelled","status":"scraping"}""", false, null, null)]
    [InlineData("""{}""", false, null, null)]
    [InlineData("""{"status":"CANCELLED","success":true}""", true, true, null)]
    [InlineData("""{"status":"cancel\u006ced"}""", true, null, null)]
    [InlineData("""{"status":{"state":"cancelled"},"success":true}""", false, true, null)]
    [InlineData("""{"status":["cancelled"],"message":"m"}""", false, null, "m")]
    [InlineData("""{"status":1,"success":false}""", false, false, null)]
    public void Parse_FieldsInAnyOrderWithUnknownOnes_ReadsWhatItKnowsLastOneWins(string body, bool cancelled, bool? success, string? message)
    {
        CancelResponseBody parsed = CancelResponseBody.Parse(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(new CancelResponseBody(success, cancelled, message), parsed);
    }

    [Fact]
    public void Outcomes_NameAndTagEachEnding()
    {
        var cancelled = new CancelBatchScrapeResult { JobId = "j", Outcome = CancelOutcome.Cancelled };
        var completed = new CancelBatchScrapeResult { JobId = "j", Outcome = CancelOutcome.AlreadyCompleted };

        Assert.Equal("Cancelled", FirecrawlOperations.CancelBatchScrape.OutcomeName(cancelled));
        Assert.Equal("AlreadyCompleted", FirecrawlOperations.CancelBatchScrape.OutcomeName(completed));
        Assert.Equal("cancelled", FirecrawlOperations.CancelBatchScrape.OutcomeTag(cancelled));
        Assert.Equal("already_completed", FirecrawlOperations.CancelBatchScrape.OutcomeTag(completed));
        Assert.Equal("Firecrawl.CancelBatchScrape", FirecrawlOperations.CancelBatchScrape.ActivityName);
        Assert.Equal("Firecrawl.CancelCrawl", FirecrawlOperations.CancelCrawl.ActivityName);
    }
}
