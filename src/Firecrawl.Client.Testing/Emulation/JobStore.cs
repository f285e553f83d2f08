using System.Collections.Concurrent;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The jobs of every team, by id, and each team's crawls in the order they were created, so the active-crawl list walks
/// one team's crawls rather than every job the emulator ever made.
/// </summary>
internal sealed class JobStore
{
    private readonly ConcurrentDictionary<string, EmulatedJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<EmulatedJob>> _crawlsByTeam = new(StringComparer.Ordinal);

    public int Count => _jobs.Count;

    public EmulatedJob Add(EmulatedJob job)
    {
        if (!_jobs.TryAdd(job.Id, job))
        {
            throw new InvalidOperationException($"The emulator already has a job '{job.Id}'.");
        }

        if (job.Kind == FirecrawlJobKind.Crawl)
        {
            List<EmulatedJob> crawls = _crawlsByTeam.GetOrAdd(job.Team, static _ => []);
            lock (crawls)
            {
                crawls.Add(job);
            }
        }

        return job;
    }

    public bool TryGet(string id, out EmulatedJob job) => _jobs.TryGetValue(id, out job!);

    /// <summary>The team's crawls that are still running, oldest first.</summary>
    public List<EmulatedJob> ActiveCrawls(string team)
    {
        if (!_crawlsByTeam.TryGetValue(team, out List<EmulatedJob>? crawls))
        {
            return [];
        }

        lock (crawls)
        {
            // Appended as created, so already oldest first.
            return crawls.FindAll(static c => c.Status is EmulatedJobStatus.Scraping);
        }
    }

    /// <summary>Every job, oldest first, for the control API's listing.</summary>
    public List<EmulatedJob> All() => [.. _jobs.Values.OrderBy(static j => j.CreatedAt).ThenBy(static j => j.Id, StringComparer.Ordinal)];

    public void Clear()
    {
        _jobs.Clear();
        _crawlsByTeam.Clear();
    }
}
