using System.Text.Json;
using Firecrawl.Client.Testing;

namespace Firecrawl.Cli.Tests;

/// <summary>
/// Every error about an input names the input (the option or the environment variable), says what is wrong and how to
/// fix it, never names a parameter of a library the command calls, and never shows a secret; and bad input is quoted in
/// bounded form (its start and its length) wherever it is echoed.
/// </summary>
public sealed class InputErrorTests
{
    private const string Secret = "hunter2-never-print-me";

    /// <summary>One row per option and variable of every command: what to give, and what the error must name.</summary>
    public static TheoryData<string[], Dictionary<string, string?>, string> BadInputs()
    {
        Dictionary<string, string?> none = [];
        const string id = "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f";
        return new()
        {
            // The cancel commands.
            { ["crawl", "cancel", id, "--api-key", " "], none, "--api-key is empty" },
            { ["crawl", "cancel", id, "--api-key", "fc-" + Secret + " x"], none, "--api-key contains a character that cannot be sent" },
            { ["crawl", "cancel", id], new() { ["FIRECRAWL_API_KEY"] = "fc-" + Secret + "\u00e9" }, "FIRECRAWL_API_KEY contains a character that cannot be sent" },
            { ["crawl", "cancel", id, "--api-url", Secret], none, "--api-url is not an absolute URL" },
            { ["crawl", "cancel", id], new() { ["FIRECRAWL_API_URL"] = Secret }, "FIRECRAWL_API_URL is not an absolute URL" },
            { ["crawl", "cancel", id], new() { ["FIRECRAWL_API_URL"] = "ftp://files.example" }, "FIRECRAWL_API_URL 'ftp://files.example/' must use http or https" },
            { ["crawl", "cancel", id, "--api-url", $"https://me:{Secret}@api.example"], none, "--api-url 'https://api.example/' must not carry user info (user:password@); give the key as --api-key or FIRECRAWL_API_KEY" },
            { ["crawl", "cancel", id, "--api-url", "https://api.example/?tenant=1"], none, "--api-url 'https://api.example/?tenant=1' must not have a query" },
            { ["crawl", "cancel", id, "--api-url", "http://10.0.0.9:3002", "--api-key", "fc-0123"], none, "--api-url 'http://10.0.0.9:3002/' is plain http and not loopback, so the API key would cross the network unencrypted. Use https, or add --allow-plain-http" },
            { ["crawl", "cancel", id, "--api-url", "http://10.0.0.9:3002"], new() { ["FIRECRAWL_API_KEY"] = "fc-0123" }, "--api-url 'http://10.0.0.9:3002/' is plain http" },
            { ["crawl", "cancel", id, "--api-version", "v3"], none, "The value of --api-version is not valid: expected v1 or v2" },
            { ["crawl", "cancel", id, "--api-key"], none, "--api-key needs a value" },
            { ["crawl", "cancel", id, "x2", "--concurrency", "0"], none, "The value of --concurrency is not valid: expected a whole number from 1 to 1000" },
            { ["crawl", "cancel", id, "x2", "--concurrency", Secret], none, "The value of --concurrency is not valid" },
            { ["crawl", "cancel", "--from-file", "/no/such/file-" + Secret[..6]], none, "--from-file '/no/such/file-hunter' cannot be read: its folder does not exist" },
            { ["crawl", "cancel", "--from-file", "/tmp"], none, "--from-file '/tmp' cannot be read" },
            { ["crawl", "cancel", id, "--redis", ""], none, "--redis is empty" },
            { ["crawl", "cancel", id, "--redis", $"localhost:6379,pasword={Secret}"], none, "--redis has an unknown keyword 'pasword'" },
            { ["crawl", "cancel", id, "--redis", "localhost:6379,asyncTimeout=soon"], none, "--redis gives the keyword 'asyncTimeout' a value it does not take: it needs a whole number" },
            { ["crawl", "cancel", id, "--redis", "localhost:63x9"], none, "--redis has the server 'localhost:63x9', whose port is not a number from 1 to 65535" },
            { ["crawl", "cancel", id, "--redis", $"password={Secret}"], none, "--redis names no Redis server: start it with host:port" },
            { ["crawl", "cancel", id], new() { ["FIRECRAWL_REDIS"] = $"password={Secret},ssl=true" }, "FIRECRAWL_REDIS names no Redis server" },
            { ["crawl", "cancel", id], new() { ["FIRECRAWL_REDIS"] = "localhost,ssl=perhaps" }, "FIRECRAWL_REDIS gives the keyword 'ssl' a value it does not take: it needs true or false" },
            { ["crawl", "cancel", id, "--json=" + Secret], none, "--json takes no value" },
            { ["crawl", "cancel", id, "--dry-run=" + Secret], none, "--dry-run takes no value" },
            { ["crawl", "cancel", "--all-active=" + Secret], none, "--all-active takes no value" },
            { ["crawl", "cancel", "--allow-plain-http=yes", id], none, "--allow-plain-http takes no value" },
            { ["crawl", "cancel", "--all-active", id], none, "--all-active takes no ids" },
            { ["batch-scrape", "cancel"], none, "No job ids given" },
            { ["batch-scrape", "cancel", "a/b"], none, "The job id 'a/b' contains '/'" },

            // The standalone emulator.
            { ["emulator", "--port", Secret], none, "The value of --port is not valid: expected a whole number from 0 (a free port) to 65535" },
            { ["emulator", "--port", "70000"], none, "The value of --port is not valid" },
            { ["emulator", "--host", "server.example"], none, "The value of --host is not valid: expected an IP address" },
            { ["emulator", "--host", "0.0.0.0"], none, "--host is not a loopback address" },
            { ["emulator", "--accept-key", "fc-" + Secret], none, "The value of --accept-key is not valid: expected a key of the real form" },
            { ["emulator", "--rate-limit", "0"], none, "The value of --rate-limit is not valid: expected a whole number from 1 to 1000000" },
            { ["emulator", "--rate-limit", "5", "--rate-limit-window", "forever"], none, "The value of --rate-limit-window is not valid: expected a duration" },
            { ["emulator", "--rate-limit-window", "5s"], none, "--rate-limit-window needs --rate-limit" },
            { ["emulator", "--profile", "cloud"], none, "The value of --profile is not valid: expected self-hosted or newer-cloud" },
            { ["emulator", "--control=" + Secret], none, "--control takes no value" },
            { ["emulator", "--allow-remote=yes"], none, "--allow-remote takes no value" },
        };
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task EveryInput_ABadValue_IsAUsageErrorThatNamesTheInputAndNeverALibraryParameterOrASecret(string[] args, Dictionary<string, string?> environment, string named)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        if (!environment.ContainsKey("FIRECRAWL_API_URL") && !args.Contains("--api-url") && args[0] != "emulator")
        {
            environment = new Dictionary<string, string?>(environment) { ["FIRECRAWL_API_URL"] = emulator.BaseAddress.AbsoluteUri };
        }

        Cli.Run run = await Cli.RunAsync(environment, CancellationToken.None, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: " + named, run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, run.Out + run.Err, StringComparison.Ordinal);
        Assert.Empty(emulator.Requests);
    }

    [Fact]
    public async Task Emulator_PortTaken_TheErrorNamesThePortOption()
    {
        await using FirecrawlEmulator taken = await FirecrawlEmulator.StartAsync();

        Cli.Run run = await Cli.RunAsync("emulator", "--port", taken.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(6, run.ExitCode);
        Assert.Contains($"error: --port {taken.BaseAddress.Port}: ", run.Err, StringComparison.Ordinal);
        Assert.Contains("the port is in use", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMegabyteLineOnStdin_IsQuotedByItsStartAndLength_NotEchoedWhole()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string huge = "x" + new string('y', 1024 * 1024 - 1);
        string good = emulator.CreateBatchScrapeJob();

        Cli.Run text = await Cli.RunWithInputAsync($"{huge}\n{good}\n", [], CancellationToken.None, "batch-scrape", "cancel", "--from-file", "-", "--api-url", emulator.BaseAddress.AbsoluteUri);
        Cli.Run json = await Cli.RunWithInputAsync($"{huge}\n", [], CancellationToken.None, "batch-scrape", "cancel", "--from-file", "-", "--api-url", emulator.BaseAddress.AbsoluteUri, "--json");

        Assert.Equal(7, text.ExitCode);
        Assert.True(text.Err.Length < 2_000, $"stderr was {text.Err.Length} characters");
        Assert.Contains("(1,048,576 characters)", text.Err, StringComparison.Ordinal);
        Assert.Contains("'xyyyyyyy", text.Err, StringComparison.Ordinal);
        Assert.True(json.Out.Length < 4_000, $"stdout was {json.Out.Length} characters");
        using JsonDocument line = JsonDocument.Parse(json.Out.Split('\n')[0]);
        Assert.Equal(1024 * 1024, line.RootElement.GetProperty("jobIdLength").GetInt32());
        Assert.StartsWith("xyyy", line.RootElement.GetProperty("jobId").GetString(), StringComparison.Ordinal);
        Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(good));
        Assert.Single(emulator.Requests);
    }

    [Theory]
    [InlineData("argument")]
    [InlineData("option")]
    [InlineData("from-file")]
    public async Task AHugeValueAnywhere_IsQuotedBounded(string where)
    {
        string huge = new('z', 200_000);
        Cli.Run run = where switch
        {
            "argument" => await Cli.RunAsync("crawl", "cancel", huge, "--api-url", "http://127.0.0.1:1"),
            "option" => await Cli.RunAsync("crawl", "cancel", "x", "--" + huge),
            _ => await Cli.RunAsync("crawl", "cancel", "--from-file", "/tmp/" + huge),
        };

        Assert.Equal(2, run.ExitCode);
        Assert.True(run.Err.Length < 4_000, $"stderr was {run.Err.Length} characters");
        Assert.Contains("characters)", run.Err, StringComparison.Ordinal);
    }
}
