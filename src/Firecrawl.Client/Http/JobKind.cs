namespace Firecrawl.Client;

/// <summary>Which cancel route a call uses; the server answers both the same way.</summary>
internal enum JobKind
{
    BatchScrape,
    Crawl,
}
