namespace Firecrawl.Client.Tests;

/// <summary>Catch the narrowest type you can act on: the specific exceptions derive from the broader ones the docs name.</summary>
public sealed class ExceptionHierarchyTests
{
    [Theory]
    [InlineData(typeof(FirecrawlNotFoundException))]
    [InlineData(typeof(FirecrawlUnauthorizedException))]
    [InlineData(typeof(FirecrawlForbiddenException))]
    [InlineData(typeof(FirecrawlRateLimitException))]
    [InlineData(typeof(FirecrawlServerException))]
    public void SpecificException_DerivesFromApiExceptionWhichDerivesFromFirecrawlException(Type specific)
    {
        Assert.Equal(typeof(FirecrawlApiException), specific.BaseType);
        Assert.Equal(typeof(FirecrawlException), typeof(FirecrawlApiException).BaseType);
    }

    [Fact]
    public void TimeoutException_IsAFirecrawlExceptionButNotAnApiException()
    {
        Assert.Equal(typeof(FirecrawlException), typeof(FirecrawlTimeoutException).BaseType);
        Assert.False(typeof(FirecrawlApiException).IsAssignableFrom(typeof(FirecrawlTimeoutException)));
    }
}
