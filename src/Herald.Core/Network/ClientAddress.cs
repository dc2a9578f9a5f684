using System.Net;

namespace Herald.Core.Network;

/// <summary>
/// Finds the client's address. X-Forwarded-For is believed only when the hop that sent it is a proxy the operator
/// listed, and then only as far back as the chain stays inside trusted proxies: anything further left is whatever
/// the client chose to write.
/// </summary>
public static class ClientAddress
{
    public static IPAddress? Resolve(IPAddress? remote, string? forwardedFor, IpAllowlist trustedProxies)
    {
        if (remote is null)
            return null;
        var current = IpAllowlist.Normalize(remote);
        if (string.IsNullOrEmpty(forwardedFor) || !trustedProxies.Admits(current))
            return current;

        var hops = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
                return null; // a garbled chain from a trusted proxy: admit nobody rather than guess
            current = IpAllowlist.Normalize(hop);
            if (!trustedProxies.Admits(current))
                return current;
        }
        return current;
    }
}
