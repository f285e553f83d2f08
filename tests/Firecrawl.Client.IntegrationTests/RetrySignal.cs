using Microsoft.Extensions.Logging;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>
/// A logger factory that completes a task when the client logs its first retry. The retry is logged after the
/// attempt's 429 has closed the rate-limit gate, so a test can start further calls at a moment that depends on what
/// the client did, not on how fast the machine is.
/// </summary>
internal sealed class RetrySignal : ILoggerFactory, ILoggerProvider, ILogger
{
    private readonly TaskCompletionSource _retried = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task FirstRetry => _retried.Task;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Name == "RetryScheduled")
        {
            _retried.TrySetResult();
        }
    }

    public void Dispose()
    {
    }
}
