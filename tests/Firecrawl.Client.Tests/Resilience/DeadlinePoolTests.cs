using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.Tests;

public sealed class DeadlinePoolTests
{
    [Fact]
    public void Rent_AfterAnUnfiredSourceCameBack_ReusesIt()
    {
        var pool = new DeadlinePool(TimeProvider.System, reuse: true);
        CancellationTokenSource first = pool.Rent(TimeSpan.FromHours(1));
        pool.Return(first);

        CancellationTokenSource second = pool.Rent(TimeSpan.FromHours(1));

        Assert.Same(first, second);
        Assert.False(second.IsCancellationRequested);
        pool.Return(second);
    }

    [Fact]
    public async Task Rent_AfterAFiredSourceCameBack_GivesAFreshOne()
    {
        var pool = new DeadlinePool(TimeProvider.System, reuse: true);
        CancellationTokenSource fired = pool.Rent(TimeSpan.FromMilliseconds(1));
        await Task.Delay(Timeout.InfiniteTimeSpan, fired.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
        pool.Return(fired);

        CancellationTokenSource next = pool.Rent(TimeSpan.FromHours(1));

        Assert.NotSame(fired, next);
        Assert.False(next.IsCancellationRequested);
        Assert.Throws<ObjectDisposedException>(() => fired.Token.WaitHandle);
    }

    [Fact]
    public void Return_WithoutReuse_DisposesTheSource()
    {
        var pool = new DeadlinePool(TimeProvider.System, reuse: false);
        CancellationTokenSource source = pool.Rent(TimeSpan.FromHours(1));

        pool.Return(source);

        Assert.NotSame(source, pool.Rent(TimeSpan.FromHours(1)));
        Assert.Throws<ObjectDisposedException>(() => source.Token.WaitHandle);
    }

    [Fact]
    public void Rent_OnAFakeClock_IsDrivenByThatClockAndNeverReused()
    {
        var time = new FakeTimeProvider();
        var pool = new DeadlinePool(time, reuse: true);
        CancellationTokenSource source = pool.Rent(TimeSpan.FromSeconds(30));

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(source.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(source.IsCancellationRequested);
        pool.Return(source);
        CancellationTokenSource other = pool.Rent(TimeSpan.FromSeconds(30));
        pool.Return(other);

        Assert.NotSame(other, pool.Rent(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Return_MoreThanThePoolHolds_DisposesTheRest()
    {
        var pool = new DeadlinePool(TimeProvider.System, reuse: true, size: 1);
        CancellationTokenSource a = pool.Rent(TimeSpan.FromHours(1));
        CancellationTokenSource b = pool.Rent(TimeSpan.FromHours(1));

        pool.Return(a);
        pool.Return(b);

        Assert.Same(a, pool.Rent(TimeSpan.FromHours(1)));
        Assert.Throws<ObjectDisposedException>(() => b.Token.WaitHandle);
    }
}
