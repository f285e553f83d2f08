using System.Security.Cryptography;
using System.Text;

namespace Firecrawl.Client;

/// <summary>
/// Which rate limit an attempt falls under. Firecrawl limits per team; the client cannot see the team, so it names the
/// limit by a SHA-256 of the API key and the server's address: never the key itself, which is why a shared store may
/// keep it.
/// </summary>
public sealed class FirecrawlGatePartition : IEquatable<FirecrawlGatePartition>
{
    // What the id is a hash of. Equality is on this text, which gives the same answer as on the hash: an in-process gate
    // never needs the hash, and a fresh process that only ever uses one therefore never loads the system's crypto
    // library for it (a few milliseconds of a cold start).
    private readonly string _named;
    private string? _id;

    private FirecrawlGatePartition(string named) => _named = named;

    /// <summary>32 lowercase hex digits that identify the limit; the same key and address always give the same id.</summary>
    public string Id => _id ??= Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(_named)), 0, 16).ToLowerInvariant();

    /// <summary>The partition of an API key (or none: a keyless self-hosted server) on a server.</summary>
    /// <param name="apiKey">The key, or <see langword="null"/> for a keyless client.</param>
    /// <param name="baseAddress">The server's address.</param>
    /// <returns>The partition.</returns>
    public static FirecrawlGatePartition For(string? apiKey, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        return new($"Firecrawl.Client rate-limit gate\n{apiKey}\n{baseAddress.AbsoluteUri.TrimEnd('/')}");
    }

    /// <summary>
    /// A partition named by you, for several keys of one team: Firecrawl's limit is the team's, so they should share it.
    /// </summary>
    /// <param name="scope">Any name; the same name is the same partition.</param>
    /// <returns>The partition.</returns>
    public static FirecrawlGatePartition ForScope(string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        return new("Firecrawl.Client rate-limit scope\n" + scope);
    }

    /// <inheritdoc />
    public bool Equals(FirecrawlGatePartition? other) => other is not null && string.Equals(_named, other._named, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FirecrawlGatePartition);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_named);

    /// <summary>The id.</summary>
    /// <returns>The id, safe to log.</returns>
    public override string ToString() => Id;
}
