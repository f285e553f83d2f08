namespace Firecrawl.Client;

/// <summary>
/// The one owner of every attempt, in three parts: <see cref="RetryRules"/> decide, <see cref="Attempt"/> runs one
/// attempt, and <see cref="RetryLoop"/> hands the attempts after the first to Polly. The first attempt runs without
/// Polly; the runner asks the rules whether its outcome is one to retry.
/// </summary>
internal sealed class AttemptPipeline
{
    public AttemptPipeline(ClientRuntime runtime)
    {
        Rules = new RetryRules(runtime);
        Attempt = new Attempt(runtime, Rules);
        Retries = new RetryLoop(runtime, Rules, Attempt);
    }

    public RetryRules Rules { get; }

    public Attempt Attempt { get; }

    public RetryLoop Retries { get; }
}
