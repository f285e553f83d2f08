using System.Diagnostics;

namespace Firecrawl.Client.Tests;

/// <summary>Records the client's activities for the telemetry tests.</summary>
internal static class ActivityRecorder
{
    /// <summary>Listens to the client's activities, keeping the stopped ones this test made (tests run in parallel).</summary>
    public static ActivityListener Record(Func<Activity, bool> mine, List<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FirecrawlDiagnostics.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (mine(activity))
                {
                    lock (stopped)
                    {
                        stopped.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
