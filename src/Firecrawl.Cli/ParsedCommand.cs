namespace Firecrawl.Cli;

/// <summary>A command line, checked. Hand-parsed: three commands and four options do not justify a dependency.</summary>
internal sealed record ParsedCommand(string Name, string? JobId, string? ApiKey, string? ApiUrl, Client.FirecrawlApiVersion ApiVersion, bool Json, bool NewerCloud = false)
{
    public static ParsedCommand Parse(string[] args)
    {
        var positional = new List<string>();
        string? apiKey = null;
        string? apiUrl = null;
        var version = Client.FirecrawlApiVersion.V1;
        bool json = false;
        bool newerCloud = false;

        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];

            // The GNU form --name=value: split it, so every option takes it. The value is never echoed in an error, as
            // it may be a key.
            string? inline = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                inline = arg[(equals + 1)..];
                arg = arg[..equals];
            }

            switch (arg)
            {
                case "-h" or "--help" or "help":
                    return new ParsedCommand("help", null, null, null, version, false);
                case "--version":
                    return new ParsedCommand("version", null, null, null, version, false);
                case "--json":
                    json = inline is null ? true : throw new UsageException("--json takes no value.");
                    break;
                case "--profile":
                    newerCloud = (inline ?? Value(args, ref i)) switch
                    {
                        "self-hosted" => false,
                        "newer-cloud" => true,
                        _ => throw new UsageException("--profile must be self-hosted or newer-cloud."),
                    };
                    break;
                case "--api-key":
                    apiKey = inline ?? Value(args, ref i);
                    break;
                case "--api-url":
                    apiUrl = inline ?? Value(args, ref i);
                    break;
                case "--api-version":
                    version = (inline ?? Value(args, ref i)).ToLowerInvariant() switch
                    {
                        "v1" or "1" => Client.FirecrawlApiVersion.V1,
                        "v2" or "2" => Client.FirecrawlApiVersion.V2,
                        _ => throw new UsageException("--api-version must be v1 or v2."),
                    };
                    break;
                default:
                    if (arg.StartsWith('-') && arg.Length > 1)
                    {
                        // Only the name: whatever follows '=' may be a secret.
                        throw new UsageException($"Unknown option '{TerminalText.Clean(arg.Split('=')[0])}'.");
                    }

                    positional.Add(arg);
                    break;
            }
        }

        return positional switch
        {
            [] => throw new UsageException("No command given."),
            ["demo"] => new ParsedCommand("demo", null, apiKey, apiUrl, version, json),
            ["emulator"] => new ParsedCommand("emulator", null, apiKey, apiUrl, version, json, newerCloud),
            ["batch-scrape" or "crawl", "cancel", string id] => new ParsedCommand(positional[0], id, apiKey, apiUrl, version, json),
            ["batch-scrape" or "crawl", "cancel"] => throw new UsageException("Missing the job id: firecrawl " + positional[0] + " cancel <id>."),
            ["batch-scrape" or "crawl", ..] => throw new UsageException($"Unknown or incomplete command '{string.Join(' ', positional)}'; the only action is 'cancel <id>'."),
            _ => throw new UsageException($"Unknown command '{string.Join(' ', positional)}'."),
        };
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"{args[i]} needs a value.");
        }

        return args[++i];
    }
}

/// <summary>The command line is wrong; the message says how.</summary>
internal sealed class UsageException(string message) : Exception(message);
