using System.Net;
using System.Threading.RateLimiting;
using Herald.Core.Network;
using Herald.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Server.Consumer;

/// <summary>
/// Limits how many sign-in codes are sent, per phone number (so no one can flood a person with texts) and per client
/// address (so no one can pump the operator's SMS bill through Herald). Guessing is limited separately: each code
/// allows five tries. Counted per node: a cluster of N nodes sends at most N times the limits.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perPhone;
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly IpAllowlist _trustedProxies;

    public SignInThrottle(IOptions<HeraldOptions> options)
    {
        var settings = options.Value.Consumers;
        _trustedProxies = IpAllowlist.Parse(options.Value.Network.TrustedProxies, out _);
        _perPhone = Windowed(settings.CodesPerPhonePerHour, TimeSpan.FromHours(1));
        _perAddress = Windowed(settings.CodesPerAddressPerMinute, TimeSpan.FromMinutes(1));
    }

    private static PartitionedRateLimiter<string> Windowed(int limit, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit),
            Window = window,
            QueueLimit = 0,
        }));

    /// <returns>null when a code may be sent, else how long to wait</returns>
    public TimeSpan? TryTake(string phone, IPAddress? remote, string? forwardedFor)
    {
        var client = ClientAddress.Resolve(remote, forwardedFor, _trustedProxies)?.ToString() ?? "unknown";
        foreach (var (limiter, key) in new[] { (_perAddress, client), (_perPhone, phone) })
        {
            using var lease = limiter.AttemptAcquire(key);
            if (!lease.IsAcquired)
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        }
        return null;
    }

    public void Dispose()
    {
        _perPhone.Dispose();
        _perAddress.Dispose();
    }
}
