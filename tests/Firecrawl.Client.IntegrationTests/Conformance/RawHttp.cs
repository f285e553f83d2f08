using System.Net.Sockets;
using System.Text;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>
/// One HTTP/1.1 exchange over a bare socket, so a test sees the answer byte for byte: the status line, every header in
/// the order sent, and the body, with nothing a client library would add, drop or normalise.
/// </summary>
internal static class RawHttp
{
    public static async Task<RawResponse> SendAsync(Uri baseAddress, string method, string target, IEnumerable<(string Name, string Value)>? headers = null, string? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        NetworkStream stream = client.GetStream();
        var request = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\n");
        foreach ((string name, string value) in headers ?? [])
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        byte[] payload = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            request.Append("Content-Length: ").Append(payload.Length).Append("\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        await stream.WriteAsync(payload);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<byte>();
        byte[] buffer = new byte[8192];
        int headEnd = -1;
        int contentLength = 0;
        while (true)
        {
            int read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
            if (headEnd < 0)
            {
                headEnd = IndexOf(received, "\r\n\r\n"u8);
                if (headEnd >= 0)
                {
                    string head = Encoding.ASCII.GetString(received.GetRange(0, headEnd).ToArray());
                    string? length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    contentLength = length is null ? 0 : int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            if (headEnd >= 0 && received.Count >= headEnd + 4 + contentLength)
            {
                break;
            }
        }

        string[] lines = Encoding.ASCII.GetString(received.GetRange(0, headEnd).ToArray()).Split("\r\n");
        string[] status = lines[0].Split(' ', 3);
        var parsed = lines.Skip(1).Select(l => (Name: l[..l.IndexOf(':', StringComparison.Ordinal)], Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
        byte[] responseBody = received.GetRange(headEnd + 4, contentLength).ToArray();
        return new RawResponse(int.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture), parsed, responseBody);
    }

    private static int IndexOf(List<byte> data, ReadOnlySpan<byte> pattern)
    {
        for (int i = 0; i + pattern.Length <= data.Count; i++)
        {
            bool match = true;
            for (int j = 0; j < pattern.Length && match; j++)
            {
                match = data[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>An answer as it came off the wire.</summary>
internal sealed record RawResponse(int Status, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
