using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Firecrawl.Client;

/// <summary>
/// The ids a bulk cancel has seen, kept as 128-bit hashes (XxHash128 of the id's UTF-16 code units) rather than as the
/// strings: 16 bytes and a slot per id whatever its length, so a million ids cost tens of megabytes, not hundreds. Two
/// different ids share a hash with a chance of about one in 10^38 per pair (for a million ids, about one in 10^26): no
/// repeat is ever sent twice, and a distinct id is skipped only with that chance.
/// </summary>
internal sealed class JobIdSet
{
    private readonly HashSet<UInt128> _seen = [];

    /// <summary>How many distinct ids it holds.</summary>
    public int Count => _seen.Count;

    /// <summary>Adds an id; <see langword="false"/> when it was seen before.</summary>
    public bool Add(string id) => _seen.Add(XxHash128.HashToUInt128(MemoryMarshal.AsBytes(id.AsSpan())));
}
