namespace Firecrawl.Client;

/// <summary>
/// The one owner of every attempt, in three parts: <see cref="RetryRules"/> decide, <see cref="Attempt"/> runs one
/// attempt, and <see cref="RetryLoop"/> hands the attempts after the first to Polly. The first attempt runs without
/// Polly; the runner asks the rules whether its outcome is one to retry.
/// </summary>
internal sealed class AttemptPipeline
{
    private readonly ClientRuntime _runtime;
    private RetryLoop? _retries;

    public AttemptPipeline(ClientRuntime runtime)
    {
        _runtime = runtime;
        Rules = new RetryRules(runtime);
        Attempt = new Attempt(runtime, Rules);
    }

    public RetryRules Rules { get; }

    public Attempt Attempt { get; }

    /// <summary>
    /// Made on the first retry: its type holds Polly's, so a process whose calls all succeed at once never loads Polly.
    /// Two threads racing here make two loops and one is kept; neither has built its Polly pipeline yet.
    /// </summary>
    public RetryLoop Retries
    {
        get
        {
            RetryLoop? retries = Volatile.Read(ref _retries);
            if (retries is null)
            {
                Interlocked.CompareExchange(ref _retries, new RetryLoop(_runtime, Rules, Attempt), null);
                retries = Volatile.Read(ref _retries)!;
            }

            return retries;
        }
    }
}
