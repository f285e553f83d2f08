namespace Firecrawl.Client.Tests;

/// <summary>
/// A clock whose wall-clock time can be stepped (NTP, a VM resume) while its monotonic timestamps and timers run on as
/// before, like a real machine's.
/// </summary>
internal sealed class SteppingClock : TimeProvider
{
    public WatchedFakeTime Monotonic { get; } = new(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero));

    public TimeSpan WallClockStep { get; set; }

    public override DateTimeOffset GetUtcNow() => Monotonic.GetUtcNow() + WallClockStep;

    public override long GetTimestamp() => Monotonic.GetTimestamp();

    public override long TimestampFrequency => Monotonic.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Monotonic.CreateTimer(callback, state, dueTime, period);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
