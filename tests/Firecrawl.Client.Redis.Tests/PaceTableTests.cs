using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.Redis.Tests;

/// <summary>
/// One table of pace cases, run against the in-process rules (on a fake clock, so every time is exact) and against the
/// Lua scripts (on Garnet, and on real Redis when <c>FIRECRAWL_TEST_REDIS</c> names one, where the clock is the server's
/// own). The rules are written twice, in C# and in Lua; this is where the two are held to one behaviour. Each case is a
/// script of entries, answers and passing time, written once: the in-process gate's time moves only when a case says,
/// Redis's moves on its own, so each wait a case expects is a range that holds for both, and every window is seconds
/// long so that the script calls of a loaded machine cannot run it out.
/// </summary>
public sealed class PaceTableTests
{
    private const string InProcess = "in-process";

    /// <summary>The cases, by name: each a script over a gate and its partition.</summary>
    private static readonly Dictionary<string, Func<PaceScript, Task>> Cases = new()
    {
        ["a 429 with Consumed teaches the limit and the window"] = async s =>
        {
            await s.Enters("a", "b", "c", "d");
            await s.Leave("d", Limited(named: 3, consumed: 4, padding: 0.2));
            await s.Held(2.0, 3.2);
            await s.Pass(3.5);

            // The next window takes the limit (three) and holds the fourth until it has run its length and padding.
            await s.Enters("e", "f", "g");
            await s.Held(1.5, 4.2);
        },
        ["a 429 without Consumed takes the answers counted in its window as the limit"] = async s =>
        {
            await s.Enters("a", "b");
            await s.Leave("a", Answered);
            await s.Leave("b", Answered);
            await s.Enters("c");
            await s.Leave("c", Limited(named: 3, consumed: null, padding: 0.2));
            await s.Pass(3.5);

            await s.Enters("d", "e");
            await s.Held(1.5, 4.2);
        },
        ["a 429 with neither Consumed nor earlier answers closes the gate and teaches nothing"] = async s =>
        {
            await s.Enters("a");
            await s.Leave("a", Limited(named: 2, consumed: null, padding: 0.2));
            await s.Held(1.0, 2.2);
            await s.Pass(2.7);

            // As many as the in-flight bound allows (four, "a" having left): no learned limit holds any of them.
            await s.Enters("b", "c", "d", "e");
        },
        ["a 429 that names no wait neither closes the gate nor teaches"] = async s =>
        {
            await s.Enters("a", "b");
            await s.Leave("b", new FirecrawlGateOutcome { Answered = true, RateLimited = true, Consumed = 2 });

            // A limit of one, had it been learned, would hold "d".
            await s.Enters("c", "d");
        },
        ["a window that ends lets the limit through again, window after window"] = async s =>
        {
            await s.Enters("a", "b", "c");
            await s.Leave("c", Limited(named: 3, consumed: 3, padding: 0.2));
            await s.Pass(3.5);
            await s.Enters("d", "e");
            await s.Held(1.5, 4.2);
            await s.Pass(4.5);

            await s.Enters("f", "g");
            await s.Held(1.5, 4.2);
        },
        ["a late 429 from an earlier window lowers the limit without ending this window"] = async s =>
        {
            await s.Enters("a", "b", "c");
            await s.Leave("c", Limited(named: 3, consumed: 3, padding: 0.2));
            await s.Pass(3.5);
            await s.Enters("d", "e");

            // "a" was let through by the first window and is refused now, in the second, naming no wait: "Consumed: 2"
            // says the limit is one. The second window goes on to its end (had the 429 ended it, the next would enter).
            await s.Leave("a", new FirecrawlGateOutcome { Answered = true, RateLimited = true, Consumed = 2 });
            await s.Held(2.0, 3.2);
            await s.Pass(3.5);

            await s.Enters("f");
            await s.Held(1.5, 4.2);
        },
        ["a late answer from an earlier window does not time this one"] = async s =>
        {
            await s.Enters("a", "b", "c");
            await s.Leave("c", Limited(named: 3, consumed: 3, padding: 0.2));
            await s.Pass(3.5);
            await s.Enters("d", "e");

            // An answer of this window's would time it again from now (its length and the margin); "a" is the first
            // window's, so the second still ends 3.2 s after it opened.
            await s.Pass(1.0);
            await s.Leave("a", Answered);
            await s.Held(1.0, 2.2);
        },
        ["a lower limit in a later window's 429 is learned at once"] = async s =>
        {
            await s.Enters("a", "b", "c", "d");
            await s.Leave("d", Limited(named: 3, consumed: 4, padding: 0.2));
            await s.Pass(3.5);
            await s.Enters("e");
            await s.Leave("e", Limited(named: 3, consumed: 2, padding: 0.2));
            await s.Held(2.0, 3.2);
            await s.Pass(3.5);

            await s.Enters("f");
            await s.Held(1.5, 4.2);
        },
        ["a higher Consumed never raises a learned limit"] = async s =>
        {
            await s.Enters("a", "b");
            await s.Leave("b", Limited(named: 3, consumed: 2, padding: 0.2));
            await s.Pass(3.5);
            await s.Enters("c");
            await s.Held(1.5, 4.2);
            await s.Pass(4.5);
            await s.Enters("d");
            await s.Leave("d", Limited(named: 3, consumed: 9, padding: 0.2));
            await s.Pass(3.5);

            await s.Enters("e");
            await s.Held(1.5, 4.2);
        },
        ["a learned pace is forgotten once its lifetime runs out"] = async s =>
        {
            await s.Enters("a", "b");
            await s.Leave("b", Limited(named: 2, consumed: 2, padding: 0.2));
            await s.Pass(2.5);
            await s.Enters("c");
            await s.Held(0.5, 3.2);

            // The lifetime is 15 s from the 429 that taught it; a limit of one, still known, would hold "e".
            await s.Pass(13.0);
            await s.Enters("d", "e");
        },
        ["until the limit is learned, attempts in flight are bounded, and an answer frees a place"] = async s =>
        {
            await s.Enters("a", "b", "c", "d");
            await s.Held(0.05, 0.05);
            await s.Leave("a", Answered);

            await s.Enters("e");
            await s.Held(0.05, 0.05);
        },
        ["once the limit is learned, the in-flight bound no longer applies"] = async s =>
        {
            await s.Enters("a", "b", "c");
            await s.Leave("c", Limited(named: 3, consumed: 6, padding: 0.2));
            await s.Pass(3.5);

            // The limit is five; with "a" and "b" still in flight that is past the bound of four, which no longer holds.
            await s.Enters("d", "e", "f", "g", "h");
            await s.Held(1.5, 4.2);
        },
    };

    /// <summary>
    /// The in-process rows, and real Redis's when one is named. Garnet's rows are a class of their own
    /// (<see cref="PaceTableOnGarnetTests"/>), so the two real-time tables run side by side: each takes about a minute.
    /// </summary>
    public static TheoryData<string, string> Rows() =>
        RowsFor(string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(RedisServer.ExternalVariable)) ? [InProcess] : [InProcess, "external"]);

    internal static TheoryData<string, string> RowsFor(IEnumerable<string> gates)
    {
        var rows = new TheoryData<string, string>();
        foreach (string gate in gates)
        {
            foreach (string name in Cases.Keys)
            {
                rows.Add(name, gate);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public Task PaceCase_BehavesTheSame_InProcessAndInLua(string name, string gate) => RunAsync(name, gate);

    internal static async Task RunAsync(string name, string gate)
    {
        // A bound of four until the limit is learned, and a pace lifetime of 15 s (longer than any other case runs), on
        // both gates alike.
        const int bound = 4;
        TimeSpan lifetime = TimeSpan.FromSeconds(15);
        if (gate == InProcess)
        {
            var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
            var script = new PaceScript(FirecrawlRateLimitGate.CreateStandIn(time, bound, lifetime), time);
            await Cases[name](script);
            return;
        }

        await using RedisServer redis = await RedisServer.StartAsync(gate);
        await using FirecrawlRedisRateLimitGate shared = await FirecrawlRedisRateLimitGate.ConnectAsync(
            redis.PatientConfiguration,
            new FirecrawlRedisGateOptions { MaxInFlightUntilLearned = bound, LearnedPaceLifetime = lifetime, CommandTimeout = TimeSpan.FromSeconds(2) });
        await Cases[name](new PaceScript(shared, time: null));

        // Had a script call failed, the gate would have stood in locally and this case would have tested C# twice.
        Assert.True(shared.IsShared, $"{name}: the gate fell back from Redis during the case");
    }

    private static readonly FirecrawlGateOutcome Answered = new() { Answered = true };

    private static FirecrawlGateOutcome Limited(double named, int? consumed, double padding) => new()
    {
        Answered = true,
        RateLimited = true,
        NamedWait = TimeSpan.FromSeconds(named),
        RetryAfter = TimeSpan.FromSeconds(named + padding),
        Consumed = consumed,
    };

    /// <summary>
    /// One case's steps over one gate and a partition of its own: the in-process gate's clock moves only in
    /// <see cref="Pass"/>; Redis's runs on, so a pass there is a real wait.
    /// </summary>
    private sealed class PaceScript(FirecrawlRateLimitGate gate, FakeTimeProvider? time)
    {
        private readonly FirecrawlGatePartition _partition = RedisGateTests.NewPartition();
        private readonly Dictionary<string, FirecrawlGateEntry> _entries = [];
        private int _step;

        /// <summary>Each named attempt is let through at once.</summary>
        public async Task Enters(params string[] names)
        {
            foreach (string name in names)
            {
                FirecrawlGateEntry entry = await gate.EnterAsync(_partition, CancellationToken.None);
                Assert.True(entry.Entered, $"step {++_step}: attempt {name} was held for {entry.Wait.TotalMilliseconds} ms");
                _entries[name] = entry;
            }
        }

        /// <summary>The next attempt is held, for a wait in the range (seconds).</summary>
        public async Task Held(double atLeast, double atMost)
        {
            FirecrawlGateEntry entry = await gate.EnterAsync(_partition, CancellationToken.None);
            _step++;

            // A real pass can end a few milliseconds early by Redis's clock (its TTLs count whole milliseconds, and this
            // process's timers run on another clock), so a wait there may be that much longer than exact.
            TimeSpan most = TimeSpan.FromSeconds(atMost) + (time is null ? TimeSpan.FromMilliseconds(50) : TimeSpan.Zero);
            Assert.False(entry.Entered, $"step {_step}: an attempt was let through that should have been held");
            Assert.True(
                entry.Wait >= TimeSpan.FromSeconds(atLeast) && entry.Wait <= most,
                $"step {_step}: held for {entry.Wait.TotalMilliseconds} ms, outside {atLeast * 1000}-{atMost * 1000} ms");
        }

        public Task Leave(string name, FirecrawlGateOutcome outcome)
        {
            _step++;
            return gate.LeaveAsync(_partition, _entries[name], outcome, CancellationToken.None).AsTask();
        }

        public Task Pass(double seconds)
        {
            _step++;
            if (time is not null)
            {
                time.Advance(TimeSpan.FromSeconds(seconds));
                return Task.CompletedTask;
            }

            return Task.Delay(TimeSpan.FromSeconds(seconds));
        }
    }
}

/// <summary>The pace table on Garnet: a class of its own so that it runs beside the other rows.</summary>
public sealed class PaceTableOnGarnetTests
{
    public static TheoryData<string, string> Rows() => PaceTableTests.RowsFor(["garnet"]);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task PaceCase_BehavesTheSame_OnGarnet(string name, string gate) => PaceTableTests.RunAsync(name, gate);
}
