namespace Firecrawl.Client.Tests;

/// <summary>A server that never answers: only a cancellation (the caller's or a timeout's) ends the wait.</summary>
internal sealed class HangingHandler : HttpMessageHandler
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes when the first request arrives.</summary>
    public Task Reached => _reached.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        _reached.TrySetResult();
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new InvalidOperationException("A hanging server never answers.");
    }
}
