using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>Agent jobs: <c>DELETE /v2/agent/{id}</c>, every answer in the server's table mapped.</summary>
public sealed class AgentCancelTests
{
    private const string AgentUrl = Stub.Base + "/v2/agent/" + Stub.JobId;

    [Theory]
    [InlineData(FirecrawlApiVersion.V1)]
    [InlineData(FirecrawlApiVersion.V2)]
    public async Task CancelAgentAsync_AlwaysOnV2_SuccessTrueIsCancelled(FirecrawlApiVersion version)
    {
        using var mock = Stub.Mock();
        MockedRequest cancel = mock.When(HttpMethod.Delete, AgentUrl).Respond(HttpStatusCode.OK, """{"success":true}""");
        using var client = Stub.Client(mock, o => o.ApiVersion = version);

        CancelAgentResult result = await client.CancelAgentAsync(Stub.JobId);

        Assert.Equal((CancelOutcome.Cancelled, false, null), (result.Outcome, result.ConfirmedByStatusRead, result.Settlement));
        Assert.Equal(1, mock.GetMatchCount(cancel));
        Assert.IsType<CancelAgentResult>(await client.CancelJobAsync(FirecrawlJobKind.Agent, Stub.JobId));
    }

    [Theory]
    [InlineData("Agent is already cancelled", CancelOutcome.Cancelled)]
    [InlineData("Agent already finished", CancelOutcome.AlreadyCompleted)]
    public async Task CancelAgentAsync_The409sThatMeanTheJobIsNotRunning_AreResults(string says, CancelOutcome outcome)
    {
        using var mock = Stub.Mock();
        MockedRequest cancel = mock.When(HttpMethod.Delete, AgentUrl).Respond(HttpStatusCode.Conflict, $$"""{"success":false,"error":"{{says}}"}""");
        using var client = Stub.Client(mock);

        CancelAgentResult result = await client.CancelAgentAsync(Stub.JobId);

        Assert.Equal((outcome, says), (result.Outcome, result.Message));
        Assert.Equal(1, mock.GetMatchCount(cancel));
    }

    [Fact]
    public async Task CancelAgentAsync_ACrawlsConflictText_IsNotAnAgentRefusal()
    {
        // "Crawl is already completed" is a crawl's words; an agent job's 409 that says something else is an error.
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, AgentUrl).Respond(HttpStatusCode.Conflict, """{"success":false,"error":"Something else"}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelAgentAsync(Stub.JobId));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Contains("agent job", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelCrawlAsync_AnAgentsConflictText_IsNotACrawlRefusal()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.Conflict, """{"success":false,"error":"Agent is already cancelled"}""");
        using var client = Stub.Client(mock);

        await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelCrawlAsync(Stub.JobId));
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, """{"success":false,"error":"Agent job not found"}""", typeof(FirecrawlNotFoundException))]
    [InlineData(HttpStatusCode.BadRequest, """{"success":false,"error":"Invalid job ID format. Job ID must be a valid UUID."}""", typeof(FirecrawlApiException))]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"Unauthorized: Invalid token"}""", typeof(FirecrawlUnauthorizedException))]
    public async Task CancelAgentAsync_TheServersRefusals_AreTypedErrorsNotRetried(HttpStatusCode status, string body, Type expected)
    {
        using var mock = Stub.Mock();
        MockedRequest cancel = mock.When(HttpMethod.Delete, AgentUrl).Respond(status, body);
        using var client = Stub.Client(mock);

        Exception error = await Assert.ThrowsAnyAsync<FirecrawlApiException>(() => client.CancelAgentAsync(Stub.JobId));

        Assert.IsType(expected, error);
        Assert.Equal(1, mock.GetMatchCount(cancel));
        Assert.Contains("DELETE /v2/agent/{id}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAgentAsync_TheAgentServiceUnreachable_500_IsRetriedThenAServerError()
    {
        using var mock = Stub.Mock();
        MockedRequest cancel = mock.When(HttpMethod.Delete, AgentUrl).Respond(HttpStatusCode.InternalServerError, """{"success":false,"code":"UNKNOWN_ERROR","error":"An unexpected error occurred."}""");
        using var client = Stub.Client(mock, o => o.MaxRetries = 2);

        await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelAgentAsync(Stub.JobId));

        // Plain 500s, none after an attempt that may have been lost: nothing to look up, so no status read.
        Assert.Equal(3, mock.GetMatchCount(cancel));
    }

    [Fact]
    public async Task CancelAgentsAsync_CancelsEachOnTheAgentRoute()
    {
        const string other = "019c0ed5-126b-7581-9a3e-000000000002";
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, AgentUrl).Respond(HttpStatusCode.OK, """{"success":true}""");
        mock.When(HttpMethod.Delete, Stub.Base + "/v2/agent/" + other).Respond(HttpStatusCode.Conflict, """{"success":false,"error":"Agent already finished"}""");
        using var client = Stub.Client(mock);

        BulkCancelResult result = await client.CancelAgentsAsync([Stub.JobId, other]);

        Assert.Equal((1, 1, 0), (result.Cancelled, result.AlreadyCompleted, result.Failed));
    }
}
