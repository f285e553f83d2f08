using System.Globalization;
using System.Net;
using System.Text;
using Firecrawl.Client.Testing;

namespace Firecrawl.Cli;

/// <summary>
/// <c>firecrawl emulator</c>: a standalone Firecrawl for tests in any language. It answers like the real server, with
/// keys and a limiter if asked, and (with <c>--control</c>) a control API under <c>/__emulator/</c>. Its first stdout
/// line is its URL, so a script can read it; everything meant for a person goes to stderr.
/// </summary>
internal static class EmulatorCommand
{
    /// <summary>The real server's port, so a client configured for a local Firecrawl finds the emulator unchanged.</summary>
    public const int DefaultPort = 3002;

    public static async Task<int> RunAsync(EmulatorSettings settings, CliConsole console, CancellationToken cancellationToken)
    {
        FirecrawlEmulatorOptions options = settings.ToOptions();
        FirecrawlEmulator emulator;
        try
        {
            emulator = await FirecrawlEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException error)
        {
            await console.Error.WriteLineAsync($"error: {TerminalText.Clean(error.Message)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await using (emulator.ConfigureAwait(false))
        {
            if (!IPAddress.IsLoopback(settings.Address))
            {
                await console.Error.WriteLineAsync($"warning: the emulator listens on {settings.Address}, beyond this machine. It has no real security: its keys are a list, and anyone who reaches it can use it.").ConfigureAwait(false);
            }

            string url = emulator.BaseAddress.AbsoluteUri;
            await console.Out.WriteLineAsync(settings.Json ? ReadyJson(settings, url) : url).ConfigureAwait(false);
            await console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (!settings.Json)
            {
                await console.Error.WriteLineAsync(Describe(settings, url)).ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM: the way to stop a server, so a success.
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>The ready line of <c>--json</c>: one object, the URL first, never a key.</summary>
    internal static string ReadyJson(EmulatorSettings settings, string url) => JsonOutput.Object(json =>
    {
        json.WriteString("url", url);
        json.WriteString("host", settings.Address.ToString());
        json.WriteNumber("port", new Uri(url).Port);
        json.WriteString("profile", settings.NewerCloud ? "newer-cloud" : "self-hosted");
        json.WriteNumber("keys", settings.Keys.Count);
        if (settings.RateLimit is { } limit)
        {
            json.WriteNumber("rateLimit", limit);
            json.WriteNumber("rateLimitWindowSeconds", settings.RateLimitWindow.TotalSeconds);
        }
        else
        {
            json.WriteNull("rateLimit");
        }

        if (settings.Control)
        {
            json.WriteString("control", url + "__emulator/");
        }
        else
        {
            json.WriteNull("control");
        }
    });

    private static string Describe(EmulatorSettings settings, string url)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Firecrawl emulator ({(settings.NewerCloud ? "newer cloud" : "self-hosted, August 2025 build")}) at {url}");
        text.Append(settings.Keys.Count == 0 ? "; no keys: every request is one team, as a self-hosted server without auth." : $"; {settings.Keys.Count} key(s), one team each.");
        if (settings.RateLimit is { } limit)
        {
            text.Append(CultureInfo.InvariantCulture, $" Rate limit: {limit} cancels, status reads and active-crawl lists per {settings.RateLimitWindow.TotalSeconds:0.###} s per team.");
        }

        text.AppendLine();
        text.Append(settings.Control
            ? $"Control API: {url}__emulator/ (GET it for the list). "
            : "Start it with --control for the control API (create jobs in a state, queue faults, read requests). ");
        text.Append("Point a client at it with FIRECRAWL_API_URL. Stop with Ctrl+C.");
        return text.ToString();
    }
}

/// <summary><c>firecrawl emulator</c>'s command line, checked.</summary>
internal sealed record EmulatorSettings(
    IPAddress Address,
    int Port,
    IReadOnlyList<string> Keys,
    int? RateLimit,
    TimeSpan RateLimitWindow,
    bool NewerCloud,
    bool Control,
    bool Json)
{
    public FirecrawlEmulatorOptions ToOptions()
    {
        var options = new FirecrawlEmulatorOptions
        {
            Host = Address.ToString(),
            Port = Port,
            Profile = NewerCloud ? FirecrawlServerProfile.NewerCloud : FirecrawlServerProfile.SelfHosted2025,
            RateLimitPerWindow = RateLimit,
            RateLimitWindow = RateLimitWindow,
            EnableControlApi = Control,

            // Only the control API reads the record; without it a long-running server would only grow.
            RecordRequests = Control,
        };
        foreach (string key in Keys)
        {
            options.ApiKeys.Add(key);
        }

        return options;
    }

    /// <summary>
    /// A duration as people write one: <c>60s</c>, <c>1m</c>, <c>1500ms</c>, <c>1h</c>, or a plain number of seconds.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        (string number, double unit) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.001),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3600),
            _ => (text, 1),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value <= 0)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * unit);
        return duration >= TimeSpan.FromMilliseconds(100) && duration <= TimeSpan.FromDays(1);
    }
}
