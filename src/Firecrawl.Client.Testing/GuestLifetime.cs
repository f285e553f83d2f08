using Microsoft.Extensions.Hosting;

namespace Firecrawl.Client.Testing;

/// <summary>
/// A host lifetime that leaves the process's signals alone. The default console lifetime would cancel SIGTERM and
/// Ctrl+C to stop the emulator's host gracefully, which also stops the process that hosts the emulator from exiting.
/// </summary>
internal sealed class GuestLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
