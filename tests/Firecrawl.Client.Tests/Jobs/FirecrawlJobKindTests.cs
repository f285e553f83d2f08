using System.Net;

namespace Firecrawl.Client.Tests;

/// <summary>
/// Each kind's one description, read directly: its words, routes and versions, its bucket, the state each status word
/// means, and which 409s still mean the job is not running.
/// </summary>
public sealed class FirecrawlJobKindTests
{
    public static TheoryData<string, string, string, string, bool, FirecrawlApiVersion[], string> Descriptions => new()
    {
        { "batch-scrape", "batch scrape", "BatchScrape", "/batch/scrape/{id}", false, [FirecrawlApiVersion.V1, FirecrawlApiVersion.V2], FirecrawlJobKind.CrawlStatusBucket },
        { "crawl", "crawl", "Crawl", "/crawl/{id}", true, [FirecrawlApiVersion.V1, FirecrawlApiVersion.V2], FirecrawlJobKind.CrawlStatusBucket },
        { "agent", "agent job", "Agent", "/agent/{id}", false, [FirecrawlApiVersion.V2], FirecrawlJobKind.ExtractStatusBucket },
    };

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void EachKind_IsDescribedOnce_ByItsWordsRoutesVersionsAndBucket(
        string name, string noun, string operationName, string route, bool listsActive, FirecrawlApiVersion[] versions, string bucket)
    {
        FirecrawlJobKind kind = FirecrawlJobKind.All.Single(k => k.Name == name);

        Assert.Equal(name, kind.ToString());
        Assert.Equal(noun, kind.Noun);
        Assert.Equal(operationName, kind.OperationName);
        Assert.Equal(route, kind.Route);
        Assert.Equal(listsActive, kind.ListsActive);
        Assert.Equal(versions, kind.ApiVersions);
        Assert.Equal(bucket, kind.RateLimitBucket);
        Assert.Equal("Cancel" + operationName, kind.CancelOperation.Name);
        Assert.Equal("Get" + operationName + "Status", kind.StatusOperation.Name);
        Assert.Same(kind.CancelOperation, kind.CancelOperation);
        Assert.Same(kind.StatusOperation, kind.StatusOperation);
    }

    [Fact]
    public void All_ListsEveryKindOnce_InTheCommandLinesOrder()
    {
        Assert.Equal(["batch-scrape", "crawl", "agent"], FirecrawlJobKind.All.Select(k => k.Name));
    }

    [Fact]
    public void CreateResult_IsOfTheKindsOwnType_WithWhatItWasGiven()
    {
        CancelJobResult batch = FirecrawlJobKind.BatchScrape.CreateResult("a", CancelOutcome.Cancelled, "m");
        CancelJobResult crawl = FirecrawlJobKind.Crawl.CreateResult("b", CancelOutcome.AlreadyCompleted, null);
        CancelJobResult agent = FirecrawlJobKind.Agent.CreateResult("c", CancelOutcome.Cancelled, "n");

        Assert.Equal(("a", CancelOutcome.Cancelled, "m"), (Assert.IsType<CancelBatchScrapeResult>(batch).JobId, batch.Outcome, batch.Message));
        Assert.Equal(("b", CancelOutcome.AlreadyCompleted, (string?)null), (Assert.IsType<CancelCrawlResult>(crawl).JobId, crawl.Outcome, crawl.Message));
        Assert.Equal(("c", CancelOutcome.Cancelled, "n"), (Assert.IsType<CancelAgentResult>(agent).JobId, agent.Outcome, agent.Message));
    }

    [Theory]
    [InlineData("crawl", "completed", null, FirecrawlJobState.Completed)]
    [InlineData("crawl", "COMPLETED", null, FirecrawlJobState.Completed)]
    [InlineData("crawl", "cancelled", null, FirecrawlJobState.Cancelled)]
    [InlineData("crawl", "Canceled", null, FirecrawlJobState.Cancelled)]
    [InlineData("crawl", "failed", null, FirecrawlJobState.Failed)]
    [InlineData("crawl", "failed", "Job was cancelled", FirecrawlJobState.Failed)]
    [InlineData("crawl", "scraping", null, FirecrawlJobState.Running)]
    [InlineData("crawl", "", null, FirecrawlJobState.Running)]
    [InlineData("batch-scrape", "failed", "cancelled", FirecrawlJobState.Failed)]
    [InlineData("agent", "failed", "Agent job was CANCELLED by the user", FirecrawlJobState.Cancelled)]
    [InlineData("agent", "FAILED", "cancel requested", FirecrawlJobState.Cancelled)]
    [InlineData("agent", "failed", "Out of credits", FirecrawlJobState.Failed)]
    [InlineData("agent", "failed", null, FirecrawlJobState.Failed)]
    [InlineData("agent", "processing", "cancel", FirecrawlJobState.Running)]
    [InlineData("agent", "cancelled", null, FirecrawlJobState.Cancelled)]
    public void StateOf_ReadsTheWord_AndForAnAgentAFailureAboutTheCancel(string kindName, string word, string? error, FirecrawlJobState state)
    {
        FirecrawlJobKind kind = FirecrawlJobKind.All.Single(k => k.Name == kindName);

        Assert.Equal(state, kind.StateOf(word, error));
    }

    [Theory]
    [InlineData("crawl", 409, "Crawl is already completed", CancelOutcome.AlreadyCompleted)]
    [InlineData("batch-scrape", 409, "Batch scrape ALREADY COMPLETED", CancelOutcome.AlreadyCompleted)]
    [InlineData("crawl", 409, "Crawl is already cancelled", null)]
    [InlineData("crawl", 400, "Crawl is already completed", null)]
    [InlineData("crawl", 200, "already completed", null)]
    [InlineData("agent", 409, "Agent is already cancelled", CancelOutcome.Cancelled)]
    [InlineData("agent", 409, "Agent already finished", CancelOutcome.AlreadyCompleted)]
    [InlineData("agent", 409, "Agent is already completed", null)]
    [InlineData("agent", 404, "Agent already finished", null)]
    [InlineData("agent", 409, "", null)]
    public void OutcomeOfRefusal_OnlyA409WhoseTextTheKindKnows_MeansTheJobIsNotRunning(string kindName, int status, string message, CancelOutcome? outcome)
    {
        FirecrawlJobKind kind = FirecrawlJobKind.All.Single(k => k.Name == kindName);

        Assert.Equal(outcome, kind.OutcomeOfRefusal((HttpStatusCode)status, message));
    }
}
