using System.Globalization;
using Firecrawl.Client;

namespace Firecrawl.Cli;

/// <summary>
/// One live line on a terminal's stderr while a command waits longer than <see cref="Threshold"/>: what the wait is
/// for, how long is left, and that Ctrl+C stops it, so a person is never left looking at a silent terminal through a
/// 60-second rate-limit wait. It is told of each wait by the client's typed seam
/// (<see cref="FirecrawlClientOptions.WaitObserver"/>), not by its logs, so a log template can change without changing
/// what a person sees. A wait for a job to settle is shown at once, since the person asked for it. It is only made when
/// stderr is a terminal and the output is not JSON.
/// </summary>
internal sealed class WaitLine : IProgress<FirecrawlWait>, IDisposable
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

    /// <summary>A wait begins: a settle wait is shown at once, any other once it is longer than <see cref="Threshold"/>.</summary>
    public void Report(FirecrawlWait value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Reason == FirecrawlWaitReason.Settling)
        {
            // A wait the person asked for (--wait): shown at once, with what the job has come to so far.
            FirecrawlJobStatus? last = value.LastStatus;
            Show(
                string.Create(CultureInfo.InvariantCulture, $"for {value.Kind?.Noun} {TerminalText.Clean(value.JobId ?? string.Empty)} to settle (last read: {TerminalText.Clean(last?.Status ?? "unread")}{Count(last?.Completed, "page(s)")}{Count(last?.CreditsUsed, "credit(s)")})"),
                value.Left ?? value.Delay,
                upTo: true);
            return;
        }

        if (value.Delay <= Threshold)
        {
            return;
        }

        string reason = value.Reason switch
        {
            FirecrawlWaitReason.RateLimit => "Firecrawl's rate limit to reopen",
            FirecrawlWaitReason.RetryAfter => string.Create(CultureInfo.InvariantCulture, $"the server's Retry-After before retry {value.Retry}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"retry {value.Retry} after {TerminalText.Clean(value.Failure ?? "a failure")}"),
        };
        Show(reason, value.Delay, upTo: false);
    }

    private static string Count(int? count, string unit) =>
        count is { } n ? string.Create(CultureInfo.InvariantCulture, $", {n} {unit}") : string.Empty;

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
}
