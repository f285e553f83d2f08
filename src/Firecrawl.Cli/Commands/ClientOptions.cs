using System.CommandLine;
using Firecrawl.Client;
using Firecrawl.Client.Redis;

namespace Firecrawl.Cli;

/// <summary>The options of a command that talks to a Firecrawl server, made once for the root and once per noun.</summary>
internal sealed record ClientOptions(Option<string> ApiKey, Option<string> ApiUrl, Option<string> ApiVersion, Option<bool> Json, Option<bool> AllowPlainHttp)
{
    public static ClientOptions Create(bool recursive)
    {
        Option<string> apiVersion = CliOptions.Choice("--api-version", "Route version (default: v1)", fallback: null, "v1", "v2");
        apiVersion.Recursive = recursive;
        return new ClientOptions(
            new Option<string>("--api-key") { Description = $"API key (default: {FirecrawlClientOptions.ApiKeyEnvironmentVariable}; none means no Authorization header)", HelpName = "key", Recursive = recursive },
            new Option<string>("--api-url") { Description = $"Server address (default: {FirecrawlClientOptions.BaseAddressEnvironmentVariable}, then https://api.firecrawl.dev)", HelpName = "url", Recursive = recursive },
            apiVersion,
            new Option<bool>("--json") { Description = "Print the result or the error as JSON on stdout (one object per line for many jobs)", Recursive = recursive },
            new Option<bool>("--allow-plain-http") { Description = "Send the key to a plain http:// server beyond this machine (a self-hosted server on a network you trust)", Recursive = recursive });
    }

    public void AddTo(Command command)
    {
        command.Add(ApiKey);
        command.Add(ApiUrl);
        command.Add(ApiVersion);
        command.Add(Json);
        command.Add(AllowPlainHttp);
    }

    /// <summary>The values given on the command (or its noun), else on the root before the noun.</summary>
    public ClientValues Read(ParseResult parsed, ClientOptions global, string? redis) => new(
        parsed.GetValue(ApiKey) ?? parsed.GetValue(global.ApiKey),
        parsed.GetValue(ApiUrl) ?? parsed.GetValue(global.ApiUrl),
        (parsed.GetValue(ApiVersion) ?? parsed.GetValue(global.ApiVersion)) == "v2" ? FirecrawlApiVersion.V2 : FirecrawlApiVersion.V1,
        parsed.GetValue(Json) || parsed.GetValue(global.Json),
        parsed.GetValue(AllowPlainHttp) || parsed.GetValue(global.AllowPlainHttp),
        redis);
}

/// <summary>What the command line said about the server and how to talk to it, before it is checked.</summary>
internal sealed record ClientValues(string? ApiKey, string? ApiUrl, FirecrawlApiVersion ApiVersion, bool Json, bool AllowPlainHttp, string? Redis)
{
    /// <summary>The environment variable that names the Redis a fleet of <c>firecrawl</c> processes paces through.</summary>
    public const string RedisEnvironmentVariable = "FIRECRAWL_REDIS";

    /// <summary>
    /// The client's options and the Redis configuration, each taken from its option or, when that is not given, its
    /// environment variable, and checked as the library will check them, so that every problem names the option or the
    /// variable it came from and says how to fix it, without echoing a key.
    /// </summary>
    public (FirecrawlClientOptions Options, string? Redis, List<string> Problems) Check(Func<string, string?> environment)
    {
        var problems = new List<string>();
        (string? key, string keyName) = Either(ApiKey, "--api-key", environment, FirecrawlClientOptions.ApiKeyEnvironmentVariable);
        (string? url, string urlName) = Either(ApiUrl, "--api-url", environment, FirecrawlClientOptions.BaseAddressEnvironmentVariable);
        (string? redis, string redisName) = Either(Redis, "--redis", environment, RedisEnvironmentVariable);

        if (key is not null && string.IsNullOrWhiteSpace(key))
        {
            problems.Add($"{keyName} is empty: give the key (fc-...), or leave {keyName} out to send no Authorization header.");
            key = null;
        }

        Uri? address = null;
        if (url is not null && !Uri.TryCreate(url.Trim(), UriKind.Absolute, out address))
        {
            // Not echoed: text that is not a URL at all may be a key pasted into the wrong option.
            problems.Add($"{urlName} is not an absolute URL such as https://api.firecrawl.dev or http://localhost:3002 (its value is not shown, in case it is a key).");
        }

        var options = new FirecrawlClientOptions
        {
            ApiKey = key,
            BaseAddress = address,
            ApiVersion = ApiVersion,
            AllowApiKeyOverPlainHttp = AllowPlainHttp,
        };
        if (url is null || address is not null)
        {
            // The library's own checks, in the command line's names; the environment was read above, so it is not read again.
            problems.AddRange(OptionChecks.Validate(options, static _ => null, out _, out _, new SettingNames(keyName, urlName, "add --allow-plain-http", $"--api-key or {FirecrawlClientOptions.ApiKeyEnvironmentVariable}")));
        }

        if (redis is not null && RedisConfigurationText.Problem(redis) is { } redisProblem)
        {
            problems.Add($"{redisName} {redisProblem}.");
        }

        return (options, redis, problems);
    }

    /// <summary>The option's value when it was given, else the variable's, with the name of whichever it was.</summary>
    private static (string? Value, string Name) Either(string? option, string optionName, Func<string, string?> environment, string variable) =>
        option is not null
            ? (option, optionName)
            : (environment(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null, variable);
}
