using System.Collections.Concurrent;
using System.Diagnostics;
using Herald.Core.Businesses;
using Herald.Core.Limits;
using Herald.Server.Cluster;
using Herald.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Server.BusinessApi;

/// <summary>
/// Per-business send limit, counted cluster-wide without a database round trip: each node holds a token bucket per
/// business refilled at its share of the rate, the rate divided by the live nodes (<see cref="ClusterMembers"/>), and
/// holding one second of that share. One node alone has the whole rate, so a business bursts up to its per-second rate
/// and sustains exactly that. A batch takes one token per message. How far off the cluster-wide count may be, and
/// when, is in docs/scaling.md ("Rate limits across nodes").
/// </summary>
public sealed class SendRateLimiter(IOptions<HeraldOptions> options, ClusterMembers members)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new();

    public int RateOf(Business business) => business.RateLimitPerSecond ?? options.Value.Business.DefaultRateLimitPerSecond;

    /// <returns>null when admitted, else how long to wait</returns>
    public TimeSpan? TryTake(Business business, int messages)
    {
        var share = (double)RateOf(business) / members.LiveNodes;
        var now = Stopwatch.GetElapsedTime(0).TotalSeconds;
        var bucket = _buckets.GetOrAdd(business.Id, _ => new TokenBucket(share, now));
        lock (bucket)
        {
            // A changed limit or member count applies from this request on, keeping the tokens the bucket holds.
            bucket.Resize(share, now);
            return bucket.TryTake(messages, now);
        }
    }
}
