namespace Firecrawl.Client;

/// <summary>The version prefix of the Firecrawl routes the client calls.</summary>
public enum FirecrawlApiVersion
{
    /// <summary><c>/v1/...</c>: the routes the public docs page describes. The default.</summary>
    V1 = 1,

    /// <summary><c>/v2/...</c>: the same cancel semantics; newer servers reject non-UUID ids here with 400.</summary>
    V2 = 2,
}
