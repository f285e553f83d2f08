using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Firecrawl.Client.Testing;

/// <summary>
/// What JavaScript's <c>new URL(text)</c> accepts, for the server's URL checks, and the pathname it gives. The real
/// server runs on Node, whose URL class follows the WHATWG URL standard; .NET's <see cref="Uri"/> accepts and refuses
/// differently (it takes <c>http://256.256.256.256</c>, refuses <c>http://a..com</c> and an empty port), so the parts
/// the checks depend on (scheme, host, port, path) are parsed here as the standard says, for absolute URLs.
/// </summary>
internal static class WhatwgUrl
{
    private static readonly string[] Special = ["http", "https", "ws", "wss", "ftp", "file"];

    /// <summary>Whether <c>new URL(input)</c> would succeed; if so, its protocol's scheme and its pathname.</summary>
    public static bool TryParse(string input, out string scheme, out string pathname)
    {
        scheme = string.Empty;
        pathname = string.Empty;

        // Leading and trailing C0 controls and spaces are stripped, and tabs and newlines removed anywhere.
        string text = input.Trim(C0ControlsAndSpace).Replace("\t", string.Empty, StringComparison.Ordinal)
            .Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(text[0])
            || text.AsSpan(1, colon - 1).ContainsAnyExcept(SchemeChars))
        {
            // No scheme, and there is no base URL to resolve against.
            return false;
        }

        scheme = text[..colon].ToLowerInvariant();
        string rest = text[(colon + 1)..];
        if (!Special.Contains(scheme))
        {
            // A non-special URL ("javascript:", "mailto:") has an opaque path; almost anything parses.
            pathname = rest;
            return true;
        }

        // Special schemes ignore any run of slashes and backslashes before the authority.
        int start = 0;
        while (start < rest.Length && rest[start] is '/' or '\\')
        {
            start++;
        }

        int end = rest.IndexOfAny(['/', '\\', '?', '#'], start);
        string authority = end < 0 ? rest[start..] : rest[start..end];
        string path = end < 0 ? string.Empty : rest[end..];
        int at = authority.LastIndexOf('@');
        string hostAndPort = at < 0 ? authority : authority[(at + 1)..];
        if (at >= 0 && hostAndPort.Length == 0)
        {
            return false;
        }

        if (!TrySplitPort(hostAndPort, out string host, out string port) || !ValidPort(port))
        {
            return false;
        }

        if (host.Length == 0)
        {
            if (scheme != "file")
            {
                return false;
            }
        }
        else if (!ValidHost(host))
        {
            return false;
        }

        pathname = Pathname(path);
        return true;
    }

    private static bool TrySplitPort(string hostAndPort, out string host, out string port)
    {
        if (hostAndPort.StartsWith('['))
        {
            int close = hostAndPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                host = port = string.Empty;
                return false;
            }

            host = hostAndPort[..(close + 1)];
            string after = hostAndPort[(close + 1)..];
            port = after.StartsWith(':') ? after[1..] : string.Empty;
            return after.Length == 0 || after.StartsWith(':');
        }

        int colon = hostAndPort.IndexOf(':', StringComparison.Ordinal);
        host = colon < 0 ? hostAndPort : hostAndPort[..colon];
        port = colon < 0 ? string.Empty : hostAndPort[(colon + 1)..];
        return true;
    }

    private static bool ValidPort(string port) =>
        port.Length == 0 || (port.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
            && (port.TrimStart('0').Length <= 5 && int.Parse("0" + port.TrimStart('0'), CultureInfo.InvariantCulture) <= 65535));

    private static bool ValidHost(string host)
    {
        if (host.StartsWith('['))
        {
            return host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out IPAddress? v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        string domain;
        try
        {
            domain = Uri.UnescapeDataString(host);
            if (domain.Any(static c => c > '\u007f'))
            {
                domain = new IdnMapping().GetAscii(domain);
            }
        }
        catch (ArgumentException)
        {
            return false;
        }

        domain = domain.ToLowerInvariant();
        if (domain.Length == 0 || domain.AsSpan().IndexOfAny(ForbiddenDomainChars) >= 0)
        {
            return false;
        }

        return !EndsInANumber(domain) || IsIpv4(domain);
    }

    /// <summary>The standard's test for a host that must then be an IPv4 address.</summary>
    private static bool EndsInANumber(string domain)
    {
        string[] parts = domain.Split('.');
        string last = parts[^1].Length == 0 && parts.Length > 1 ? parts[^2] : parts[^1];
        return last.Length > 0 && (last.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0 || IsHexNumber(last));
    }

    private static bool IsHexNumber(string part) =>
        part.Length >= 2 && part[0] == '0' && part[1] is 'x' or 'X' && part.AsSpan(2).IndexOfAnyExcept(HexDigits) < 0;

    private static bool IsIpv4(string domain)
    {
        List<string> parts = [.. domain.Split('.')];
        if (parts.Count > 1 && parts[^1].Length == 0)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        if (parts.Count > 4)
        {
            return false;
        }

        var numbers = new List<double>();
        foreach (string part in parts)
        {
            if (!TryIpv4Number(part, out double number))
            {
                return false;
            }

            numbers.Add(number);
        }

        for (int i = 0; i < numbers.Count - 1; i++)
        {
            if (numbers[i] > 255)
            {
                return false;
            }
        }

        return numbers[^1] < Math.Pow(256, 5 - numbers.Count);
    }

    private static bool TryIpv4Number(string part, out double number)
    {
        number = 0;
        if (part.Length == 0)
        {
            return false;
        }

        int radix = 10;
        string digits = part;
        if (IsHexNumber(part) || part is "0x" or "0X")
        {
            radix = 16;
            digits = part[2..];
        }
        else if (part.Length > 1 && part[0] == '0')
        {
            radix = 8;
            digits = part[1..];
        }

        foreach (char c in digits)
        {
            int value = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : 99;
            if (value >= radix)
            {
                return false;
            }

            number = (number * radix) + value;
        }

        return true;
    }

    /// <summary>The pathname of a special URL: backslashes as slashes, dot segments resolved, never empty.</summary>
    private static string Pathname(string path)
    {
        int cut = path.IndexOfAny(['?', '#']);
        string raw = (cut < 0 ? path : path[..cut]).Replace('\\', '/');
        var segments = new List<string>();
        string[] pieces = raw.Split('/');
        for (int i = 1; i < pieces.Length; i++)
        {
            string segment = pieces[i];
            bool last = i == pieces.Length - 1;
            if (segment is "." or "%2e" or "%2E")
            {
                if (last)
                {
                    segments.Add(string.Empty);
                }
            }
            else if (segment is ".." or ".%2e" or ".%2E" or "%2e." or "%2E." or "%2e%2e" or "%2E%2E" or "%2e%2E" or "%2E%2e")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                if (last)
                {
                    segments.Add(string.Empty);
                }
            }
            else
            {
                segments.Add(segment);
            }
        }

        var pathname = new StringBuilder();
        foreach (string segment in segments)
        {
            pathname.Append('/').Append(segment);
        }

        return pathname.Length == 0 ? "/" : pathname.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> SchemeChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The standard's forbidden domain code points: C0 controls, space, # % / : &lt; &gt; ? @ [ \ ] ^ | and DEL.</summary>
    private static readonly System.Buffers.SearchValues<char> ForbiddenDomainChars = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"
        + " #%/:<>?@[\\]^|\u007f");

    private static readonly char[] C0ControlsAndSpace = [.. Enumerable.Range(0, 33).Select(static i => (char)i)];
}
