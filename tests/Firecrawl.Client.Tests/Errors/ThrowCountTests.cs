using System.Net;
using System.Runtime.ExceptionServices;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// A failed call throws the caller's exception once. Every throw costs a stack capture and a first-chance notification,
/// whose bytes and time differ between runtime patches; an error answer the SDK rethrew inside itself made the 404
/// path's allocation budget pass on one machine and fail on another. Counted with a first-chance handler, per call
/// (an AsyncLocal flows into the call's continuations, so tests running beside this one are not counted).
/// </summary>
public sealed class ThrowCountTests
{
    private static readonly AsyncLocal<List<Exception>?> Thrown = new();

    static ThrowCountTests()
    {
        AppDomain.CurrentDomain.FirstChanceException += Record;
    }

    [Theory]
    [InlineData(400, typeof(FirecrawlApiException))]
    [InlineData(401, typeof(FirecrawlUnauthorizedException))]
    [InlineData(403, typeof(FirecrawlForbiddenException))]
    [InlineData(404, typeof(FirecrawlNotFoundException))]
    [InlineData(429, typeof(FirecrawlRateLimitException))]
    [InlineData(500, typeof(FirecrawlServerException))]
    [InlineData(503, typeof(FirecrawlServerException))]
    [InlineData(302, typeof(FirecrawlApiException))]
    public async Task AnErrorAnswer_IsThrownOnce_AfterEveryRetry(int status, Type expected)
    {
        using MockHttpMessageHandler mock = Stub.Mock();
        mock.When("*").Respond((HttpStatusCode)status, """{"success":false,"error":"no"}""");
        using FirecrawlClient client = Stub.Client(mock, o => o.MaxRetries = 2);

        (Exception caught, List<Exception> thrown) = await Count(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.IsType(expected, caught);
        Assert.Same(caught, Assert.Single(thrown));
    }

    [Fact]
    public async Task AMalformedId_IsThrownOnce()
    {
        using MockHttpMessageHandler mock = Stub.Mock();
        using FirecrawlClient client = Stub.Client(mock);

        (Exception caught, List<Exception> thrown) = await Count(() => client.CancelBatchScrapeAsync("../x"));

        Assert.IsAssignableFrom<ArgumentException>(caught);
        Assert.Same(caught, Assert.Single(thrown));
    }

    [Fact]
    public async Task ATransportFailure_IsWrappedOnce()
    {
        using MockHttpMessageHandler mock = Stub.Mock();
        mock.When("*").Throw(new HttpRequestException("Connection refused"));
        using FirecrawlClient client = Stub.Client(mock, o => o.MaxRetries = 0);

        (Exception caught, List<Exception> thrown) = await Count(() => client.CancelBatchScrapeAsync(Stub.JobId));

        // The handler's throws and their way up through the send's awaits are the transport's, and the status read
        // that looks after an ambiguous failure is a call of its own; the caller's exception is thrown once.
        Assert.IsType<FirecrawlException>(caught);
        Assert.Single(thrown, e => ReferenceEquals(e, caught));
        Assert.All(thrown, e => Assert.True(
            ReferenceEquals(e, caught) || e is HttpRequestException || e.Message.StartsWith("Reading the status", StringComparison.Ordinal),
            $"unexpected {e.GetType().Name} thrown on the way: {e.Message}"));
    }

    [Fact]
    public async Task ARetryAfterBeyondTheCap_IsRefusedWithOneThrow()
    {
        using MockHttpMessageHandler mock = Stub.Mock();
        mock.When("*").Respond(_ =>
        {
            HttpResponseMessage response = Stub.Json(HttpStatusCode.TooManyRequests, """{"success":false,"error":"slow down"}""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromHours(1));
            return response;
        });
        using FirecrawlClient client = Stub.Client(mock);

        (Exception caught, List<Exception> thrown) = await Count(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.IsType<FirecrawlRateLimitException>(caught);
        Assert.Same(caught, Assert.Single(thrown));
    }

    private static async Task<(Exception Caught, List<Exception> Thrown)> Count(Func<Task> call)
    {
        var thrown = new List<Exception>();
        Thrown.Value = thrown;
        Task task;
        try
        {
            task = call();

            // Waited without rethrowing: an await that threw would be one more first-chance notification, the test's own.
            await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            Thrown.Value = null;
        }

        Exception caught = task.Exception?.InnerException ?? throw new Xunit.Sdk.XunitException("The call did not fail.");
        lock (thrown)
        {
            return (caught, [.. thrown]);
        }
    }

    private static void Record(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (Thrown.Value is { } thrown)
        {
            lock (thrown)
            {
                thrown.Add(e.Exception);
            }
        }
    }
}
