namespace Firecrawl.Client.Tests;

/// <summary>The back-off calculator on its own, with the random number fixed, so every wait is exact.</summary>
public sealed class BackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 0.0, 500)]
    [InlineData(0, 0.5, 750)]
    [InlineData(0, 1.0, 1000)]
    [InlineData(1, 0.0, 1000)]
    [InlineData(1, 1.0, 2000)]
    [InlineData(2, 0.5, 3000)]
    [InlineData(3, 0.0, 4000)]
    [InlineData(4, 1.0, 16000)]
    public void Delay_RetryNWithFixedRandom_WaitsExactlyHalfToAllOfBaseTimesTwoToTheN(int retry, double random, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.Delay(retry, Base, Max, random));
    }

    [Theory]
    [InlineData(5, 1.0, 30000)]
    [InlineData(5, 0.0, 15000)]
    [InlineData(30, 1.0, 30000)]
    [InlineData(31, 1.0, 30000)]
    [InlineData(1000, 0.0, 15000)]
    public void Delay_PastTheCap_IsCappedAtRetryMaxDelayBeforeJitter(int retry, double random, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.Delay(retry, Base, Max, random));
    }

    [Fact]
    public void Delay_ZeroBase_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(3, TimeSpan.Zero, Max, 0.7));
    }
}
