namespace Firecrawl.Client.Runtime;

/// <summary>
/// The suite runs once per target framework. Each run must execute that target's build of the library on that
/// runtime: a net8.0 run that rolled forward to .NET 10 would test nothing the net10.0 run does not.
/// </summary>
public sealed class TargetRuntimeTests
{
    [Fact]
    public void The_suite_runs_on_the_runtime_of_its_target_framework()
    {
#if NET10_0
        const int expected = 10;
#elif NET8_0
        const int expected = 8;
#endif
        Assert.Equal(expected, Environment.Version.Major);
    }

    [Fact]
    public void The_library_under_test_is_the_build_for_that_target()
    {
        string? framework = typeof(FirecrawlClient).Assembly
            .GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), inherit: false)
            .Cast<System.Runtime.Versioning.TargetFrameworkAttribute>()
            .Single().FrameworkName;

        Assert.Equal($".NETCoreApp,Version=v{Environment.Version.Major}.0", framework);
    }
}
