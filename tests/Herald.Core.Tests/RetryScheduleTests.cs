using Herald.Core.Callbacks;

namespace Herald.Core.Tests;

public class RetryScheduleTests
{
    private const double MinJitter = 0.0;
    private const double MaxJitter = 0.999;
    private const double Middle = 0.5; // 0.8 + 0.4 * 0.5 = 1.0: no jitter

    private static void AssertSeconds(double expected, TimeSpan actual) =>
        Assert.InRange(actual.TotalSeconds, expected - 1e-6, expected + 1e-6);

    [Fact]
    public void First_delay_is_one_second()
    {
        AssertSeconds(1, RetrySchedule.DelayAfter(1, Middle));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(10, 512)]
    [InlineData(12, 2048)]
    public void Delays_double_before_the_cap(int attempts, double seconds)
    {
        AssertSeconds(seconds, RetrySchedule.DelayAfter(attempts, Middle));
    }

    [Fact]
    public void Each_delay_is_twice_the_previous_until_the_cap()
    {
        var previous = RetrySchedule.DelayAfter(1, Middle);
        for (var attempts = 2; attempts <= 12; attempts++)
        {
            var next = RetrySchedule.DelayAfter(attempts, Middle);
            Assert.InRange(next.TotalSeconds / previous.TotalSeconds, 2 - 1e-9, 2 + 1e-9);
            previous = next;
        }
    }

    [Theory]
    [InlineData(13)]
    [InlineData(20)]
    [InlineData(31)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void Delay_is_capped_at_one_hour(int attempts)
    {
        AssertSeconds(3600, RetrySchedule.DelayAfter(attempts, Middle));
        Assert.Equal(TimeSpan.FromHours(1), RetrySchedule.MaxDelay);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(100)]
    public void Jitter_stays_within_20_percent(int attempts)
    {
        var nominal = RetrySchedule.DelayAfter(attempts, Middle).TotalSeconds;
        var low = RetrySchedule.DelayAfter(attempts, MinJitter).TotalSeconds;
        var high = RetrySchedule.DelayAfter(attempts, MaxJitter).TotalSeconds;

        Assert.InRange(low, (nominal * 0.8) - 1e-6, (nominal * 0.8) + 1e-6);
        Assert.InRange(high, nominal * 1.19, nominal * 1.2);
        Assert.True(low < nominal && nominal < high);
    }

    [Fact]
    public void Capped_delay_with_jitter_stays_within_20_percent_of_one_hour()
    {
        Assert.InRange(RetrySchedule.DelayAfter(50, MinJitter), TimeSpan.FromMinutes(48), TimeSpan.FromHours(1));
        Assert.InRange(RetrySchedule.DelayAfter(50, MaxJitter), TimeSpan.FromHours(1), TimeSpan.FromMinutes(72));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Nonsense_attempt_counts_still_give_a_positive_delay(int attempts)
    {
        Assert.True(RetrySchedule.DelayAfter(attempts, Middle) > TimeSpan.Zero);
    }

    [Fact]
    public void Gives_up_at_72_hours_and_not_before()
    {
        var first = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromHours(72), RetrySchedule.GiveUpAfter);
        Assert.False(RetrySchedule.ShouldGiveUp(first, first));
        Assert.False(RetrySchedule.ShouldGiveUp(first, first.AddHours(24)));
        Assert.False(RetrySchedule.ShouldGiveUp(first, first.AddHours(72).AddTicks(-1)));
        Assert.True(RetrySchedule.ShouldGiveUp(first, first.AddHours(72)));
        Assert.True(RetrySchedule.ShouldGiveUp(first, first.AddDays(10)));
    }

    [Fact]
    public void Does_not_give_up_when_the_clock_is_behind_the_first_try()
    {
        var first = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.False(RetrySchedule.ShouldGiveUp(first, first.AddMinutes(-5)));
    }

    [Theory]
    [InlineData(MinJitter)]
    [InlineData(Middle)]
    [InlineData(MaxJitter)]
    public void Retries_cover_at_least_24_hours_before_giving_up(double jitter)
    {
        // Spec: "Herald retries with exponential backoff for at least 24 hours". Simulate a receiver that always fails
        // (and answers instantly, the worst case for coverage).
        var first = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var now = first;
        var attempts = 0;
        var lastTry = first;
        while (!RetrySchedule.ShouldGiveUp(first, now))
        {
            lastTry = now;
            attempts++;
            now += RetrySchedule.DelayAfter(attempts, jitter);
            Assert.True(attempts < 10_000, "the schedule never gives up");
        }

        Assert.True(lastTry - first >= TimeSpan.FromHours(24), $"last try at {lastTry - first}, before 24 h");
        Assert.True(attempts > 24, $"only {attempts} tries");
    }
}
