using System.Net;
using Herald.Core.Network;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Microsoft.Extensions.Options;

namespace Herald.Server.Consumer;

/// <summary>
/// Limits how many sign-in codes are sent, per phone number (so no one can flood a person with texts) and per client
/// address (so no one can pump the operator's SMS bill through Herald). Guessing is limited separately: each code
/// allows five tries. Counted per node: a cluster of N nodes sends at most N times the limits.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly WindowedLimits _limits;
    private readonly IpAllowlist _trustedProxies;

    public SignInThrottle(IOptions<HeraldOptions> options)
    {
        var settings = options.Value.Consumers;
        _trustedProxies = IpAllowlist.Parse(options.Value.Network.TrustedProxies, out _);
        _limits = new WindowedLimits((settings.CodesPerAddressPerMinute, TimeSpan.FromMinutes(1)), (settings.CodesPerPhonePerHour, TimeSpan.FromHours(1)));
    }

    /// <returns>null when a code may be sent, else how long to wait</returns>
    public TimeSpan? TryTake(string phone, IPAddress? remote, string? forwardedFor) =>
        _limits.TryTake(ClientAddress.Resolve(remote, forwardedFor, _trustedProxies)?.ToString() ?? "unknown", phone);

    public void Dispose() => _limits.Dispose();
}
