using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Firecrawl.Client.TestSupport;

namespace Firecrawl.Client.Testing.Tests.Emulation;

/// <summary>The control API over HTTP, as a test in another language uses it: plain requests, JSON in and out.</summary>
public sealed class ControlApiTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _key = FirecrawlEmulator.NewApiKey();
    private readonly string _other = FirecrawlEmulator.NewApiKey();
    private FirecrawlEmulator _emulator = null!;

    private string Url => _emulator.BaseAddress.AbsoluteUri;

    public async Task InitializeAsync() =>
        _emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { EnableControlApi = true, ApiKeys = { _key, _other } });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Index_ListsEveryEndpoint()
    {
        (HttpStatusCode status, JsonElement body) = await ControlAsync(HttpMethod.Get, "");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(body.GetProperty("endpoints").EnumerateArray(), e => e.GetString()!.StartsWith("POST /__emulator/reset", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("batch-scrape", "scraping", 200, "scraping", "cancelled")]
    [InlineData("crawl", "completed", 200, "completed", "completed")]
    [InlineData("crawl", "failed", 200, "completed", "failed")]
    [InlineData("crawl", "cancelled", 200, "cancelled", "cancelled")]
    [InlineData("batch-scrape", "expired", 404, null, "expired")]
    public async Task CreateJob_InAState_TheServerAnswersForThatState(string kind, string state, int statusCode, string? serverStatus, string afterCancel)
    {
        (HttpStatusCode created, JsonElement job) = await ControlAsync(HttpMethod.Post, "jobs", $$"""{"kind":"{{kind}}","status":"{{state}}","total":3,"url":"https://example.org/x"}""");
        string id = job.GetProperty("id").GetString()!;
        string route = kind == "crawl" ? "crawl" : "batch/scrape";

        (HttpStatusCode status, string body) = await SendAsync(HttpMethod.Get, $"v1/{route}/{id}", _key);
        await SendAsync(HttpMethod.Delete, $"v1/{route}/{id}", _key);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(kind, job.GetProperty("kind").GetString());
        Assert.Equal(state, job.GetProperty("status").GetString());
        Assert.Equal(3, job.GetProperty("total").GetInt32());
        Assert.Equal("https://example.org/x", job.GetProperty("url").GetString());
        Assert.DoesNotContain(_key, job.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(statusCode, (int)status);
        if (serverStatus is null)
        {
            Assert.Equal("""{"success":false,"error":"Job not found"}""", body);
        }
        else
        {
            Assert.Contains($"\"status\":\"{serverStatus}\"", body, StringComparison.Ordinal);
        }

        Assert.Equal(afterCancel, (await ControlAsync(HttpMethod.Get, "jobs/" + id)).Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CreateJob_ForAnotherKey_BelongsToThatTeam()
    {
        string id = (await ControlAsync(HttpMethod.Post, "jobs", $$"""{"kind":"crawl","apiKey":"{{_other}}"}""")).Body.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, "v1/crawl/" + id, _key)).Status);
        Assert.Contains(id, (await SendAsync(HttpMethod.Get, "v1/crawl/active", _other)).Body, StringComparison.Ordinal);
        Assert.DoesNotContain(id, (await SendAsync(HttpMethod.Get, "v1/crawl/active", _key)).Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "v1/crawl/" + id, _other)).Status);
    }

    [Theory]
    [InlineData("complete", "completed")]
    [InlineData("fail", "failed")]
    [InlineData("cancel", "cancelled")]
    [InlineData("expire", "expired")]
    public async Task JobActions_MoveARunningJob_AndOnlyExpireMovesAFinishedOne(string action, string state)
    {
        string id = (await ControlAsync(HttpMethod.Post, "jobs", """{"kind":"crawl"}""")).Body.GetProperty("id").GetString()!;

        (HttpStatusCode moved, JsonElement job) = await ControlAsync(HttpMethod.Post, $"jobs/{id}/{action}");
        (HttpStatusCode again, JsonElement refusal) = await ControlAsync(HttpMethod.Post, $"jobs/{id}/{action}");

        Assert.Equal(HttpStatusCode.OK, moved);
        Assert.Equal(state, job.GetProperty("status").GetString());
        Assert.DoesNotContain(id, (await SendAsync(HttpMethod.Get, "v1/crawl/active", _key)).Body, StringComparison.Ordinal);
        if (action == "expire")
        {
            Assert.Equal(HttpStatusCode.OK, again);
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "v1/crawl/" + id, _key)).Status);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Conflict, again);
            Assert.Contains("only a running job can", refusal.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Faults_QueuedForARoute_HitOnlyThatRouteForTheirCount()
    {
        string crawl = (await ControlAsync(HttpMethod.Post, "jobs", """{"kind":"crawl"}""")).Body.GetProperty("id").GetString()!;
        string batch = (await ControlAsync(HttpMethod.Post, "jobs", """{"kind":"batch-scrape"}""")).Body.GetProperty("id").GetString()!;

        (HttpStatusCode queued, JsonElement count) = await ControlAsync(HttpMethod.Post, "faults", """{"route":"cancel-crawl","times":2,"fault":{"kind":"status","status":503}}""");

        Assert.Equal(HttpStatusCode.Created, queued);
        Assert.Equal(2, count.GetProperty("queued").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "v1/batch/scrape/" + batch, _key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "v1/crawl/" + crawl, _key)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAsync(HttpMethod.Delete, "v1/crawl/" + crawl, _key)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAsync(HttpMethod.Delete, "v1/crawl/" + crawl, _key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "v1/crawl/" + crawl, _key)).Status);
    }

    [Fact]
    public async Task Faults_ForAJob_AndForAnyRequest_AndCleared()
    {
        string id = (await ControlAsync(HttpMethod.Post, "jobs", """{"kind":"crawl"}""")).Body.GetProperty("id").GetString()!;
        await ControlAsync(HttpMethod.Post, "faults", "{\"jobId\":\"" + id + "\",\"fault\":{\"kind\":\"retryAfter\",\"status\":503,\"seconds\":7}}");
        await ControlAsync(HttpMethod.Post, "faults", """{"fault":{"kind":"html","status":502}}""");

        using HttpResponseMessage own = await SendRawAsync(HttpMethod.Delete, "v1/crawl/" + id, _key);
        (HttpStatusCode anyStatus, string anyBody) = await SendAsync(HttpMethod.Get, "v1/crawl/active", _key);
        await ControlAsync(HttpMethod.Post, "faults", """{"fault":{"kind":"drop"},"times":5}""");
        (HttpStatusCode cleared, _) = await ControlAsync(HttpMethod.Delete, "faults");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, own.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), own.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.BadGateway, anyStatus);
        Assert.Contains("<center>nginx</center>", anyBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, cleared);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "v1/crawl/active", _key)).Status);
    }

    /// <summary>
    /// What each fault kind does to the next answer of the active-crawls list: its JSON form, the status and text that
    /// show it was applied (no status: the connection breaks), and how long the answer must at least take.
    /// </summary>
    private static readonly Dictionary<string, (string Fault, int? Status, string Text, int AtLeastMs)> FaultEffects = new()
    {
        ["status"] = ("""{"kind":"status","status":500,"body":"{\"error\":\"boom\"}"}""", 500, "boom", 0),
        ["rateLimited"] = ("""{"kind":"rateLimited","retryAfterSeconds":9}""", 429, "retry after 9s", 0),
        ["retryAfter"] = ("""{"kind":"retryAfter","status":429,"until":"2030-01-01T00:00:00Z"}""", 429, "Too Many Requests", 0),
        ["html"] = ("""{"kind":"html","status":504}""", 504, "<center>nginx</center>", 0),
        ["redirect"] = ("""{"kind":"redirect","location":"http://127.0.0.1:1/elsewhere"}""", 307, "", 0),
        ["oversized"] = ("""{"kind":"oversized","bytes":100000}""", 500, "xxxx", 0),
        ["delay"] = ("""{"kind":"delay","ms":400}""", 200, "\"crawls\"", 400),
        ["stall"] = ("""{"kind":"stall","ms":400}""", 200, "\"crawls\"", 400),
        ["truncate"] = ("""{"kind":"truncate"}""", null, "", 0),
        ["drop"] = ("""{"kind":"drop"}""", null, "", 0),
    };

    /// <summary>Every kind the library has, read from its own list, so a new kind fails the test below until it is covered.</summary>
    public static TheoryData<string> FaultKinds() => [.. ControlForms.Faults.Select(static f => f.Kind)];

    [Theory]
    [MemberData(nameof(FaultKinds))]
    public async Task Faults_EveryKindTheLibraryHas_IsQueuedAsJson_AndChangesTheNextAnswer(string kind)
    {
        Assert.True(FaultEffects.TryGetValue(kind, out var effect), $"The fault kind '{kind}' has no expected effect here: add one.");

        (HttpStatusCode queued, _) = await ControlAsync(HttpMethod.Post, "faults", """{"route":"active-crawls","fault":""" + effect.Fault + "}");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // A refused fault would leave the next answer a plain 200: without this, the delay and stall rows could not fail.
        Assert.Equal(HttpStatusCode.Created, queued);
        if (effect.Status is null)
        {
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => SendAsync(HttpMethod.Get, "v1/crawl/active", _key));
            return;
        }

        (HttpStatusCode answered, string body) = await SendAsync(HttpMethod.Get, "v1/crawl/active", _key);
        Assert.Equal(effect.Status, (int)answered);
        Assert.Contains(effect.Text, body, StringComparison.Ordinal);
        // A timer may fire a few milliseconds early; an answer the fault did not hold comes in one or two.
        Assert.True(clock.ElapsedMilliseconds >= effect.AtLeastMs - 25, $"The answer came after {clock.ElapsedMilliseconds} ms, before the fault's {effect.AtLeastMs} ms.");
    }

    [Fact]
    public async Task RateLimitEverything_RefusesEveryRequestWithTheServers429()
    {
        (HttpStatusCode set, _) = await ControlAsync(HttpMethod.Post, "rate-limit-everything", """{"seconds":60,"retryAfterSeconds":42}""");

        (HttpStatusCode status, string body) = await SendAsync(HttpMethod.Get, "v1/crawl/active", _key);

        Assert.Equal(HttpStatusCode.NoContent, set);
        Assert.Equal((HttpStatusCode)429, status);
        Assert.Contains("retry after 42s", body, StringComparison.Ordinal);
        await ControlAsync(HttpMethod.Delete, "faults");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "v1/crawl/active", _key)).Status);
    }

    [Fact]
    public async Task Requests_AreReadWithTheKeyRedactedEverywhere_AndCleared()
    {
        await SendAsync(HttpMethod.Get, "v1/crawl/active?key=" + _key, _key, extraHeader: ("X-Api-Key", _key));
        await SendAsync(HttpMethod.Get, "v1/crawl/active", key: null);
        string stranger = FirecrawlEmulator.NewApiKey();
        await SendAsync(HttpMethod.Get, "v1/crawl/active", stranger);

        (HttpStatusCode status, JsonElement body) = await ControlAsync(HttpMethod.Get, "requests");
        JsonElement[] requests = [.. body.GetProperty("requests").EnumerateArray()];

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, requests.Length);
        Assert.DoesNotContain(_key, body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(stranger, body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("Bearer [redacted]", requests[0].GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal("[redacted]", requests[0].GetProperty("headers").GetProperty("X-Api-Key").GetString());
        Assert.Equal("/v1/crawl/active?key=[redacted]", requests[0].GetProperty("target").GetString());
        Assert.True(requests[0].GetProperty("keyAccepted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, requests[1].GetProperty("keyAccepted").ValueKind);
        Assert.False(requests[2].GetProperty("keyAccepted").GetBoolean());
        Assert.Equal("GET", requests[0].GetProperty("method").GetString());
        Assert.Equal([200, 401, 401], requests.Select(request => request.GetProperty("status").GetInt32()));

        Assert.Equal(HttpStatusCode.NoContent, (await ControlAsync(HttpMethod.Delete, "requests")).Status);
        Assert.Empty((await ControlAsync(HttpMethod.Get, "requests")).Body.GetProperty("requests").EnumerateArray());
    }

    /// <summary>A secret in each of the forms a client, a proxy or a test might put it in a request, by a name.</summary>
    public static TheoryData<string> Writings() => ["as is", "upper case", "percent-encoded dash", "percent-encoded dash, lower hex", "every character percent-encoded", "encoded twice", "JSON escape", "HTML entity"];

    internal static string Written(string key, string how) => how switch
    {
        "as is" => key,
        "upper case" => key.ToUpperInvariant(),
        "percent-encoded dash" => key.Replace("-", "%2D", StringComparison.Ordinal),
        "percent-encoded dash, lower hex" => key.Replace("-", "%2d", StringComparison.Ordinal),
        "every character percent-encoded" => string.Concat(key.Select(static c => $"%{(int)c:X2}")),
        "encoded twice" => key.Replace("-", "%252D", StringComparison.Ordinal),
        "JSON escape" => key.Replace("-", "\\u002d", StringComparison.Ordinal),
        "HTML entity" => key.Replace("-", "&#45;", StringComparison.Ordinal),
        _ => throw new ArgumentOutOfRangeException(nameof(how)),
    };

    [Theory]
    [MemberData(nameof(Writings))]
    public async Task Requests_TheKeyHoweverWritten_IsRedactedInTheTargetAndEveryHeader(string how)
    {
        string written = Written(_key, how);
        await SendAsync(HttpMethod.Get, "v1/crawl/active?key=" + written.Replace("&", "%26", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal), _key, extraHeader: ("X-Echo", written));

        (_, JsonElement body) = await ControlAsync(HttpMethod.Get, "requests");
        JsonElement request = body.GetProperty("requests").EnumerateArray().Single();

        Assert.Equal("/v1/crawl/active?key=[redacted]", request.GetProperty("target").GetString());
        Assert.Equal("[redacted]", request.GetProperty("headers").GetProperty("X-Echo").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Requests_AKeySplitAcrossAHeadersValues_IsRedactedInEachPart(bool twoLines)
    {
        string head = _key[..12];
        string tail = _key[12..];
        (string, string)[] headers = twoLines ? [("X-Echo", head), ("X-Echo", tail)] : [("X-Echo", head + ", " + tail)];
        await RawHttp.SendAsync(_emulator.BaseAddress, "GET", "/v1/crawl/active", [("Authorization", "Bearer " + _key), .. headers]);

        (_, JsonElement body) = await ControlAsync(HttpMethod.Get, "requests");
        string echoed = body.GetProperty("requests").EnumerateArray().Single().GetProperty("headers").GetProperty("X-Echo").GetString()!;

        Assert.DoesNotContain(head, echoed, StringComparison.Ordinal);
        Assert.DoesNotContain(tail, echoed, StringComparison.Ordinal);
        Assert.Contains("[redacted]", echoed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequests_AHugeFieldName_IsQuotedByItsStartAndLength()
    {
        string name = new('f', 200_000);

        (HttpStatusCode status, JsonElement body) = await ControlAsync(HttpMethod.Post, "jobs", $$"""{"kind":"crawl","{{name}}":1}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        string error = body.GetProperty("error").GetString()!;
        Assert.True(error.Length < 400, $"The error is {error.Length} characters.");
        Assert.Contains("(200,000 characters)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_ForgetsJobsFaultsRequestsAndTheLimiter()
    {
        await using FirecrawlEmulator limited = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { EnableControlApi = true, RateLimitPerWindow = 1 });
        string url = limited.BaseAddress.AbsoluteUri;
        string id = (await ControlAsync(HttpMethod.Post, "jobs", """{"kind":"crawl"}""", url)).Body.GetProperty("id").GetString()!;
        await SendAsync(HttpMethod.Get, "v1/crawl/active", key: null, baseUrl: url);
        Assert.Equal((HttpStatusCode)429, (await SendAsync(HttpMethod.Get, "v1/crawl/active", key: null, baseUrl: url)).Status);
        await ControlAsync(HttpMethod.Post, "faults", """{"fault":{"kind":"status","status":500},"times":3}""", url);

        Assert.Equal(HttpStatusCode.NoContent, (await ControlAsync(HttpMethod.Post, "reset", baseUrl: url)).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await ControlAsync(HttpMethod.Get, "jobs/" + id, baseUrl: url)).Status);
        Assert.Empty((await ControlAsync(HttpMethod.Get, "jobs", baseUrl: url)).Body.GetProperty("jobs").EnumerateArray());
        Assert.Empty((await ControlAsync(HttpMethod.Get, "requests", baseUrl: url)).Body.GetProperty("requests").EnumerateArray());
        Assert.Equal("""{"success":true,"crawls":[]}""", (await SendAsync(HttpMethod.Get, "v1/crawl/active", key: null, baseUrl: url)).Body);
        Assert.Equal(0, limited.CountResponses(429));
    }

    [Theory]
    [InlineData("POST", "jobs", """{"kind":"scrape"}""", 400, "\"kind\" must be one of \"batch-scrape\", \"crawl\"")]
    [InlineData("POST", "jobs", """{"kind":"crawl","completed":2,"inFlight":2,"total":3}""", 400, "cannot be less than")]
    [InlineData("POST", "jobs", """{"kind":"crawl","drainMs":-1}""", 400, "\"drainMs\" must be a whole number")]
    [InlineData("POST", "jobs", """{"kind":"crawl","colour":"red"}""", 400, "Unknown field 'colour'")]
    [InlineData("POST", "jobs", """{"kind":"crawl","apiKey":"{stranger}"}""", 400, "not one of the keys")]
    [InlineData("POST", "jobs", """{"kind":"crawl","status":"paused"}""", 400, "\"status\" must be one of")]
    [InlineData("POST", "jobs", """{"kind":"crawl","total":-1}""", 400, "\"total\" must be a whole number")]
    [InlineData("POST", "jobs", """{"kind":"crawl","url":"not a url"}""", 400, "\"url\" must be an absolute URL")]
    [InlineData("POST", "jobs", """[1]""", 400, "takes a JSON object")]
    [InlineData("POST", "jobs", """{""", 400, "not JSON")]
    [InlineData("POST", "faults", """{"fault":{"kind":"explode"}}""", 400, "\"kind\" must be one of")]
    [InlineData("POST", "faults", """{"fault":{"kind":"status"}}""", 400, "\"status\" is required")]
    [InlineData("POST", "faults", """{"fault":{"kind":"status","status":99}}""", 400, "\"status\" must be a whole number from 200")]
    [InlineData("POST", "faults", """{"fault":{"kind":"drop","ms":5}}""", 400, "Unknown field 'ms'")]
    [InlineData("POST", "faults", """{"fault":{"kind":"redirect","location":"ftp://x/"}}""", 400, "absolute http or https URL")]
    [InlineData("POST", "faults", """{"fault":{"kind":"redirect","location":"http://x/","status":200}}""", 400, "3xx")]
    [InlineData("POST", "faults", """{"route":"cancel","fault":{"kind":"drop"}}""", 400, "\"route\" must be one of")]
    [InlineData("POST", "faults", """{"route":"cancel-crawl","jobId":"x","fault":{"kind":"drop"}}""", 400, "not both")]
    [InlineData("POST", "faults", """{"fault":{"kind":"drop"},"times":0}""", 400, "\"times\" must be")]
    [InlineData("POST", "rate-limit-everything", """{}""", 400, "\"seconds\" is required")]
    [InlineData("GET", "jobs/nope", null, 404, "no job with that id")]
    [InlineData("POST", "jobs/nope/complete", null, 404, "no job with that id")]
    [InlineData("PUT", "jobs", null, 404, "No control endpoint PUT '/__emulator/jobs'")]
    [InlineData("GET", "nothing/here", null, 404, "GET /__emulator/ lists them")]
    public async Task BadRequests_AreRefusedSayingWhatIsWrong(string method, string path, string? json, int status, string text)
    {
        // A key of the real form is made at run time, so no key-shaped string sits in the repository.
        json = json?.Replace("{stranger}", FirecrawlEmulator.NewApiKey(), StringComparison.Ordinal);
        (HttpStatusCode answered, JsonElement body) = await ControlAsync(new HttpMethod(method), path, json);

        Assert.Equal(status, (int)answered);
        Assert.Contains(text, body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_emulator.Requests);
    }

    [Fact]
    public async Task ControlOff_ThePrefixIsAnyOtherUnknownRoute()
    {
        await using FirecrawlEmulator plain = await FirecrawlEmulator.StartAsync();

        (HttpStatusCode status, string body) = await SendAsync(HttpMethod.Post, "__emulator/reset", key: null, baseUrl: plain.BaseAddress.AbsoluteUri);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("<pre>Cannot POST /__emulator/reset</pre>", body, StringComparison.Ordinal);
    }

    [Fact]
    public void FaultForms_DescribeEveryFaultOnce_AndTheDocsTableIsThem()
    {
        Assert.Equal(Enum.GetValues<FaultKind>().Order(), ControlForms.Faults.Select(f => f.Does).Order());
        Assert.Equal(ControlForms.Faults.Count, ControlForms.Faults.Select(f => f.Kind).Distinct().Count());
        Assert.Equal(
            ControlForms.Faults.Select(f => $"| `{f.Kind}` | {f.FieldsText} | {f.Effect} | `{f.Example}` |"),
            DocsTable("| `kind` | Fields | The response | Example |"));
        Assert.Equal(
            ControlForms.JobFields.Select(f => $"| `{f.Name}` | {f.Meaning} |"),
            DocsTable("| Field | Meaning |"));
    }

    [Fact]
    public async Task FaultForms_EachExample_QueuesItsFault_AndTheErrorsAndIndexNameEveryKind()
    {
        foreach (ControlForms.FaultForm form in ControlForms.Faults)
        {
            using JsonDocument example = JsonDocument.Parse(form.Example);
            Assert.Equal(form.Does, ControlForms.FaultFrom(example.RootElement).Kind);
            (HttpStatusCode queued, JsonElement count) = await ControlAsync(HttpMethod.Post, "faults", "{\"fault\":" + form.Example + "}");
            Assert.Equal((HttpStatusCode.Created, 1), (queued, count.GetProperty("queued").GetInt32()));
        }

        (_, JsonElement refused) = await ControlAsync(HttpMethod.Post, "faults", """{"fault":{"kind":"explode"}}""");
        (_, JsonElement index) = await ControlAsync(HttpMethod.Get, "");
        string faultsEntry = index.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()!).Single(e => e.StartsWith("POST /__emulator/faults", StringComparison.Ordinal));
        string jobsEntry = index.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()!).Single(e => e.StartsWith("POST /__emulator/jobs ", StringComparison.Ordinal));
        Assert.All(ControlForms.Faults, f => Assert.Contains(f.Kind, refused.GetProperty("error").GetString(), StringComparison.Ordinal));
        Assert.All(ControlForms.Faults, f => Assert.Contains(f.Kind, faultsEntry, StringComparison.Ordinal));
        Assert.All(ControlForms.JobFields, f => Assert.Contains($"\"{f.Name}\"", jobsEntry, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateJob_WithWorkInFlight_ReportsItAndItDrainsAfterTheCancel()
    {
        (HttpStatusCode created, JsonElement job) = await ControlAsync(HttpMethod.Post, "jobs", """{"kind":"batch-scrape","completed":2,"inFlight":3,"drainMs":0}""");
        string id = job.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal((5, 2, 3, 0), (job.GetProperty("total").GetInt32(), job.GetProperty("completed").GetInt32(), job.GetProperty("inFlight").GetInt32(), job.GetProperty("drainMs").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "v1/batch/scrape/" + id, _key)).Status);
        (_, string status) = await SendAsync(HttpMethod.Get, "v1/batch/scrape/" + id, _key);
        using JsonDocument read = JsonDocument.Parse(status);
        Assert.Equal((5, 5), (read.RootElement.GetProperty("completed").GetInt32(), read.RootElement.GetProperty("creditsUsed").GetInt32()));
    }

    [Fact]
    public async Task CreateJob_AnAgentJob_OnlyOnAProfileThatHasThem_AndItsRoutesTakeFaults()
    {
        (HttpStatusCode refused, JsonElement why) = await ControlAsync(HttpMethod.Post, "jobs", """{"kind":"agent"}""");
        (HttpStatusCode badRoute, JsonElement routes) = await ControlAsync(HttpMethod.Post, "faults", """{"route":"cancel-agent","fault":{"kind":"drop"}}""");
        await using FirecrawlEmulator newer = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { EnableControlApi = true, Profile = FirecrawlServerProfile.NewerCloud });
        string url = newer.BaseAddress.AbsoluteUri;
        (HttpStatusCode created, JsonElement agent) = await ControlAsync(HttpMethod.Post, "jobs", """{"kind":"agent","completed":4}""", url);
        (HttpStatusCode queued, _) = await ControlAsync(HttpMethod.Post, "faults", """{"route":"cancel-agent","fault":{"kind":"status","status":503}}""", url);
        string id = agent.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("without 'agent' jobs", why.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badRoute);
        Assert.DoesNotContain("agent", routes.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Created, "agent"), (created, agent.GetProperty("kind").GetString()));
        Assert.Equal(HttpStatusCode.Created, queued);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAsync(HttpMethod.Delete, "v2/agent/" + id, key: null, baseUrl: url)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "v2/agent/" + id, key: null, baseUrl: url)).Status);
        (_, string status) = await SendAsync(HttpMethod.Get, "v2/agent/" + id, key: null, baseUrl: url);
        Assert.Contains("\"creditsUsed\":4", status, StringComparison.Ordinal);
    }

    /// <summary>The rows of the docs/emulator.md table under <paramref name="header"/>.</summary>
    private static List<string> DocsTable(string header)
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Firecrawl.Client.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        string[] lines = File.ReadAllLines(Path.Combine(directory!, "docs", "emulator.md"));
        int start = Array.IndexOf(lines, header);
        Assert.True(start >= 0, $"docs/emulator.md has no table headed {header}");
        return [.. lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))];
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ControlAsync(HttpMethod method, string path, string? json = null, string? baseUrl = null)
    {
        (HttpStatusCode status, string body) = await SendAsync(method, "__emulator/" + path, key: null, baseUrl: baseUrl, json: json);
        return (status, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? key, string? baseUrl = null, string? json = null, (string Name, string Value)? extraHeader = null)
    {
        using HttpResponseMessage response = await SendRawAsync(method, path, key, baseUrl, json, extraHeader);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? key, string? baseUrl = null, string? json = null, (string Name, string Value)? extraHeader = null)
    {
        var request = new HttpRequestMessage(method, (baseUrl ?? Url) + path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (extraHeader is { } header)
        {
            request.Headers.Add(header.Name, header.Value);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await Http.SendAsync(request);
    }
}
