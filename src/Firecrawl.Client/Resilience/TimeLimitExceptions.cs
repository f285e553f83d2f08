using System.Globalization;

namespace Firecrawl.Client;

/// <summary>One attempt ran out of <see cref="FirecrawlClientOptions.AttemptTimeout"/>; the attempt is retried.</summary>
internal sealed class AttemptTimeoutException(TimeSpan limit, Exception? inner = null)
    : TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The attempt did not finish within {limit.TotalSeconds:0.###} s."), inner)
{
    public TimeSpan Limit { get; } = limit;
}

/// <summary>The call ran out of <see cref="FirecrawlClientOptions.TotalTimeout"/>; nothing is retried after it.</summary>
internal sealed class TotalTimeoutException(TimeSpan limit, Exception? inner = null)
    : TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The call did not finish within {limit.TotalSeconds:0.###} s."), inner)
{
    public TimeSpan Limit { get; } = limit;
}
