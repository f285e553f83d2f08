using System.Security.Cryptography;
using System.Text;

namespace Firecrawl.Client;

/// <summary>
/// Which rate limit an attempt falls under. Firecrawl limits per team and per bucket (crawl and batch-scrape cancels and
/// status reads in <c>crawlStatus</c>, agent jobs' in <c>extractStatus</c>); the client cannot see the team, so it names
/// the limit by a SHA-256 of the API key, the server's address and the bucket: never the key itself, which is why a
/// shared store may keep it.
/// </summary>
public sealed class FirecrawlGatePartition : IEquatable<FirecrawlGatePartition>
{
    // What the id is a hash of. Equality is on this text, which gives the same answer as on the hash: an in-process gate
    // never needs the hash, and a fresh process that only ever uses one therefore never loads the system's crypto
    // library for it (a few milliseconds of a cold start).
    private readonly string _named;
    private readonly int _hash;
    private string? _id;

    private FirecrawlGatePartition(string named, string bucket)
    {
        _named = bucket == FirecrawlJobKind.CrawlStatusBucket ? named : named + "\nbucket " + bucket;
        Bucket = bucket;

        // Hashed once: a gate looks its partition up on every attempt, and the name is a hundred characters long.
        _hash = StringComparer.Ordinal.GetHashCode(_named);
    }

    /// <summary>
    /// The server's rate-limit bucket, such as <c>crawlStatus</c> (see <see cref="FirecrawlJobKind.RateLimitBucket"/>): a
    /// 429 in one bucket says nothing about another.
    /// </summary>
    public string Bucket { get; }

    /// <summary>32 lowercase hex digits that identify the limit; the same key and address always give the same id.</summary>
    public string Id => _id ??= Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(_named)), 0, 16).ToLowerInvariant();

    /// <summary>The partition of an API key (or none: a keyless self-hosted server) on a server, in the <c>crawlStatus</c> bucket.</summary>
    /// <param name="apiKey">The key, or <see langword="null"/> for a keyless client.</param>
    /// <param name="baseAddress">The server's address.</param>
    /// <returns>The partition.</returns>
    public static FirecrawlGatePartition For(string? apiKey, Uri baseAddress) => For(apiKey, baseAddress, FirecrawlJobKind.CrawlStatusBucket);

    /// <summary>The partition of an API key on a server, in one of the server's rate-limit buckets.</summary>
    /// <param name="apiKey">The key, or <see langword="null"/> for a keyless client.</param>
    /// <param name="baseAddress">The server's address.</param>
    /// <param name="bucket">The bucket, such as <see cref="FirecrawlJobKind.ExtractStatusBucket"/>.</param>
    /// <returns>The partition; its id in the <c>crawlStatus</c> bucket is the one earlier releases used.</returns>
    public static FirecrawlGatePartition For(string? apiKey, Uri baseAddress, string bucket)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        return new($"Firecrawl.Client rate-limit gate\n{apiKey}\n{baseAddress.AbsoluteUri.TrimEnd('/')}", bucket);
    }

    /// <summary>
    /// A partition named by you, for several keys of one team: Firecrawl's limit is the team's, so they should share it.
    /// </summary>
    /// <param name="scope">Any name; the same name is the same partition.</param>
    /// <returns>The partition.</returns>
    public static FirecrawlGatePartition ForScope(string scope) => ForScope(scope, FirecrawlJobKind.CrawlStatusBucket);

    /// <summary>A partition named by you, in one of the server's rate-limit buckets.</summary>
    /// <param name="scope">Any name; the same name and bucket are the same partition.</param>
    /// <param name="bucket">The bucket, such as <see cref="FirecrawlJobKind.ExtractStatusBucket"/>.</param>
    /// <returns>The partition.</returns>
    public static FirecrawlGatePartition ForScope(string scope, string bucket)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        return new("Firecrawl.Client rate-limit scope\n" + scope, bucket);
    }

    /// <inheritdoc />
    public bool Equals(FirecrawlGatePartition? other) =>
        ReferenceEquals(this, other) || (other is not null && other._hash == _hash && string.Equals(_named, other._named, StringComparison.Ordinal));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FirecrawlGatePartition);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>The id.</summary>
    /// <returns>The id, safe to log.</returns>
    public override string ToString() => Id;
}
