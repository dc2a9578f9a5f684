using System.Threading.RateLimiting;

namespace Herald.Server.Http;

/// <summary>
/// Fixed-window counters, one limiter per kind of key (a phone, an e-mail, a client address). An attempt takes one
/// permit from each; the first limiter that has none left refuses it. Counted per node.
/// </summary>
public sealed class WindowedLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string>[] _limiters;

    public WindowedLimits(params (int Limit, TimeSpan Window)[] windows) =>
        _limiters = [.. windows.Select(w => PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, w.Limit), Window = w.Window, QueueLimit = 0 })))];

    /// <param name="keys">one per window, in the constructor's order</param>
    /// <returns>null when the attempt may go ahead, else how long to wait</returns>
    public TimeSpan? TryTake(params string[] keys)
    {
        for (var i = 0; i < _limiters.Length; i++)
        {
            using var lease = _limiters[i].AttemptAcquire(keys[i]);
            if (!lease.IsAcquired)
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        }
        return null;
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters)
            limiter.Dispose();
    }
}
