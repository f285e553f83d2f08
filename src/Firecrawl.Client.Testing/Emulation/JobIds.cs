using System.Security.Cryptography;
using System.Text;

namespace Firecrawl.Client.Testing;

/// <summary>The ids the server hands out: job ids (UUIDv4 in the 2025 build, UUIDv7 in newer ones) and team ids.</summary>
internal static class JobIds
{
    /// <summary>The team of the no-auth mode, which takes every request as one team.</summary>
    public const string KeylessTeam = "(self-hosted)";

    public static string New(bool uuidV7, DateTimeOffset now) => uuidV7 ? NewUuidV7(now) : Guid.NewGuid().ToString();

    /// <summary>The team id the server reports for a key, such as <c>bypass</c> in its no-auth mode; never the key.</summary>
    public static string TeamIdOf(string team) =>
        team == KeylessTeam ? "bypass" : new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(team)).AsSpan(0, 16)).ToString();

    /// <summary>A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, as the server's newer ids.</summary>
    public static string NewUuidV7(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        long millis = now.ToUnixTimeMilliseconds();
        for (int i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(millis >> (8 * (5 - i)));
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        string hex = Convert.ToHexString(bytes).ToLowerInvariant();
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
