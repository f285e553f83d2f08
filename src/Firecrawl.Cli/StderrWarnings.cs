using Microsoft.Extensions.Logging;

namespace Firecrawl.Cli;

/// <summary>
/// Writes a library's warnings to stderr as one line each (<c>warning: ...</c>), such as the shared gate's note that Redis
/// cannot be reached and the process paces on its own: a person or a CI log should see that, whatever the output mode.
/// </summary>
internal sealed class StderrWarnings(TextWriter error) : ILoggerFactory, ILoggerProvider, ILogger
{
    private readonly object _sync = new();

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        lock (_sync)
        {
            error.WriteLine("warning: " + TerminalText.Clean(formatter(state, exception)));
        }
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
