using Herald.Core.Businesses;
using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Herald.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Server.BusinessApi;

/// <summary>
/// Per-business send limit: a token bucket refilled at the business's rate, holding one second's worth, so a
/// business can burst up to its per-second rate and sustain exactly that. A batch takes one token per message.
/// </summary>
public sealed class SendRateLimiter(IOptions<HeraldOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<(string Business, int Rate), TokenBucketRateLimiter> _buckets = new();

    public int RateOf(Business business) => business.RateLimitPerSecond ?? options.Value.Business.DefaultRateLimitPerSecond;

    /// <returns>null when admitted, else how long to wait</returns>
    public TimeSpan? TryTake(Business business, int messages)
    {
        var rate = RateOf(business);
        // Keyed by rate too: when the operator changes a limit, the new bucket applies from the next request.
        var bucket = _buckets.GetOrAdd((business.Id, rate), key => Create(key.Rate));
        using var lease = bucket.AttemptAcquire(messages);
        if (lease.IsAcquired)
            return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    private static TokenBucketRateLimiter Create(int rate)
    {
        // Refill ten times a second (smooth), or once per token for rates under 10/s.
        var (period, perPeriod) = rate >= 10 ? (TimeSpan.FromMilliseconds(100), rate / 10) : (TimeSpan.FromSeconds(1.0 / rate), 1);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
            bucket.Dispose();
    }
}
