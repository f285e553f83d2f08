using System.Globalization;
using StackExchange.Redis;

namespace Firecrawl.Client.Redis;

/// <summary>
/// What is wrong with a StackExchange.Redis configuration string, said about the string: which server or keyword, what
/// it should be, never a value (a password may be among them). StackExchange.Redis's own messages name its parameters
/// (<c>(Parameter 'config')</c>), and it reads <c>localhost:abc</c> as no server at all, without saying why.
/// </summary>
internal static class RedisConfigurationText
{
    /// <summary>The problem, in words that can follow the name of the option or variable the string came from; null when it is usable.</summary>
    public static string? Problem(string configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            return "is empty: give the Redis server as host:port, such as localhost:6379";
        }

        int servers = 0;
        foreach (string part in configuration.Split(','))
        {
            string token = part.Trim();
            if (token.Length == 0)
            {
                continue;
            }

            int equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (ServerProblem(token) is { } server)
                {
                    return server;
                }

                servers++;
                continue;
            }

            if (KeywordProblem(token, token[..equals].Trim()) is { } keyword)
            {
                return keyword;
            }
        }

        return servers == 0
            ? "names no Redis server: start it with host:port, such as localhost:6379,password=... (the keywords alone do not say where Redis is)"
            : null;
    }

    /// <summary>A server, <c>host</c>, <c>host:port</c> or <c>[::1]:port</c>, whose port must be a number from 1 to 65535.</summary>
    private static string? ServerProblem(string token)
    {
        int colon = token.StartsWith('[') ? token.IndexOf("]:", StringComparison.Ordinal) + 1 : token.LastIndexOf(':');
        if (token.StartsWith('[') && !token.Contains(']', StringComparison.Ordinal))
        {
            return $"has the server {InputText.Quote(token)}, an IPv6 address without its closing ']': write it as [::1]:6379";
        }

        if (colon <= 0 || (!token.StartsWith('[') && token.IndexOf(':') != colon))
        {
            // No port (the default, 6379, is used), or a bare IPv6 address.
            return null;
        }

        string port = token[(colon + 1)..];
        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is >= 1 and <= 65535
            ? null
            : $"has the server {InputText.Quote(token)}, whose port is not a number from 1 to 65535: write it as host:port, such as localhost:6379";
    }

    /// <summary>Asks StackExchange.Redis about one keyword on its own, and says what it refused without its value.</summary>
    private static string? KeywordProblem(string token, string keyword)
    {
        try
        {
            _ = ConfigurationOptions.Parse(token);
            return null;
        }
        catch (ArgumentException exception)
        {
            string name = InputText.Quote(keyword);
            if (exception is not ArgumentOutOfRangeException)
            {
                return $"has an unknown keyword {name}: StackExchange.Redis knows password, user, ssl, asyncTimeout, connectTimeout, abortConnect, defaultDatabase and others; check its spelling";
            }

            string expected = exception.Message.Contains("integer", StringComparison.OrdinalIgnoreCase) ? "a whole number"
                : exception.Message.Contains("boolean", StringComparison.OrdinalIgnoreCase) ? "true or false"
                : exception.Message.Contains("version", StringComparison.OrdinalIgnoreCase) ? "a version, such as 7.0"
                : "a value it accepts";
            return $"gives the keyword {name} a value it does not take: it needs {expected}";
        }
    }
}
