namespace Firecrawl.Client.Tests;

/// <summary>
/// Content as a handler off the wire gives it (none of the in-memory kinds, its header kept as text), that notes whether
/// it was disposed and writes its body with the test's delegate (which may throw, as a cut connection does).
/// </summary>
internal sealed class WatchedContent(Func<Stream, Task>? write = null) : HttpContent
{
    public bool Disposed { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        write is null ? Task.CompletedTask : write(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
