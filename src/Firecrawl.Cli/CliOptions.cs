using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Firecrawl.Cli;

/// <summary>
/// Options that say, where they are declared, what they expect: a bad value is reported by System.CommandLine with the
/// option's own words (<c>The value of --port is not valid: expected ...</c>), and never echoed, since a value typed in
/// the wrong place may be a key.
/// </summary>
internal static class CliOptions
{
    /// <summary>The one form of a bad value's error, for every option.</summary>
    public static string Invalid(string name, string expected) => $"The value of {name} is not valid: expected {expected}.";

    public static Option<int> Number(string name, string description, string helpName, int min, int max, int fallback, string expected) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => fallback,
            CustomParser = result => ParseNumber(result, name, min, max, expected) ?? fallback,
        };

    public static Option<int?> OptionalNumber(string name, string description, string helpName, int min, int max, string expected) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result => ParseNumber(result, name, min, max, expected),
        };

    /// <summary>One of <paramref name="choices"/>, the first of them when the option is not given.</summary>
    public static Option<string> Choice(string name, string description, string? fallback, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', choices),
            CustomParser = result =>
            {
                string token = Token(result);
                if (Array.IndexOf(choices, token) < 0)
                {
                    result.AddError(Invalid(name, string.Join(" or ", choices)));
                }

                return token;
            },
        };
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => fallback;
        }

        option.CompletionSources.Add(choices);
        return option;
    }

    /// <summary>A duration as people write one (<c>60s</c>, <c>1m</c>, <c>1500ms</c>), between the bounds.</summary>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan min, TimeSpan max, string expected) =>
        new(name)
        {
            Description = description,
            HelpName = "duration",
            CustomParser = result =>
            {
                if (TryParseDuration(Token(result), out TimeSpan duration) && duration >= min && duration <= max)
                {
                    return duration;
                }

                result.AddError(Invalid(name, expected));
                return null;
            },
        };

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
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value <= 0 || value > 1e7)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * unit);
        return true;
    }

    private static int? ParseNumber(ArgumentResult result, string name, int min, int max, string expected)
    {
        if (int.TryParse(Token(result), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError(Invalid(name, expected));
        return null;
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
}
