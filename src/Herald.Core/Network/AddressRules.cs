using System.Net;
using System.Net.Sockets;

namespace Herald.Core.Network;

/// <summary>
/// Which addresses a callback may reach. Loopback, private, link-local (cloud metadata lives at 169.254.169.254),
/// carrier-grade NAT, multicast and unspecified addresses are inside someone's network, not a business's public
/// endpoint: a webhook pointed there would let a tenant probe the operator's network.
/// </summary>
public static class AddressRules
{
    private static readonly IPNetwork[] s_nonPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        // IPv6: unspecified and IPv4-compatible (::/96), loopback, NAT64, unique-local, link- and site-local, multicast,
        // and the tunnels that embed an IPv4 address which could be private (6to4, Teredo).
        IPNetwork.Parse("::/96"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"), IPNetwork.Parse("2002::/16"),
        IPNetwork.Parse("2001::/32"),
    ];

    public static bool IsPublic(IPAddress address)
    {
        address = IpAllowlist.Normalize(address);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            return false;
        foreach (var network in s_nonPublic)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
                return false;
        }
        return true;
    }
}
