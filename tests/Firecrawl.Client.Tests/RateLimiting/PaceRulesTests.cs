namespace Firecrawl.Client.Tests;

/// <summary>
/// The gate's rules on their own, with exact times: a 429's wait closes it, and the pace it teaches (the limit from
/// "Consumed", the window from the first attempt to the named reset) fills later windows to the limit and holds the rest.
/// </summary>
public sealed class PaceRulesTests
{
    private static readonly PaceSettings Settings = new();

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static FirecrawlGateOutcome Limited(double named, int? consumed, double padding = 0.5) =>
        new() { Answered = true, RateLimited = true, NamedWait = S(named), RetryAfter = S(named + padding), Consumed = consumed };

    private static readonly FirecrawlGateOutcome Ok = new() { Answered = true };

    [Fact]
    public void Enter_NothingKnown_LetsEveryAttemptGo()
    {
        var state = new PaceState();

        for (int i = 0; i < 1000; i++)
        {
            Assert.True(PaceRules.Enter(state, S(i * 0.001), Settings).Entered);
        }

        Assert.Equal(TimeSpan.Zero, PaceRules.Peek(state, S(1)));
    }

    [Fact]
    public void Leave_429WithAWait_ClosesForThatWaitFromNow()
    {
        var state = new PaceState();
        FirecrawlGateEntry entry = PaceRules.Enter(state, S(0), Settings);

        PaceRules.Leave(state, S(2), entry, Limited(named: 10, consumed: null));

        Assert.Equal(S(10.5), PaceRules.Enter(state, S(2), Settings).Wait);
        Assert.Equal(S(6.5), PaceRules.Peek(state, S(6)));
        Assert.True(PaceRules.Enter(state, S(12.5), Settings).Entered);
    }

    [Fact]
    public void Leave_ShorterWaitWhileClosed_DoesNotShortenIt_LongerExtendsIt()
    {
        var state = new PaceState();
        FirecrawlGateEntry entry = PaceRules.Enter(state, S(0), Settings);

        PaceRules.Leave(state, S(0), entry, Limited(named: 10, consumed: 6));
        PaceRules.Leave(state, S(1), entry, Limited(named: 3, consumed: 7));
        Assert.Equal(S(9.5), PaceRules.Peek(state, S(1)));
        PaceRules.Leave(state, S(5), entry, Limited(named: 20, consumed: 8));

        Assert.Equal(S(20.5), PaceRules.Peek(state, S(5)));
    }

    [Fact]
    public void Leave_429WithoutAWait_DoesNotClose()
    {
        var state = new PaceState();
        FirecrawlGateEntry entry = PaceRules.Enter(state, S(0), Settings);

        PaceRules.Leave(state, S(0), entry, new FirecrawlGateOutcome { Answered = true, RateLimited = true });

        Assert.True(PaceRules.Enter(state, S(0), Settings).Entered);
    }

    [Fact]
    public void FirstWindow_429_TeachesTheLimitFromConsumedAndTheWindowFromTheNamedReset()
    {
        var state = new PaceState();
        for (int i = 0; i < 26; i++)
        {
            PaceRules.Enter(state, S(0.01 * i), Settings);
        }

        // The 26th request, 0.3 s into a 5 s window, hears "retry after 5s" (4.7 s rounded) and "Consumed: 26".
        PaceRules.Leave(state, S(0.3), Current(state), Limited(named: 5, consumed: 26));

        Assert.Equal(25, state.Limit);
        Assert.Equal(S(5), state.Window);
        Assert.Equal(S(0.5), state.Padding);
    }

    [Fact]
    public void LaterWindow_LetsTheLimitThroughThenHoldsTheRestUntilItReopens()
    {
        PaceState state = Learned(limit: 25, window: 5);

        // The gate reopens at 5.5 s; the first attempt then starts a window that this gate ends at 5.5 + 5 + 0.5 s.
        for (int i = 0; i < 25; i++)
        {
            Assert.True(PaceRules.Enter(state, S(5.5 + (0.01 * i)), Settings).Entered);
        }

        Assert.Equal(S(11) - S(6), PaceRules.Enter(state, S(6), Settings).Wait);
        Assert.Equal(S(5), PaceRules.Peek(state, S(6)));
        Assert.True(PaceRules.Enter(state, S(11), Settings).Entered);
        Assert.Equal(1, state.Permits);
    }

    [Fact]
    public void LaterWindow_ItsFirstAnswerTimesTheWindowFromThen_SoASlowFirstRequestCannotEndItEarly()
    {
        PaceState state = Learned(limit: 2, window: 5);
        FirecrawlGateEntry first = PaceRules.Enter(state, S(5.5), Settings);
        PaceRules.Enter(state, S(5.5), Settings);

        // The first request of the window took 0.8 s to come back: the server's window opened somewhere in between.
        PaceRules.Leave(state, S(6.3), first, Ok);

        // The server's window opened before 6.3 s, and the learned length is never short: a small margin is enough.
        Assert.Equal(S(5) + PaceRules.AnsweredMargin, PaceRules.Enter(state, S(6.3), Settings).Wait);

        // Only the first answer moves it, and only an answer to an attempt this window let through.
        PaceRules.Leave(state, S(7), Current(state), Ok);
        PaceRules.Leave(state, S(7), Earlier(state), Ok);
        Assert.Equal(S(11.3) + PaceRules.AnsweredMargin - S(7), PaceRules.Peek(state, S(7)));
    }

    [Fact]
    public void LaterWindow_A429AnywayReteachesALowerLimit()
    {
        PaceState state = Learned(limit: 25, window: 5);
        for (int i = 0; i < 21; i++)
        {
            PaceRules.Enter(state, S(5.5 + (0.01 * i)), Settings);
        }

        // Another user of the team took five of this window: the 21st request is refused, saying "Consumed: 21".
        PaceRules.Leave(state, S(5.8), Current(state), Limited(named: 5, consumed: 21));
        PaceRules.Leave(state, S(5.8), Current(state), Limited(named: 5, consumed: 23));

        Assert.Equal(20, state.Limit);
        Assert.Equal(S(5.5), PaceRules.Peek(state, S(5.8)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ALaterReading_NeverRaisesTheLimitNorShortensTheWindow(bool ofThisWindow)
    {
        PaceState state = Learned(limit: 20, window: 5);
        PaceRules.Enter(state, S(5.5), Settings);

        // 0.1 s into this window a refusal names a 1 s wait and counts more than the window held: either a late one from
        // the window before, or this window's own first (other users of the team took part of it).
        FirecrawlGateEntry entry = ofThisWindow ? Current(state) : Earlier(state);
        PaceRules.Leave(state, S(5.6), entry, Limited(named: 1, consumed: 31));

        Assert.Equal(S(5), state.Window);
        Assert.Equal(20, state.Limit);
    }

    [Fact]
    public void ALate429OfAnEarlierWindow_DoesNotEndTheCurrentOne()
    {
        PaceState state = Learned(limit: 25, window: 5);
        PaceRules.Enter(state, S(5.5), Settings);

        // The late refusal closes the gate for its wait (1.5 s), but this window, which ends at 11 s, keeps its count.
        PaceRules.Leave(state, S(5.6), Earlier(state), Limited(named: 1, consumed: 30));
        for (int i = 0; i < 24; i++)
        {
            Assert.True(PaceRules.Enter(state, S(7.2), Settings).Entered);
        }

        Assert.Equal(S(11) - S(7.2), PaceRules.Enter(state, S(7.2), Settings).Wait);
    }

    [Fact]
    public void A429ThatTaughtNothing_LeavesTheWindowToBeLearnedLater()
    {
        var state = new PaceState();
        PaceRules.Enter(state, S(0), Settings);
        PaceRules.Leave(state, S(0.1), Current(state), Limited(named: 30, consumed: null));

        // The next window's refusal says it all; nothing from the first one (a 30 s reading) may linger in the window.
        PaceRules.Enter(state, S(31), Settings);
        PaceRules.Leave(state, S(31.3), Current(state), Limited(named: 5, consumed: 26));

        Assert.Equal(25, state.Limit);
        Assert.Equal(S(5), state.Window);
    }

    [Fact]
    public void LateRefusalsOfTheSameWindow_LowerTheLimitToTheLeastConsumed()
    {
        var state = new PaceState();
        PaceRules.Enter(state, S(0), Settings);

        PaceRules.Leave(state, S(1), Current(state), Limited(named: 59, consumed: 28));
        PaceRules.Leave(state, S(1), Current(state), Limited(named: 59, consumed: 26));
        PaceRules.Leave(state, S(1), Current(state), Limited(named: 59, consumed: 30));

        Assert.Equal(25, state.Limit);
        Assert.Equal(S(60), state.Window);
    }

    [Fact]
    public void A429WithoutConsumed_TakesTheLimitFromTheAnswersCountedSinceTheWindowOpened()
    {
        var state = new PaceState();
        for (int i = 0; i < 12; i++)
        {
            FirecrawlGateEntry entry = PaceRules.Enter(state, S(0.1 * i), Settings);
            PaceRules.Leave(state, S(0.1 * i), entry, i < 10 ? Ok : new FirecrawlGateOutcome());
        }

        PaceRules.Leave(state, S(1.3), Current(state), Limited(named: 59, consumed: null));

        Assert.Equal(10, state.Limit);
    }

    [Fact]
    public void A429WithoutConsumedOrAnyAnswer_LearnsNothingButStillCloses()
    {
        var state = new PaceState();
        FirecrawlGateEntry entry = PaceRules.Enter(state, S(0), Settings);

        PaceRules.Leave(state, S(0.1), entry, Limited(named: 30, consumed: null));

        Assert.Equal(0, state.Limit);
        Assert.Equal(S(30.5), PaceRules.Peek(state, S(0.1)));
        for (int i = 0; i < 50; i++)
        {
            Assert.True(PaceRules.Enter(state, S(30.6), Settings).Entered);
        }
    }

    [Fact]
    public void CreateStandIn_TakesTheSharedGatesPaceSettings_AndRefusesOnesThatCannotWork()
    {
        var gate = Assert.IsType<InProcessGate>(FirecrawlRateLimitGate.CreateStandIn(null, 3, TimeSpan.FromMinutes(1)));

        Assert.Equal((3, TimeSpan.FromMinutes(1)), (gate.Settings.MaxInFlightUntilLearned, gate.Settings.LearnedLifetime));
        Assert.Equal(new PaceSettings().DefaultWindow, gate.Settings.DefaultWindow);
        Assert.Throws<ArgumentOutOfRangeException>(() => FirecrawlRateLimitGate.CreateStandIn(null, -1, TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => FirecrawlRateLimitGate.CreateStandIn(null, 0, TimeSpan.Zero));
    }

    [Fact]
    public void LearnedPace_IsForgottenAfterItsLifetime_SoAPlanUpgradeIsNoticed()
    {
        PaceState state = Learned(limit: 2, window: 5);
        PaceRules.Enter(state, S(6), Settings);
        PaceRules.Enter(state, S(6), Settings);
        Assert.False(PaceRules.Enter(state, S(6), Settings).Entered);

        TimeSpan later = S(6) + Settings.LearnedLifetime + S(60);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(PaceRules.Enter(state, later, Settings).Entered);
        }

        Assert.Equal(0, state.Limit);
    }

    [Fact]
    public void WhileTheLimitIsUnknown_AFleetBoundsTheAttemptsInFlight()
    {
        var settings = new PaceSettings { MaxInFlightUntilLearned = 2 };
        var state = new PaceState();
        FirecrawlGateEntry first = PaceRules.Enter(state, S(0), settings);
        FirecrawlGateEntry second = PaceRules.Enter(state, S(0), settings);

        Assert.Equal(settings.InFlightRecheck, PaceRules.Enter(state, S(0), settings).Wait);
        PaceRules.Leave(state, S(0.1), first, Ok);
        Assert.True(PaceRules.Enter(state, S(0.1), settings).Entered);

        // Once the pace is learned, the bound is off.
        PaceRules.Leave(state, S(0.2), second, Limited(named: 1, consumed: 3));
        for (int i = 0; i < 2; i++)
        {
            Assert.True(PaceRules.Enter(state, S(2 + (0.01 * i)), settings).Entered);
        }

        Assert.Equal(0, PaceRules.Enter(state, S(2), settings).Tag);
    }

    [Theory]
    [InlineData(0.30, 5, 5)]
    [InlineData(0.49, 5, 5)]
    [InlineData(1.20, 59, 60)]
    [InlineData(0.10, 1, 1)]
    public void Window_IsTheTimeToTheResetRoundedToWholeSeconds(double elapsed, double named, double expected)
    {
        var state = new PaceState();
        PaceRules.Enter(state, S(0), Settings);

        PaceRules.Leave(state, S(elapsed), Current(state), Limited(named, consumed: 9));

        Assert.Equal(S(expected), state.Window);
    }

    [Fact]
    public async Task InProcessGate_KeepsPartitionsApart()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        FirecrawlRateLimitGate gate = FirecrawlRateLimitGate.CreateInProcess(time);
        FirecrawlGatePartition a = FirecrawlGatePartition.For("fc-a", new Uri("https://api.firecrawl.dev"));
        FirecrawlGatePartition b = FirecrawlGatePartition.For("fc-b", new Uri("https://api.firecrawl.dev"));

        FirecrawlGateEntry entry = await gate.EnterAsync(a, CancellationToken.None);
        await gate.LeaveAsync(a, entry, Limited(named: 30, consumed: 6), CancellationToken.None);

        Assert.Equal(S(30.5), (await gate.EnterAsync(a, CancellationToken.None)).Wait);
        Assert.True((await gate.EnterAsync(b, CancellationToken.None)).Entered);
        Assert.Equal(S(30.5), gate.PeekWait(a));
        Assert.Equal(TimeSpan.Zero, gate.PeekWait(b));
    }

    [Fact]
    public void Partition_IsAHashOfKeyAndServerNeverTheKey()
    {
        string key = "fc-" + Guid.NewGuid().ToString("N");
        FirecrawlGatePartition partition = FirecrawlGatePartition.For(key, new Uri("https://api.firecrawl.dev/"));

        Assert.Matches("^[0-9a-f]{32}$", partition.Id);
        Assert.DoesNotContain(key[3..19], partition.Id, StringComparison.Ordinal);
        Assert.Equal(partition.Id, FirecrawlGatePartition.For(key, new Uri("https://api.firecrawl.dev")).Id);
        Assert.Equal(partition, FirecrawlGatePartition.For(key, new Uri("https://api.firecrawl.dev")));
        Assert.NotEqual(partition, FirecrawlGatePartition.For(key, new Uri("http://localhost:3002")));
        Assert.NotEqual(partition, FirecrawlGatePartition.For(null, new Uri("https://api.firecrawl.dev")));
        Assert.Equal(FirecrawlGatePartition.ForScope("team-acme"), FirecrawlGatePartition.ForScope("team-acme"));
    }

    [Fact]
    public void TheRules_ReadOnlyDurations_SoAClockThatStartedLongAgoPacesTheSame()
    {
        // A monotonic clock's zero is wherever the machine booted: the same story told at two offsets must end the same.
        List<string> Story(TimeSpan origin)
        {
            var seen = new List<string>();
            var state = new PaceState();
            TimeSpan At(double seconds) => origin + S(seconds);
            for (int i = 0; i < 6; i++)
            {
                PaceRules.Enter(state, At(0.01 * i), Settings);
            }

            PaceRules.Leave(state, At(0.3), Current(state), Limited(named: 5, consumed: 6));
            foreach (double t in new[] { 5.8, 5.9, 6, 6.1, 6.2, 6.3, 6.4, 11, 11.1 })
            {
                FirecrawlGateEntry entry = PaceRules.Enter(state, At(t), Settings);
                seen.Add(entry.Entered ? "in" : "wait " + entry.Wait.TotalMilliseconds);
                seen.Add("peek " + PaceRules.Peek(state, At(t)).TotalMilliseconds);
            }

            double later = 11.2 + Settings.LearnedLifetime.TotalSeconds;
            for (int i = 0; i < 8; i++)
            {
                seen.Add(PaceRules.Enter(state, At(later), Settings).Entered ? "in" : "held");
            }

            seen.Add($"limit {state.Limit}, window {state.Window.TotalSeconds} s");
            return seen;
        }

        List<string> fromZero = Story(TimeSpan.Zero);
        Assert.Contains(fromZero, line => line.StartsWith("wait ", StringComparison.Ordinal));
        Assert.Equal("limit 0, window 0 s", fromZero[^1]);
        Assert.Equal(fromZero, Story(TimeSpan.FromDays(40)));
    }

    [Fact]
    public void PartitionIds_AreTheSameInEveryRelease_SoAHalfUpgradedFleetSharesOneGate()
    {
        // Pinned: SHA-256 of the partition's text, first 16 bytes. A change here splits a running fleet's gate in two.
        Assert.Equal("14748abbfba53b827dd192d4048498aa", FirecrawlGatePartition.For("fc-a", new Uri("https://api.firecrawl.dev/")).Id);
        Assert.Equal("0913bcabf5f9172ca924113c3a7da2d7", FirecrawlGatePartition.ForScope("team-acme").Id);
        Assert.NotEqual(FirecrawlGatePartition.ForScope("fc-a"), FirecrawlGatePartition.For("fc-a", new Uri("https://api.firecrawl.dev/")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void APartitionScope_MustNameSomething(string? scope)
    {
        Assert.ThrowsAny<ArgumentException>(() => FirecrawlGatePartition.ForScope(scope!));
    }

    /// <summary>An attempt the current window let through.</summary>
    private static FirecrawlGateEntry Current(PaceState state) => new() { Tag = PaceRules.Tag(state.WindowId, counted: false) };

    /// <summary>An attempt the window before let through, whose answer came back late.</summary>
    private static FirecrawlGateEntry Earlier(PaceState state) => new() { Tag = PaceRules.Tag(state.WindowId - 1, counted: false) };

    /// <summary>A state that learned a pace in a first window that ended at 0.5 s, its gate open again at 5.5 s.</summary>
    private static PaceState Learned(int limit, double window)
    {
        var state = new PaceState();
        PaceRules.Enter(state, S(0), Settings);
        PaceRules.Leave(state, S(0.5), Current(state), Limited(named: window - 0.5 < 1 ? 1 : Math.Round(window - 0.5), consumed: limit + 1));
        Assert.Equal(limit, state.Limit);
        Assert.Equal(S(window), state.Window);
        return state;
    }
}
