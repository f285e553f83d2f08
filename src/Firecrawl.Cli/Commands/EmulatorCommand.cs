using System.CommandLine;
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

    /// <summary>Each server build the emulator can answer like: its name on the command line and in words.</summary>
    internal static readonly (string Name, FirecrawlServerProfile Profile, string Words)[] Profiles =
    [
        ("self-hosted", FirecrawlServerProfile.SelfHosted2025, "self-hosted, August 2025 build"),
        ("newer-cloud", FirecrawlServerProfile.NewerCloud, "newer cloud, August 2026"),
        ("newest-cloud", FirecrawlServerProfile.NewestCloud, "newest cloud, FoundationDB queue"),
    ];

    /// <summary>The command and its options, each checked, in its own words, before the server starts.</summary>
    public static Command Create(CliContext context)
    {
        Option<int> port = CliOptions.Number(
            "--port", "The port to listen on, by default the real server's; 0 picks a free one", "n", 0, 65535, DefaultPort, "a whole number from 0 (a free port) to 65535");
        var host = new Option<string>("--host")
        {
            Description = "The address to listen on (default: 127.0.0.1); any other than loopback needs --allow-remote",
            HelpName = "address",
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
                if (ParseHost(text) is null)
                {
                    result.AddError(CliOptions.Invalid("--host", "an IP address, such as 127.0.0.1 or ::1, or localhost"));
                }

                return text;
            },
        };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Let --host be an address beyond this machine, although the emulator has no real security" };
        var acceptKey = new Option<string[]>("--accept-key") { Description = "A key to accept, its own team; repeat for more teams (default: none, the keyless self-hosted mode)", HelpName = "key", AllowMultipleArgumentsPerToken = false };
        acceptKey.Validators.Add(static result =>
        {
            if ((result.GetValueOrDefault<string[]>() ?? []).Any(static key => !KeyAuthenticator.IsWellFormedKey(key)))
            {
                // Never echo it: a key is a key even when it is malformed.
                result.AddError(CliOptions.Invalid("--accept-key", "a key of the real form, 'fc-' followed by 32 hex digits"));
            }
        });
        Option<int?> rateLimit = CliOptions.OptionalNumber(
            "--rate-limit", "Cancels, status reads and active-crawl lists each team may make per window, then Firecrawl's 429 (default: no limit)", "n", 1, 1_000_000, "a whole number from 1 to 1000000");
        Option<TimeSpan?> rateLimitWindow = CliOptions.Duration(
            "--rate-limit-window", "The rate-limit window, per team and mode (default: 60s)", TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1), "a duration from 100ms to 24h, such as 60s, 1m or 1500ms");
        Option<string> profile = CliOptions.Choice("--profile", "Which server build to answer like", "self-hosted", [.. Profiles.Select(static p => p.Name)]);
        var control = new Option<bool>("--control") { Description = "Serve the control API under /__emulator/: create jobs in a state, queue faults, read requests, reset" };
        var json = new Option<bool>("--json") { Description = "Print the ready line as a JSON object (url, port, profile, keys, rate limit, control)" };

        var emulator = new Command("emulator", "Serve a standalone Firecrawl for tests in any language until Ctrl+C or SIGTERM")
        {
            port, host, allowRemote, acceptKey, rateLimit, rateLimitWindow, profile, control, json,
        };
        emulator.SetAction(async (parsed, token) =>
        {
            IPAddress address = ParseHost(parsed.GetValue(host)) ?? IPAddress.Loopback;
            if (!IPAddress.IsLoopback(address) && !parsed.GetValue(allowRemote))
            {
                return await context.UsageAsync(emulator, ["--host is not a loopback address: the emulator has no real security, so serving beyond this machine needs --allow-remote as well."]).ConfigureAwait(false);
            }

            if (parsed.GetValue(rateLimitWindow) is not null && parsed.GetValue(rateLimit) is null)
            {
                return await context.UsageAsync(emulator, ["--rate-limit-window needs --rate-limit: without a limit there is no window."]).ConfigureAwait(false);
            }

            var settings = new EmulatorSettings(
                address,
                parsed.GetValue(port),
                [.. (parsed.GetValue(acceptKey) ?? []).Distinct(StringComparer.Ordinal)],
                parsed.GetValue(rateLimit),
                parsed.GetValue(rateLimitWindow) ?? TimeSpan.FromSeconds(60),
                Profiles.Single(p => p.Name == parsed.GetValue(profile)).Profile,
                parsed.GetValue(control),
                parsed.GetValue(json));
            return await RunAsync(settings, context.Console, token).ConfigureAwait(false);
        });
        return emulator;
    }

    private static IPAddress? ParseHost(string? text) =>
        text is null ? IPAddress.Loopback
        : text.Trim().Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(text.Trim().Trim('[', ']'), out IPAddress? address) ? address
        : null;

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
            // The library's words say what is wrong with the address; the options that choose it are named here.
            await console.Error.WriteLineAsync($"error: --port {settings.Port}{(settings.Address.Equals(IPAddress.Loopback) ? string.Empty : $", --host {settings.Address}")}: {TerminalText.Clean(error.Message)}").ConfigureAwait(false);
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
        json.WriteString("profile", Profiles.Single(p => p.Profile == settings.Profile).Name);
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
        text.Append(CultureInfo.InvariantCulture, $"Firecrawl emulator ({Profiles.Single(p => p.Profile == settings.Profile).Words}) at {url}");
        text.Append(settings.Keys.Count == 0 ? "; no keys: every request is one team, as a self-hosted server without auth." : $"; {settings.Keys.Count} key(s), one team each.");
        if (settings.RateLimit is { } limit)
        {
            text.Append(CultureInfo.InvariantCulture, $" Rate limit: {limit} cancels, status reads and active-crawl lists per {settings.RateLimitWindow.TotalSeconds:0.###} s per team and bucket.");
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
    FirecrawlServerProfile Profile,
    bool Control,
    bool Json)
{
    public FirecrawlEmulatorOptions ToOptions()
    {
        var options = new FirecrawlEmulatorOptions
        {
            Host = Address.ToString(),
            Port = Port,
            Profile = Profile,
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
}
