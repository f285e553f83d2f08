using System.Net.Sockets;
using System.Text;

namespace Firecrawl.Client.TestSupport;

/// <summary>
/// One HTTP/1.1 exchange over a bare socket, so a test sees the answer byte for byte: the status line, every header in
/// the order sent, and the body, with nothing a client library would add, drop or normalise.
/// </summary>
internal static class RawHttp
{
    public static Task<RawResponse> SendAsync(Uri baseAddress, string method, string target, IEnumerable<(string Name, string Value)>? headers = null, string? body = null) =>
        SendAsync(baseAddress, method, target, headers, body is null ? null : Encoding.UTF8.GetBytes(body), new Framing());

    /// <summary>
    /// One exchange framed as <paramref name="framing"/> says: the body chunked or with its length, the HTTP version, and
    /// whether to find out if the server closed the connection after its answer.
    /// </summary>
    public static async Task<RawResponse> SendAsync(Uri baseAddress, string method, string target, IEnumerable<(string Name, string Value)>? headers, byte[]? payload, Framing framing)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        NetworkStream stream = client.GetStream();
        var request = new StringBuilder($"{method} {target} {framing.Version}\r\nHost: {baseAddress.Authority}\r\n");
        foreach ((string name, string value) in headers ?? [])
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (payload is not null)
        {
            request.Append(framing.Chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {payload.Length}\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));

        // The body is written beside the reading, as a client does: a server may answer before it has read all of it.
        Task sending = WriteBodyAsync(stream, payload, framing.Chunked);

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
        try
        {
            await sending.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (IOException)
        {
            // The server closed while the rest of the body was on its way: what a test of closing looks for.
        }

        bool? closed = null;
        if (framing.CheckClose)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                closed = await stream.ReadAsync(buffer, wait.Token) == 0;
            }
            catch (OperationCanceledException)
            {
                closed = false;
            }
            catch (IOException)
            {
                closed = true;
            }
        }

        return new RawResponse(int.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture), parsed, responseBody) { ClosedAfter = closed };
    }

    private static async Task WriteBodyAsync(NetworkStream stream, byte[]? payload, bool chunked)
    {
        if (payload is null)
        {
            return;
        }

        if (!chunked)
        {
            await stream.WriteAsync(payload);
            return;
        }

        const int ChunkSize = 64 * 1024;
        for (int at = 0; at < payload.Length; at += ChunkSize)
        {
            int size = Math.Min(ChunkSize, payload.Length - at);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:x}\r\n"));
            await stream.WriteAsync(payload.AsMemory(at, size));
            await stream.WriteAsync("\r\n"u8.ToArray());
        }

        await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
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
    /// <summary>Whether the server closed the connection after the answer; null when the exchange did not ask.</summary>
    public bool? ClosedAfter { get; init; }

    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}

/// <summary>How an exchange is put on the wire.</summary>
/// <param name="Chunked">The body in chunks rather than with a Content-Length.</param>
/// <param name="Version">The request's HTTP version.</param>
/// <param name="CheckClose">Find out whether the server closed the connection after its answer.</param>
internal sealed record Framing(bool Chunked = false, string Version = "HTTP/1.1", bool CheckClose = false);
