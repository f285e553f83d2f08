namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// The bytes one warmed-up in-memory call allocates, exactly: every await completes synchronously on this thread, so
/// the per-thread counter around the call sees all of it; the least of ten rounds. Shared by the allocation report and
/// the allocation budget tests, so both measure the same way. (The A/B harness, benchmarks/Firecrawl.Client.Ab, keeps
/// a copy of its own: it is built outside this project, against other commits.)
/// </summary>
internal static class ExactBytes
{
    /// <summary>Measures <paramref name="call"/>; <paramref name="faults"/> says it is expected to fail, as an error path does.</summary>
    /// <exception cref="InvalidOperationException">The call went asynchronous (the count would miss other threads), or it failed or succeeded against <paramref name="faults"/>.</exception>
    public static long PerCall<T>(Func<Task<T>> call, bool faults = false)
    {
        for (int i = 0; i < 100; i++)
        {
            Complete(call(), faults);
        }

        long best = long.MaxValue;
        for (int round = 0; round < 10; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Task<T> task = call();
            Complete(task, faults);
            long after = GC.GetAllocatedBytesForCurrentThread();
            best = Math.Min(best, after - before);
        }

        return best;
    }

    private static void Complete<T>(Task<T> task, bool faults)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("An in-memory call went asynchronous; the count would miss other threads.");
        }

        if (task.IsFaulted != faults)
        {
            throw new InvalidOperationException(faults ? "The call was expected to fail and did not." : $"The call failed: {task.Exception!.InnerException}");
        }

        if (faults)
        {
            // Observed, as a caller's catch would; its stack trace is captured by the throw, so it is counted. It is not
            // rendered to text: the text names the source files where the binaries were built, so its length, and the
            // string builder's growth steps with it, changed with the clone's directory, not with the SDK.
            _ = task.Exception!.InnerException;
        }
    }
}
