using System.Globalization;
using System.Net;
using System.Net.Sockets;

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

    /// <summary>
    /// Parses every entry; the entries that are not an address or a CIDR range come back in <paramref name="invalid"/>
    /// (a null one, which JSON can carry whatever the type says, as "null").
    /// </summary>
    public static IpAllowlist Parse(IEnumerable<string> entries, out List<string> invalid)
    {
        invalid = [];
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (entry is not null && TryParseEntry(entry, out var network))
                networks.Add(network);
            else
                invalid.Add(entry ?? "null");
        }
        return new IpAllowlist([.. networks]);
    }

    public static bool TryParseEntry(string entry, out IPNetwork network)
    {
        network = default;
        var text = entry.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!TryParseAddress(slash < 0 ? text : text[..slash], out var address))
            return false;
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
            return false;
        if (address.IsIPv4MappedToIPv6)
        {
            // ::ffff:10.0.0.0/104 is 10.0.0.0/8; clients are compared as IPv4 (see Normalize).
            if (prefix < 96)
                return false;
            (address, prefix) = (address.MapToIPv4(), prefix - 96);
        }
        // Operators write ranges with host bits set (10.0.0.1/8); mask them rather than refuse.
        network = new IPNetwork(Mask(address, prefix), prefix);
        return true;
    }

    /// <summary>
    /// Dotted-quad IPv4 with decimal parts only, or IPv6 without brackets, zone or port. IPAddress.TryParse alone also
    /// takes "127.1", "2130706433" and octal "010.0.0.1" (= 8.0.0.1): an allowlist must mean what the operator read.
    /// </summary>
    private static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
            return text.IndexOfAny(['[', ']', '%']) < 0 && IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        var parts = text.Split('.');
        var decimalQuad = parts.Length == 4 && parts.All(p =>
            p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
        return decimalQuad && IPAddress.TryParse(text, out address!);
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
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
