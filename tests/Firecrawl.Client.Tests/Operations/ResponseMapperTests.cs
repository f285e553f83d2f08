using System.Net;
using System.Text;

namespace Firecrawl.Client.Tests;

/// <summary>The mapping from the last answer to a result or an exception, at its status boundaries.</summary>
public sealed class ResponseMapperTests
{
    private const string Cancelled = """{"status":"cancelled"}""";

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(299)]
    public void Map_2xxThatConfirms_IsCancelled(int status)
    {
        CancelJobResult result = Map(status, Cancelled);

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(Stub.JobId, result.JobId);
    }

    [Theory]
    [InlineData(199, typeof(FirecrawlApiException))]
    [InlineData(300, typeof(FirecrawlApiException))]
    [InlineData(399, typeof(FirecrawlApiException))]
    [InlineData(400, typeof(FirecrawlApiException))]
    [InlineData(401, typeof(FirecrawlUnauthorizedException))]
    [InlineData(403, typeof(FirecrawlForbiddenException))]
    [InlineData(404, typeof(FirecrawlNotFoundException))]
    [InlineData(429, typeof(FirecrawlRateLimitException))]
    [InlineData(499, typeof(FirecrawlApiException))]
    [InlineData(500, typeof(FirecrawlServerException))]
    [InlineData(599, typeof(FirecrawlServerException))]
    [InlineData(600, typeof(FirecrawlApiException))]
    public void Map_NonSuccessStatus_ThrowsTheTypeForThatStatusEvenWithAConfirmingBody(int status, Type expected)
    {
        var error = Assert.ThrowsAny<FirecrawlApiException>(() => Map(status, Cancelled));

        Assert.Equal(expected, error.GetType());
        Assert.Equal(status, (int)error.StatusCode);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(399)]
    public void Map_3xx_ExplainsThatRedirectsAreNotFollowed(int status)
    {
        var error = Assert.ThrowsAny<FirecrawlApiException>(() => Map(status, "", r => r.Headers.Location = new Uri("https://user:pw@elsewhere.test/x")));

        Assert.Contains($"HTTP {status} redirect to https://elsewhere.test/x. Redirects are not followed", error.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_3xx_MessageSaysWhyAndWhatToDo()
    {
        var error = Assert.ThrowsAny<FirecrawlApiException>(() => Map(307, "", r => r.Headers.Location = new Uri("https://elsewhere.test/x")));

        Assert.Equal(
            "HTTP 307 redirect to https://elsewhere.test/x. Redirects are not followed, so the API key is never sent to another address and a DELETE never becomes a GET; point BaseAddress at the final address.",
            error.Error.Message);
    }

    [Theory]
    [InlineData(0, "Cancelling batch scrape '019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f' (DELETE /v1/batch/scrape/{id}) failed: could not get an answer from https://firecrawl.test/: refused")]
    [InlineData(3, "Cancelling batch scrape '019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f' (DELETE /v1/batch/scrape/{id}) failed: could not get an answer from https://firecrawl.test/ after 4 attempts: refused")]
    public void MapException_NetworkFailure_NamesTheServerAndCountsAttemptsOnlyAfterRetries(int retries, string expected)
    {
        var call = Call(retries);

        FirecrawlException error = ResponseMapper.MapException(FirecrawlOperations.CancelBatchScrape, new HttpRequestException("refused"), Stub.JobId, call, Runtime());

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void MapException_CancellationThatWasNotTheCallers_IsATimeout()
    {
        var call = Call(1);

        FirecrawlException error = ResponseMapper.MapException(FirecrawlOperations.CancelBatchScrape, new TaskCanceledException(), Stub.JobId, call, Runtime());

        Assert.IsType<FirecrawlTimeoutException>(error);
        Assert.EndsWith("failed: the request was cancelled by a time limit after 2 attempts.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapException_SomethingUnexpected_NamesItsTypeAndMasksSecrets()
    {
        var call = Call();

        FirecrawlException error = ResponseMapper.MapException(
            FirecrawlOperations.CancelBatchScrape, new InvalidOperationException("boom near " + Stub.SecretKey), Stub.JobId, call, Runtime());

        Assert.Equal(typeof(FirecrawlException), error.GetType());
        Assert.EndsWith("failed: InvalidOperationException: boom near [REDACTED]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapException_OwnExceptions_PassThroughOrGainTheOperation()
    {
        var call = Call();
        var own = new FirecrawlException("already mapped");
        var gate = new FirecrawlRateLimitException(new FirecrawlError { Message = "gate" }, TimeSpan.FromSeconds(3), "the gate holds", null);

        Assert.Same(own, ResponseMapper.MapException(FirecrawlOperations.CancelBatchScrape, own, Stub.JobId, call, Runtime()));
        var mapped = Assert.IsType<FirecrawlRateLimitException>(ResponseMapper.MapException(FirecrawlOperations.CancelBatchScrape, gate, Stub.JobId, call, Runtime()));
        Assert.EndsWith("failed: the gate holds", mapped.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(3), mapped.RetryAfter);
        Assert.Same(gate, mapped.InnerException);
    }

    [Theory]
    [InlineData(false, 3, "failed: the call timed out after 4 attempts: every attempt ran past the 30 s limit (AttemptTimeout).")]
    [InlineData(true, 1, "failed: the call timed out after 2 attempts: it ran past its 120 s limit (TotalTimeout).")]
    // An attempt's own limit, with retries left (MaxRetries is 3): the rules stopped because the budget was spent.
    [InlineData(false, 1, "failed: the call timed out after 2 attempts: it ran past its 120 s limit (TotalTimeout).")]
    public void MapException_Timeouts_SayWhichLimitRanOut(bool total, int retries, string expected)
    {
        var call = Call(retries);
        Exception timeout = total ? new TotalTimeoutException(TimeSpan.FromSeconds(120)) : new AttemptTimeoutException(TimeSpan.FromSeconds(30));

        FirecrawlException error = ResponseMapper.MapException(FirecrawlOperations.CancelBatchScrape, timeout, Stub.JobId, call, Runtime());

        Assert.IsType<FirecrawlTimeoutException>(error);
        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_3xxWithoutLocation_SaysNowhere()
    {
        var error = Assert.ThrowsAny<FirecrawlApiException>(() => Map(302, ""));

        Assert.Contains("redirect to nowhere (no Location header)", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_Failure_NamesTheOperationTheJobAndTheRouteOfItsVersion()
    {
        var batch = Assert.ThrowsAny<FirecrawlApiException>(() => Map(404, """{"error":"Job not found"}"""));
        var crawl = Assert.ThrowsAny<FirecrawlApiException>(() => Map(FirecrawlOperations.CancelCrawl, 404, """{"error":"Job not found"}""", o => o.ApiVersion = FirecrawlApiVersion.V2));

        Assert.Equal($"Cancelling batch scrape '{Stub.JobId}' (DELETE /v1/batch/scrape/{{id}}) failed: Firecrawl answered 404 (NotFound): Job not found", batch.Message);
        Assert.Equal($"Cancelling crawl '{Stub.JobId}' (DELETE /v2/crawl/{{id}}) failed: Firecrawl answered 404 (NotFound): Job not found", crawl.Message);
    }

    [Fact]
    public void Map_LongId_IsShownByItsStartAndItsLength()
    {
        string id = new('a', 65);
        var error = Assert.ThrowsAny<FirecrawlApiException>(() => MapOrThrow(
            FirecrawlOperations.CancelBatchScrape, Attempt(404, "{}"), id, Call(), Runtime()));

        Assert.Contains($"'{new string('a', 64)}…' (65 characters)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_IdOf64Characters_IsShownWhole()
    {
        string id = new('a', 64);
        var error = Assert.ThrowsAny<FirecrawlApiException>(() => MapOrThrow(
            FirecrawlOperations.CancelBatchScrape, Attempt(404, "{}"), id, Call(), Runtime()));

        Assert.Contains($"'{id}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, " (2 attempts)")]
    [InlineData(3, " (4 attempts)")]
    public void Map_Retries_AreCountedInTheMessageOnlyWhenThereWereAny(int retries, string expected)
    {
        var error = Assert.ThrowsAny<FirecrawlApiException>(() => MapOrThrow(
            FirecrawlOperations.CancelBatchScrape, Attempt(503, """{"error":"busy"}"""), Stub.JobId, Call(retries), Runtime()));

        Assert.EndsWith("busy" + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_429WithHint_CarriesTheWaitAndSaysIt()
    {
        var error = Assert.Throws<FirecrawlRateLimitException>(() => MapOrThrow(
            FirecrawlOperations.CancelBatchScrape, Attempt(429, """{"error":"slow down"}""", hint: TimeSpan.FromSeconds(1.5)), Stub.JobId, Call(), Runtime()));

        Assert.Equal(TimeSpan.FromSeconds(1.5), error.RetryAfter);
        Assert.EndsWith("slow down Retry after 1.5 s.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_409AlreadyCompleted_IsAResult()
    {
        CancelJobResult result = Map(409, """{"error":"Crawl is already completed"}""");

        Assert.Equal(CancelOutcome.AlreadyCompleted, result.Outcome);
        Assert.Equal("Crawl is already completed", result.Message);
    }

    [Fact]
    public void Map_OtherStatusSayingAlreadyCompleted_IsNotAResult()
    {
        Assert.Throws<FirecrawlServerException>(() => Map(500, """{"error":"Crawl is already completed"}"""));
    }

    private static CancelJobResult Map(int status, string body, Action<HttpResponseMessage>? customize = null) =>
        Map(FirecrawlOperations.CancelBatchScrape, status, body, customize: customize);

    private static TResult Map<TResult>(
        FirecrawlOperation<TResult> operation, int status, string body, Action<FirecrawlClientOptions>? configure = null, Action<HttpResponseMessage>? customize = null) =>
        MapOrThrow(operation, Attempt(status, body, customize), Stub.JobId, Call(operation, Runtime(configure)), Runtime(configure));

    /// <summary>Throws the failure the mapper returns, as the runner does, so a test reads it with Assert.Throws.</summary>
    private static TResult MapOrThrow<TResult>(FirecrawlOperation<TResult> operation, AttemptResponse response, string id, CallState call, ClientRuntime runtime) =>
        ResponseMapper.Map(operation, response, id, call, runtime, out TResult result) is { } failure ? throw failure : result;

    /// <summary>A cancel's call state, on v1 and in the crawlStatus bucket, with that many retries made.</summary>
    private static CallState Call(int retries = 0) =>
        new(0, FirecrawlOperations.CancelBatchScrape.Routes.For(FirecrawlApiVersion.V1), FirecrawlGatePartition.For(Stub.SecretKey, new Uri(Stub.Base))) { Retries = retries };

    /// <summary>An operation's call state for a client's options: its API version's route, its bucket's partition.</summary>
    private static CallState Call(FirecrawlOperation operation, ClientRuntime runtime) =>
        new(0, operation.Routes.For(runtime.Configuration.ApiVersion), runtime.PartitionFor(operation.Bucket));

    private static ClientRuntime Runtime(Action<FirecrawlClientOptions>? configure = null) =>
        new(ClientConfiguration.Create(Stub.Options(configure)));

    private static AttemptResponse Attempt(int status, string body, Action<HttpResponseMessage>? customize = null, TimeSpan? hint = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        customize?.Invoke(response);
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        return new AttemptResponse(
            response,
            new ResponseBody(bytes, bytes.Length, truncated: false, "application/json"),
            hint is { } wait ? ServerHint.Exact(wait, RetryHint.FromHeader) : null);
    }
}
