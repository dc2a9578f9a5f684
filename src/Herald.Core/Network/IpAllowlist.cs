using System.Net;

namespace Herald.Core.Network;

/// <summary>
/// A business's allowlist of addresses and CIDR ranges. Host names are refused: a name can be re-pointed by
/// whoever controls its DNS, so it is no proof of where a request comes from. An empty list admits nobody.
/// </summary>
public sealed class IpAllowlist
{
    private readonly IPNetwork[] _networks;

    private IpAllowlist(IPNetwork[] networks) => _networks = networks;

    public static IpAllowlist Empty { get; } = new([]);

    /// <summary>Parses every entry; the entries that are not an address or a CIDR range come back in <paramref name="invalid"/>.</summary>
    public static IpAllowlist Parse(IEnumerable<string> entries, out List<string> invalid)
    {
        invalid = [];
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (TryParseEntry(entry, out var network))
                networks.Add(network);
            else
                invalid.Add(entry);
        }
        return new IpAllowlist([.. networks]);
    }

    public static bool TryParseEntry(string entry, out IPNetwork network)
    {
        network = default;
        var text = entry.Trim();
        if (text.Contains('/', StringComparison.Ordinal))
        {
            // IPNetwork.TryParse refuses ranges with host bits set (10.0.0.1/8); operators write those, so mask them.
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (!IPAddress.TryParse(text.AsSpan(0, slash), out var baseAddress)
                || !int.TryParse(text.AsSpan(slash + 1), out var prefix))
                return false;
            var bits = baseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
            if (prefix < 0 || prefix > bits)
                return false;
            network = new IPNetwork(Mask(baseAddress, prefix), prefix);
            return true;
        }
        if (!IPAddress.TryParse(text, out var address) || text.Any(char.IsLetter) && !text.Contains(':', StringComparison.Ordinal))
            return false;
        address = Normalize(address);
        network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    public bool Admits(IPAddress? address)
    {
        if (address is null)
            return false;
        address = Normalize(address);
        foreach (var network in _networks)
        {
            if (network.Contains(address))
                return true;
        }
        return false;
    }

    /// <summary>IPv4 clients of a dual-stack socket arrive as ::ffff:a.b.c.d; compare them as IPv4.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = Normalize(address).GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
