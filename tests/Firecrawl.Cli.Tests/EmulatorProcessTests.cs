using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Firecrawl.Client.Testing;

namespace Firecrawl.Cli.Tests;

/// <summary>
/// <c>firecrawl emulator</c> as a standalone server, driven only over HTTP and signals, as a test in another language
/// drives it: the options, the ready line, keys, the limiter, the control API and a clean stop.
/// </summary>
[Collection(nameof(EmulatorProcessTests))]
public sealed class EmulatorProcessTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Emulator_WithPortKeyAndRateLimit_ServesAsDescribed()
    {
        int port = EmulatorProcess.FreePort();
        string key = FirecrawlEmulator.NewApiKey();
        await using EmulatorProcess emulator = await EmulatorProcess.StartAsync("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--accept-key", key, "--rate-limit", "5", "--control");
        Assert.Equal($"http://127.0.0.1:{port}/", emulator.FirstLine);
        string url = emulator.FirstLine;

        string job = (await ControlAsync(url, HttpMethod.Post, "jobs", """{"kind":"batch-scrape"}""")).GetProperty("id").GetString()!;
        (HttpStatusCode keyless, string refusal) = await SendAsync(HttpMethod.Delete, url + "v1/batch/scrape/" + job, key: null);
        (HttpStatusCode cancelled, string body) = await SendAsync(HttpMethod.Delete, url + "v1/batch/scrape/" + job, key);
        List<(HttpStatusCode Status, string Body)> more = [];
        for (int i = 0; i < 5; i++)
        {
            more.Add(await SendAsync(HttpMethod.Delete, url + "v1/batch/scrape/" + job, key));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, keyless);
        Assert.Equal("""{"success":false,"error":"Unauthorized"}""", refusal);
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal("""{"status":"cancelled"}""", body);

        // Five per window, the refused 401 not among them (auth runs first): four more pass, the sixth is the server's 429.
        Assert.All(more.Take(4), answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Equal((HttpStatusCode)429, more[4].Status);
        Assert.Contains("Consumed (req/min): 6, Remaining (req/min): 0", more[4].Body, StringComparison.Ordinal);
        Assert.Equal("cancelled", (await ControlAsync(url, HttpMethod.Get, "jobs/" + job)).GetProperty("status").GetString());

        (int code, string errors) = await emulator.StopAsync("TERM");
        Assert.Equal(0, code);
        Assert.DoesNotContain(key, errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Emulator_GetsSigtermOrCtrlC_StopsWithExitZeroAndFreesThePort(string signal)
    {
        await using EmulatorProcess emulator = await EmulatorProcess.StartAsync("--port", "0");
        var url = new Uri(emulator.FirstLine);
        Assert.NotEqual(3002, url.Port);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, url + "v1/crawl/00000000-0000-4000-8000-000000000000", key: null)).Status);

        (int code, _) = await emulator.StopAsync(signal);

        Assert.Equal(0, code);
        await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetAsync(url));
    }

    [Fact]
    public async Task Emulator_Json_PrintsOneReadyObjectWithoutTheKey()
    {
        string key = FirecrawlEmulator.NewApiKey();
        await using EmulatorProcess emulator = await EmulatorProcess.StartAsync("--port", "0", "--json", "--accept-key", key, "--rate-limit", "7", "--rate-limit-window", "1500ms", "--profile", "newer-cloud", "--control");

        using JsonDocument ready = JsonDocument.Parse(emulator.FirstLine);
        JsonElement root = ready.RootElement;
        string url = root.GetProperty("url").GetString()!;
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        Assert.Equal(new Uri(url).Port, root.GetProperty("port").GetInt32());
        Assert.Equal("127.0.0.1", root.GetProperty("host").GetString());
        Assert.Equal("newer-cloud", root.GetProperty("profile").GetString());
        Assert.Equal(1, root.GetProperty("keys").GetInt32());
        Assert.Equal(7, root.GetProperty("rateLimit").GetInt32());
        Assert.Equal(1.5, root.GetProperty("rateLimitWindowSeconds").GetDouble());
        Assert.Equal(url + "__emulator/", root.GetProperty("control").GetString());
        Assert.DoesNotContain(key, emulator.FirstLine, StringComparison.Ordinal);

        // The newer cloud's answers: a v2 cancel of a non-UUID id is refused before the lookup.
        (HttpStatusCode status, string body) = await SendAsync(HttpMethod.Delete, url + "v2/crawl/not-a-uuid", key);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Invalid job ID format", body, StringComparison.Ordinal);
        Assert.Equal(0, (await emulator.StopAsync("TERM")).Code);
    }

    [Fact]
    public async Task Emulator_WithoutControl_ControlPathsGetTheServers404()
    {
        await using EmulatorProcess emulator = await EmulatorProcess.StartAsync("--port", "0");

        (HttpStatusCode status, string body) = await SendAsync(HttpMethod.Get, emulator.FirstLine + "__emulator/", key: null);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("<pre>Cannot GET /__emulator/</pre>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Emulator_PortTaken_FailsNamingThePortAndWhatToDo()
    {
        await using EmulatorProcess first = await EmulatorProcess.StartAsync("--port", "0");
        string port = new Uri(first.FirstLine).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using EmulatorProcess second = await EmulatorProcess.StartAsync("--port", port);
        (int code, string errors) = await second.ExitAsync();

        Assert.Equal(6, code);
        Assert.Equal(string.Empty, second.FirstLine);
        Assert.Contains($"127.0.0.1:{port}: the port is in use", errors, StringComparison.Ordinal);
        Assert.Contains("or 0 for a free one", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--host 0.0.0.0", "--host is not a loopback address")]
    [InlineData("--host example.com", "The value of --host is not valid")]
    [InlineData("--port 70000", "The value of --port is not valid")]
    [InlineData("--accept-key fc-SECRETVALUE", "The value of --accept-key is not valid")]
    [InlineData("--rate-limit 0", "The value of --rate-limit is not valid")]
    [InlineData("--rate-limit 5 --rate-limit-window forever", "The value of --rate-limit-window is not valid")]
    [InlineData("--rate-limit-window 5s", "--rate-limit-window needs --rate-limit")]
    [InlineData("--api-key fc-SECRETVALUE", "Unknown option '--api-key'")]
    public async Task Emulator_BadOptions_AreUsageErrorsThatNeverEchoTheValue(string args, string expected)
    {
        await using EmulatorProcess emulator = await EmulatorProcess.StartAsync(args.Split(' '));
        (int code, string errors) = await emulator.ExitAsync();

        Assert.Equal(2, code);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETVALUE", errors, StringComparison.Ordinal);
        Assert.Equal(string.Empty, emulator.FirstLine);
    }

    [Fact]
    public async Task Emulator_ARemoteHostWithItsFlag_ServesAndWarns()
    {
        await using EmulatorProcess emulator = await EmulatorProcess.StartAsync("--host", "0.0.0.0", "--allow-remote", "--port", "0");
        Assert.StartsWith("http://0.0.0.0:", emulator.FirstLine, StringComparison.Ordinal);

        // Reached through loopback, the links in its answers name the host the client used, as the server's do.
        string local = emulator.FirstLine.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        (HttpStatusCode status, string body) = await SendAsync(HttpMethod.Post, local + "v1/batch/scrape", key: null, """{"urls":["https://example.com"]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"\"url\":\"{local}v1/batch/scrape/", body, StringComparison.Ordinal);

        (int code, string errors) = await emulator.StopAsync("TERM");
        Assert.Equal(0, code);
        Assert.Contains("warning: the emulator listens on 0.0.0.0, beyond this machine", errors, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string url, string? key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> ControlAsync(string url, HttpMethod method, string path, string? json = null)
    {
        (HttpStatusCode status, string body) = await SendAsync(method, url + "__emulator/" + path, key: null, json);
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, $"{status}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
