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
    [InlineData(true, """{"status":"cancelled"}""")]
    [InlineData(false, """{"status":null}""")]
    public void CancelResponseBody_Serialized_WritesTheStatusItReads(bool cancelled, string expected)
    {
        string json = JsonSerializer.Serialize(new CancelResponseBody { StatusIsCancelled = cancelled }, FirecrawlJsonContext.Default.CancelResponseBody);

        Assert.Contains(expected[1..^1], json, StringComparison.Ordinal);
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
