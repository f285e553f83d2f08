namespace Firecrawl.Client;

/// <summary>
/// Reuses the cancellation sources of attempt deadlines. Creating a source and its timer for every attempt cost about
/// 15 % of an in-memory call (see <c>docs/performance.md</c>); a reset source keeps its timer. A source is reused only on
/// the plain constructors' path, where the token reaches the SDK's handlers and the transport alone. On the DI path it
/// also reaches the user's own handlers, and one that left a registration on a token would be called back by a later,
/// unrelated attempt; there each attempt gets a fresh source.
/// </summary>
internal sealed class DeadlinePool
{
    private readonly CancellationTokenSource?[] _items;
    private readonly TimeProvider _clock;
    private readonly bool _reuse;

    public DeadlinePool(TimeProvider clock, bool reuse, int size = 16)
    {
        _clock = clock;

        // A fake clock needs a source whose timer it drives; sources built on one are never reset and reused.
        _reuse = reuse && ReferenceEquals(clock, TimeProvider.System);
        _items = _reuse ? new CancellationTokenSource?[size] : [];
    }

    /// <summary>A source that cancels itself after <paramref name="limit"/>.</summary>
    public CancellationTokenSource Rent(TimeSpan limit)
    {
        CancellationTokenSource?[] items = _items;
        for (int i = 0; i < items.Length; i++)
        {
            CancellationTokenSource? item = items[i];
            if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
            {
                item.CancelAfter(limit);
                return item;
            }
        }

        return new CancellationTokenSource(limit, _clock);
    }

    /// <summary>Takes a source back; one that fired, or that cannot be reset, is disposed instead.</summary>
    public void Return(CancellationTokenSource source)
    {
        if (_reuse && source.TryReset())
        {
            CancellationTokenSource?[] items = _items;
            for (int i = 0; i < items.Length; i++)
            {
                if (Interlocked.CompareExchange(ref items[i], source, null) is null)
                {
                    return;
                }
            }
        }

        source.Dispose();
    }
}
