using System.Diagnostics;
using System.Text.Json;
using Firecrawl.Client.Testing;

namespace Firecrawl.Cli.Tests;

/// <summary>The command in a terminal and in CI logs: GNU options, no secrets in errors, no control sequences.</summary>
public sealed class HostileOutputTests
{
    private const string Secret = "fc-secret-value-that-must-never-be-printed";

    private static readonly string Key = FirecrawlEmulator.NewApiKey();

    [Fact]
    public async Task Cancel_GnuFormForEveryOption_IsAccepted()
    {
        var options = new FirecrawlEmulatorOptions();
        options.ApiKeys.Add(Key);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        string id = emulator.CreateBatchScrapeJob();

        Cli.Run run = await Cli.RunAsync("batch-scrape", "cancel", id, $"--api-key={Key}", $"--api-url={emulator.BaseAddress.AbsoluteUri}", "--api-version=v2", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("/v2/batch/scrape/" + id, emulator.Requests.Single().RawTarget);
        Assert.Equal("Bearer " + Key, emulator.Requests.Single().Headers["Authorization"]);
        Assert.DoesNotContain(Key, run.Out + run.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--api-kee=" + Secret, "--api-kee")]
    [InlineData("-k=" + Secret, "-k")]
    [InlineData("--api-version=" + Secret, "--api-version")]
    [InlineData("--api-url=" + Secret, "absolute URL")]
    [InlineData("--json=" + Secret, "--json")]
    public async Task Cancel_BadOptionCarryingAKey_ErrorNamesTheOptionButNeverPrintsTheValue(string option, string named)
    {
        Cli.Run run = await Cli.RunAsync("batch-scrape", "cancel", "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f", option);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, run.Out + run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ServerTextWithEscapeSequencesAndCarriageReturns_PrintedWithoutThem()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        const string hostile = "\u001B[2J\u001B[H\u001B]0;owned\u0007Job \u009B31mnot\u202E found\rOK: cancelled\u001B[0m";
        emulator.Faults.EnqueueForJob(id, EmulatorFault.Status(404, JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = hostile }, CliJson.Default.DictionaryStringString)));

        Cli.Run run = await Cli.RunAsync("batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("Job not foundOK: cancelled", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001B', run.Err);
        Assert.DoesNotContain('\r', run.Err);
        Assert.DoesNotContain('\u009B', run.Err);
        Assert.DoesNotContain('\u202E', run.Err);
        Assert.DoesNotContain('\u0007', run.Err);
    }

    [Fact]
    public async Task Cancel_ServerTextWithEscapeSequencesInJson_IsEscapedByTheSerializer()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.Status(404, """{"error":"\u001b[2Jgone\r"}"""));

        Cli.Run run = await Cli.RunAsync("batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri, "--json");

        Assert.Equal(3, run.ExitCode);
        Assert.DoesNotContain('\u001B', run.Out);
        using JsonDocument json = JsonDocument.Parse(run.Out);
        Assert.Equal("\u001B[2Jgone\r", json.RootElement.GetProperty("error").GetProperty("serverMessage").GetString());
    }

    [Fact]
    public async Task Cancel_HttpProxyInTheEnvironmentAndALoopbackServer_ReachesTheServerDirectly()
    {
        using var proxy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        proxy.Start();
        var options = new FirecrawlEmulatorOptions();
        options.ApiKeys.Add(Key);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        string id = emulator.CreateBatchScrapeJob();
        string proxyUrl = $"http://127.0.0.1:{((System.Net.IPEndPoint)proxy.LocalEndpoint).Port}";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "firecrawl.dll"), "batch-scrape", "cancel", id, "--api-url", emulator.BaseAddress.AbsoluteUri },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["HTTP_PROXY"] = proxyUrl,
                ["http_proxy"] = proxyUrl,
                ["ALL_PROXY"] = proxyUrl,
                ["NO_PROXY"] = string.Empty,
                ["FIRECRAWL_API_KEY"] = Key,
            },
        };

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Contains($"Cancelled batch scrape {id}.", await stdout, StringComparison.Ordinal);
        Assert.False(proxy.Pending(), "The command handed the request to the proxy.");
        Assert.Equal("Bearer " + Key, emulator.Requests.Single().Headers["Authorization"]);
    }

    [Theory]
    [InlineData("body", false)]
    [InlineData("body", true)]
    [InlineData("redirect", false)]
    [InlineData("redirect", true)]
    public async Task Cancel_ServerEchoesTheKey_NeitherTheTextNorTheJsonOutputCarriesIt(string where, bool json)
    {
        var options = new FirecrawlEmulatorOptions();
        options.ApiKeys.Add(Key);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, where == "body"
            ? EmulatorFault.Status(401, $$"""{"success":false,"error":"Unauthorized: Invalid token Bearer {{Key}}","code":"{{Key}}"}""")
            : EmulatorFault.Redirect(new Uri($"https://elsewhere.example/steal?key={Key}")));

        Cli.Run run = await Cli.RunAsync(["batch-scrape", "cancel", id, "--api-key", Key, "--api-url", emulator.BaseAddress.AbsoluteUri, .. json ? new[] { "--json" } : []]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("[REDACTED]", run.Out + run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, run.Out + run.Err, StringComparison.Ordinal);
    }
}
