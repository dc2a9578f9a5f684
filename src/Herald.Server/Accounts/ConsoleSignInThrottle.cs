using Herald.Core.Network;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Herald.Server.Accounts;

/// <summary>
/// Limits Console sign-in attempts per 15 minutes: per client address (whatever the accounts: no one sprays
/// passwords from one place) and per e-mail (from anywhere: no one guesses one person's password from many places).
/// Every attempt counts, right or wrong. Counted per node.
/// </summary>
public sealed class ConsoleSignInThrottle : IDisposable
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(15);
    private readonly WindowedLimits _limits;
    private readonly IpAllowlist _trustedProxies;

    public ConsoleSignInThrottle(IOptions<HeraldOptions> options)
    {
        var settings = options.Value.Accounts;
        _trustedProxies = IpAllowlist.Parse(options.Value.Network.TrustedProxies, out _);
        _limits = new WindowedLimits((settings.AttemptsPerAddress, s_window), (settings.AttemptsPerAccount, s_window));
    }

    /// <returns>null when the attempt may go ahead, else how long to wait</returns>
    public TimeSpan? TryTake(string email, string address) => _limits.TryTake(address, email.Trim().ToLowerInvariant());

    /// <summary>The client's address, through trusted proxies (<c>Herald:Network:TrustedProxies</c>).</summary>
    public string AddressOf(HttpContext context) =>
        ClientAddress.Resolve(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"].ToString(), _trustedProxies)?.ToString() ?? "unknown";

    public void Dispose() => _limits.Dispose();
}
