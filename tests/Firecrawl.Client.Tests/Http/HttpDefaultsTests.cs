using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class HttpDefaultsTests
{
    [Fact]
    public async Task CancelBatchScrapeAsync_DefaultHeadersOverrideUserAgentAndAccept_SendsOnlyTheUsersValues()
    {
        using var mock = Stub.Mock();
        HttpRequestMessage? seen = null;
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(request =>
        {
            seen = request;
            return Stub.Json(HttpStatusCode.OK, """{"status":"cancelled"}""");
        });
        using var client = Stub.Client(mock, o =>
        {
            o.DefaultHeaders["User-Agent"] = "MyApp/1.0";
            o.DefaultHeaders["Accept"] = "application/vnd.custom+json";
        });

        await client.CancelBatchScrapeAsync(Stub.JobId);

        Assert.Equal(["MyApp/1.0"], seen!.Headers.GetValues("User-Agent"));
        Assert.Equal(["application/vnd.custom+json"], seen.Headers.GetValues("Accept"));
    }

    [Fact]
    public void UserAgent_NamesTheClientItsVersionAndTheRuntime()
    {
        Assert.Matches(@"^Firecrawl\.Client/\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)? \(\.NET \d+", HttpDefaults.UserAgent);
        Assert.DoesNotContain("+", HttpDefaults.UserAgent, StringComparison.Ordinal);
    }
}
