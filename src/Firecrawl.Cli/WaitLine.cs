using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Firecrawl.Cli;

/// <summary>
/// One live line on a terminal's stderr while a command waits longer than <see cref="Threshold"/>: what the wait is
/// for, how long is left, and that Ctrl+C stops it, so a person is never left looking at a silent terminal through a
/// 60-second rate-limit wait. It learns of each wait from the client's own log events (<c>RetryScheduled</c>,
/// <c>RateLimitGateWait</c> and, for <c>--wait</c>, <c>JobSettling</c>, whose ids are stable), so it needs nothing the
/// library does not already publish. A wait for a job to settle is shown at once, since the person asked for it. It is
/// only made when stderr is a terminal and the output is not JSON.
/// </summary>
internal sealed class WaitLine : ILoggerFactory, ILoggerProvider, ILogger, IDisposable
{
    /// <summary>Waits up to this long pass without a line: a quick retry is not worth a flicker.</summary>
    public static readonly TimeSpan Threshold = TimeSpan.FromSeconds(2);

    private const string EraseLine = "\r\u001B[2K";

    private readonly TextWriter _error;
    private readonly TimeProvider _clock;
    private readonly object _sync = new();
    private string? _reason;
    private long _until;
    private ITimer? _ticker;
    private bool _shown;
    private bool _paused;
    private bool _upTo;

    private WaitLine(TextWriter error, TimeProvider clock)
    {
        _error = error;
        _clock = clock;
    }

    /// <summary>A line for this console, or <see langword="null"/> when stderr is not a terminal or the output is JSON.</summary>
    public static WaitLine? For(CliConsole console, bool json, TimeProvider? clock = null) =>
        console.ErrorIsTerminal && !json ? new WaitLine(console.Error, clock ?? TimeProvider.System) : null;

    /// <summary>Stops showing waits (a bulk cancel draws its own progress line) and clears the line.</summary>
    public void Pause()
    {
        lock (_sync)
        {
            _paused = true;
            ClearLocked();
        }
    }

    /// <summary>Clears the line, so the command's own output starts on a clean line.</summary>
    public void Clear()
    {
        lock (_sync)
        {
            ClearLocked();
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> fields || Value(fields, "DelayMs") is not double delayMs)
        {
            return;
        }

        if (eventId.Name == "JobSettling")
        {
            // A wait the person asked for (--wait): shown at once, with what the job has come to so far.
            Show(
                string.Create(CultureInfo.InvariantCulture, $"for {Value(fields, "Kind")} {TerminalText.Clean(Value(fields, "JobId") as string ?? string.Empty)} to settle (last read: {TerminalText.Clean(Value(fields, "Status") as string ?? "none")}{Count(fields, "Completed", "page(s)")}{Count(fields, "CreditsUsed", "credit(s)")})"),
                TimeSpan.FromMilliseconds(Value(fields, "LeftMs") as double? ?? delayMs),
                upTo: true);
            return;
        }

        string? reason = eventId.Name switch
        {
            "RateLimitGateWait" => "Firecrawl's rate limit to reopen",
            "RetryScheduled" => Value(fields, "DelaySource") switch
            {
                "message-hint" => "Firecrawl's rate limit to reopen",
                "retry-after-header" => string.Create(CultureInfo.InvariantCulture, $"the server's Retry-After before retry {Value(fields, "Attempt")}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"retry {Value(fields, "Attempt")} after {TerminalText.Clean(Value(fields, "Failure") as string ?? "a failure")}"),
            },
            _ => null,
        };
        TimeSpan delay = TimeSpan.FromMilliseconds(delayMs);
        if (reason is null || delay <= Threshold)
        {
            return;
        }

        Show(reason, delay, upTo: false);
    }

    private static string Count(IReadOnlyList<KeyValuePair<string, object?>> fields, string name, string unit) =>
        Value(fields, name) is int count ? string.Create(CultureInfo.InvariantCulture, $", {count} {unit}") : string.Empty;

    private void Show(string reason, TimeSpan delay, bool upTo)
    {
        lock (_sync)
        {
            if (_paused)
            {
                return;
            }

            _upTo = upTo;
            _reason = reason;
            _until = _clock.GetTimestamp() + (long)(delay.TotalSeconds * _clock.TimestampFrequency);
            _ticker ??= _clock.CreateTimer(static s => ((WaitLine)s!).Tick(), this, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
            DrawLocked();
        }
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
        lock (_sync)
        {
            ClearLocked();
            _paused = true;
        }
    }

    private void Tick()
    {
        lock (_sync)
        {
            if (_reason is not null)
            {
                DrawLocked();
            }
        }
    }

    private void DrawLocked()
    {
        TimeSpan left = _clock.GetElapsedTime(_clock.GetTimestamp(), _until);
        if (left <= TimeSpan.Zero)
        {
            ClearLocked();
            return;
        }

        _error.Write(string.Create(CultureInfo.InvariantCulture, $"{EraseLine}Waiting {(_upTo ? "up to " : string.Empty)}{Math.Ceiling(left.TotalSeconds):0} s {(_upTo ? string.Empty : "for ")}{_reason}. Ctrl+C stops."));
        _error.Flush();
        _shown = true;
    }

    private void ClearLocked()
    {
        _reason = null;
        _ticker?.Dispose();
        _ticker = null;
        if (_shown)
        {
            _error.Write(EraseLine);
            _error.Flush();
            _shown = false;
        }
    }

    private static object? Value(IReadOnlyList<KeyValuePair<string, object?>> fields, string name)
    {
        foreach (KeyValuePair<string, object?> field in fields)
        {
            if (field.Key == name)
            {
                return field.Value;
            }
        }

        return null;
    }
}
