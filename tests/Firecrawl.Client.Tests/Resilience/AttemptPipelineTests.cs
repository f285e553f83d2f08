using System.Net;
using Microsoft.Extensions.Time.Testing;
using Polly;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>The pipeline's decisions on their own: what is retried, how long it waits, and each attempt's limit.</summary>
public sealed class AttemptPipelineTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.OK, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.NotImplemented, false)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported, false)]
    public void ShouldRetry_Status_OnlyTransientOnes(HttpStatusCode status, bool expected)
    {
        ClientRuntime runtime = Runtime();

        Assert.Equal(expected, Retries(runtime, Answer(status), Call(runtime)));
    }

    public static TheoryData<Exception, bool> Failures() => new()
    {
        { new HttpRequestException("refused"), true },
        { new IOException("reset"), true },
        { new AttemptTimeoutException(TimeSpan.FromSeconds(30)), true },
        { new TotalTimeoutException(TimeSpan.FromSeconds(120)), false },
        { new OperationCanceledException(), false },
        { new InvalidOperationException(), false },
        { new FirecrawlRateLimitException(new FirecrawlError { Message = "gate" }, TimeSpan.FromSeconds(1)), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void ShouldRetry_Exception_OnlyTransportFailuresAndAttemptTimeouts(Exception failure, bool expected)
    {
        ClientRuntime runtime = Runtime();

        Assert.Equal(expected, Retries(runtime, Outcome.FromException<AttemptResponse>(failure), Call(runtime)));
    }

    [Fact]
    public void ShouldRetry_BudgetSpent_NothingIsRetried()
    {
        ClientRuntime runtime = Runtime(o => o.TotalTimeout = TimeSpan.FromSeconds(10));
        CallState call = Call(runtime);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(Retries(runtime, Answer(HttpStatusCode.ServiceUnavailable), call));
        Assert.False(Retries(runtime, Outcome.FromException<AttemptResponse>(new HttpRequestException()), call));
    }

    [Fact]
    public void ShouldRetry_BudgetAlmostSpent_StillRetries()
    {
        ClientRuntime runtime = Runtime(o => o.TotalTimeout = TimeSpan.FromSeconds(10));
        CallState call = Call(runtime);
        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));

        Assert.True(Retries(runtime, Answer(HttpStatusCode.ServiceUnavailable), call));
    }

    [Theory]
    [InlineData(60, true)]
    [InlineData(61, false)]
    public void ShouldRetry_HintAgainstMaxRetryAfter_RetriedUpToTheCapInclusive(int hintSeconds, bool expected)
    {
        ClientRuntime runtime = Runtime(o =>
        {
            o.MaxRetryAfter = TimeSpan.FromSeconds(60);
            o.TotalTimeout = TimeSpan.FromMinutes(5);
        });

        Assert.Equal(expected, Retries(runtime, Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(hintSeconds)), Call(runtime)));
    }

    [Theory]
    [InlineData(20, true)]
    [InlineData(21, false)]
    public void ShouldRetry_HintAgainstTheBudgetLeft_RetriedOnlyIfItFits(int hintSeconds, bool expected)
    {
        ClientRuntime runtime = Runtime(o => o.TotalTimeout = TimeSpan.FromSeconds(30));
        CallState call = Call(runtime);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(expected, Retries(runtime, Answer(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(hintSeconds)), call));
    }

    [Fact]
    public void NextDelay_ServerHint_IsTheHint()
    {
        ClientRuntime runtime = Runtime();

        Assert.Equal(TimeSpan.FromSeconds(7), Delay(runtime, 2, Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(7)), Call(runtime)));
    }

    [Theory]
    [InlineData(0, 500)]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    public void NextDelay_NoHint_IsTheBackOffWithTheClientsJitter(int retry, int expectedMs)
    {
        ClientRuntime runtime = Runtime(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromSeconds(1);
            o.Jitter = static () => 0;
        });

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Delay(runtime, retry, Answer(HttpStatusCode.BadGateway), Call(runtime)));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Delay(runtime, retry, Outcome.FromException<AttemptResponse>(new IOException()), Call(runtime)));
    }

    [Fact]
    public void NextDelay_LongerThanTheBudgetLeft_IsCutToTheBudgetLeft()
    {
        ClientRuntime runtime = Runtime(o => o.TotalTimeout = TimeSpan.FromSeconds(30));
        CallState call = Call(runtime);
        _time.Advance(TimeSpan.FromSeconds(25));

        Assert.Equal(TimeSpan.FromSeconds(5), Delay(runtime, 0, Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(60)), call));
    }

    [Fact]
    public void NextDelay_BudgetOverspent_IsZeroNotNegative()
    {
        ClientRuntime runtime = Runtime(o => o.TotalTimeout = TimeSpan.FromSeconds(30));
        CallState call = Call(runtime);
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(TimeSpan.Zero, Delay(runtime, 0, Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(60)), call));
    }

    /// <summary>Attempt limit and total budget in seconds (-1: none), seconds already spent, and the limit the rules give.</summary>
    [Theory]
    [InlineData("attempt shorter than the budget left: the attempt limit", 30, 120, 89, 30, false)]
    [InlineData("budget left shorter: the budget left", 30, 120, 100, 20, true)]
    [InlineData("equal to the budget left: counts as the budget", 30, 60, 30, 30, true)]
    [InlineData("no attempt limit: the budget left", -1, 60, 0, 60, true)]
    [InlineData("no limits at all: infinite", -1, -1, 0, -1, true)]
    public void AttemptLimit_IsTheShorterOfTheAttemptLimitAndTheBudgetLeft(string row, int attempt, int total, int spent, int expected, bool isBudget)
    {
        static TimeSpan Seconds(int s) => s < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(s);
        ClientRuntime runtime = Runtime(o =>
        {
            o.AttemptTimeout = Seconds(attempt);
            o.TotalTimeout = Seconds(total);
        });
        long started = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(spent));

        Assert.True((Seconds(expected), isBudget) == new RetryRules(runtime).AttemptLimit(runtime.RemainingBudget(started)), row);
    }

    [Fact]
    public void RemainingBudget_AfterSomeTime_IsTheTotalLessTheElapsed()
    {
        ClientRuntime runtime = Runtime(o => o.TotalTimeout = TimeSpan.FromSeconds(120));
        long started = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(90), runtime.RemainingBudget(started));
    }

    [Fact]
    public void RemainingBudget_NoTotalTimeout_IsUnbounded()
    {
        ClientRuntime runtime = Runtime(o => o.TotalTimeout = Timeout.InfiniteTimeSpan);

        Assert.Equal(TimeSpan.MaxValue, runtime.RemainingBudget(_time.GetTimestamp()));
    }

    private ClientRuntime Runtime(Action<FirecrawlClientOptions>? configure = null) =>
        new(ClientConfiguration.Create(Stub.Options(o =>
        {
            o.TimeProvider = _time;
            configure?.Invoke(o);
        })));

    /// <summary>The rules' decision on an outcome, as the retry loop asks it.</summary>
    private static bool Retries(ClientRuntime runtime, Outcome<AttemptResponse> outcome, CallState call) =>
        new RetryRules(runtime).Decide(outcome.Result, outcome.Exception, call).Retry;

    private static TimeSpan Delay(ClientRuntime runtime, int retry, Outcome<AttemptResponse> outcome, CallState call) =>
        new RetryRules(runtime).NextDelay(retry, outcome.Result, outcome.Exception, call);

    private static CallState Call(ClientRuntime runtime) =>
        new(runtime.Clock.GetTimestamp(), FirecrawlOperations.CancelBatchScrape.Routes.For(FirecrawlApiVersion.V1), runtime.Partition);

    private static Outcome<AttemptResponse> Answer(HttpStatusCode status, TimeSpan? hint = null) =>
        Outcome.FromResult(new AttemptResponse(
            new HttpResponseMessage(status),
            default,
            hint is { } wait ? ServerHint.Exact(wait, RetryHint.FromHeader) : null));

    [Fact]
    public async Task RetryPipeline_IsBuiltOnTheFirstRetryAndNotBefore()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        var runtime = new ClientRuntime(ClientConfiguration.Create(Stub.Options()));
        using var http = new HttpClient(FirecrawlHttp.Chain(runtime.Configuration, mock));
        HttpDefaults.Configure(http, runtime.Configuration);
        using var runner = new OperationRunner(http, runtime);

        await runner.RunAsync(FirecrawlOperations.CancelBatchScrape, Stub.JobId, CancellationToken.None);
        bool afterASuccess = runner.Pipeline.Retries.RetryPipelineBuilt;
        await runner.RunAsync(FirecrawlOperations.CancelBatchScrape, Stub.JobId, CancellationToken.None);

        Assert.False(afterASuccess);
        Assert.True(runner.Pipeline.Retries.RetryPipelineBuilt);
        mock.VerifyNoOutstandingExpectation();
    }
}
