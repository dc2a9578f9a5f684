namespace Herald.Core.Callbacks;

/// <summary>
/// Exponential backoff with jitter for webhook deliveries: 1 s, 2 s, 4 s … capped at one hour between tries,
/// for 72 hours in all (the spec asks for at least 24). Jitter of ±20% spreads a receiver's recovery load.
/// </summary>
public static class RetrySchedule
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(72);

    /// <param name="attempts">failed attempts so far (1 after the first failure)</param>
    /// <param name="jitter">a number in [0, 1), from the caller so tests can pin it</param>
    public static TimeSpan DelayAfter(int attempts, double jitter)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var seconds = Math.Min(Math.Pow(2, exponent), MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (0.8 + (0.4 * jitter)));
    }

    public static bool ShouldGiveUp(DateTimeOffset firstQueuedAt, DateTimeOffset now) => now - firstQueuedAt >= GiveUpAfter;
}
