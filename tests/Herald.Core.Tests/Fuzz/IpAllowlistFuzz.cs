using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CsCheck;
using Herald.Core.Network;
using Herald.Fuzzing;

namespace Herald.Core.Tests.Fuzz;

public partial class IpAllowlistFuzz
{
    /// <summary>Any IPv4 or IPv6 address, IPv4-mapped IPv6 included.</summary>
    internal static readonly Gen<IPAddress> Address = Gen.Frequency(
        (3, Gen.Byte.Array[4].Select(b => new IPAddress(b))),
        (2, Gen.Byte.Array[16].Select(b => new IPAddress(b))),
        (1, Gen.Byte.Array[4].Select(b => new IPAddress(b).MapToIPv6())));

    /// <summary>An address with a prefix length that fits its family.</summary>
    private static readonly Gen<(IPAddress Address, int Prefix)> s_range =
        Address.SelectMany(a => Gen.Int[0, a.AddressFamily == AddressFamily.InterNetwork ? 32 : 128].Select(p => (a, p)));

    /// <summary>Decimal dotted quads without leading zeros (octal to some parsers), and a decimal prefix: all an IPv4 entry may look like.</summary>
    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}(/0*(3[0-2]|[12]?[0-9]))?\z")]
    private static partial Regex Ipv4Entry();

    private static readonly Gen<string> s_entryText = Gen.Frequency(
        (2, FuzzText.Any),
        (3, Gen.OneOf("0", "1", "01", "255", "256", "999", "1e1", "0x1", " ", "", "-1", "+1", "٣").Array[1, 6].Select(p => string.Join('.', p))),
        (2, Gen.Select(s_range, Gen.OneOf("", "/", "/0", "/-1", "/033", "/+8", "/ 8", "/8 ", "/129", "/33", "%eth0", "]", "/8/8")).Select((r, tail) => r.Address + tail)),
        (2, s_range.Select(r => $"{r.Address}/{r.Prefix}")));

    /// <summary>Whether <paramref name="address"/> shares the first <paramref name="prefix"/> bits of <paramref name="network"/>.</summary>
    private static bool SamePrefix(IPAddress network, int prefix, IPAddress address)
    {
        var (n, a) = (network.GetAddressBytes(), address.GetAddressBytes());
        if (n.Length != a.Length)
            return false;
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((n[bit / 8] & mask) != (a[bit / 8] & mask))
                return false;
        }
        return true;
    }

    [Fact]
    public void Any_entry_is_refused_or_parses_to_a_network_that_reads_back_the_same() =>
        s_entryText.Fuzz(entry =>
        {
            if (!IpAllowlist.TryParseEntry(entry, out var network))
                return;
            Assert.True(network.PrefixLength <= (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            Assert.False(network.BaseAddress.IsIPv4MappedToIPv6);
            Assert.True(SamePrefix(network.BaseAddress, network.PrefixLength, network.BaseAddress)); // no host bits
            if (!entry.Contains(':', StringComparison.Ordinal))
                Assert.Matches(Ipv4Entry(), entry.Trim());
            Assert.True(IpAllowlist.TryParseEntry(network.ToString(), out var again));
            Assert.Equal(network, again);
        }, 5_000, FuzzText.Literal);

    [Fact]
    public void IPv4_entries_are_accepted_exactly_when_they_are_decimal_quads_with_a_valid_prefix() =>
        s_entryText.Where(e => !e.Contains(':', StringComparison.Ordinal)).Fuzz(entry =>
            Assert.Equal(Ipv4Entry().IsMatch(entry.Trim()), IpAllowlist.TryParseEntry(entry, out _)), 5_000, FuzzText.Literal);

    [Fact]
    public void A_formatted_range_parses_back_and_admits_exactly_the_addresses_with_its_prefix() =>
        Gen.Select(s_range, Address).Fuzz(t =>
        {
            var ((address, prefix), probe) = t;
            var list = IpAllowlist.Parse([$" {address}/{prefix} "], out var invalid);
            if (address.IsIPv4MappedToIPv6 && prefix < 96)
            {
                Assert.Equal([$" {address}/{prefix} "], invalid); // a mapped range wider than IPv4 has no meaning
                return;
            }
            Assert.Empty(invalid);
            var (base4, prefix4) = address.IsIPv4MappedToIPv6 ? (address.MapToIPv4(), prefix - 96) : (address, prefix);
            var expected = SamePrefix(base4, prefix4, IpAllowlist.Normalize(probe));
            Assert.Equal(expected, list.Admits(probe));
            Assert.True(list.Admits(address));
        }, 5_000);

    [Fact]
    public void Parse_reports_exactly_the_entries_it_refused_in_order() =>
        s_entryText.Array[0, 8].Fuzz(entries =>
        {
            IpAllowlist.Parse(entries, out var invalid);
            Assert.Equal(entries.Where(e => !IpAllowlist.TryParseEntry(e, out _)), invalid);
        }, 2_000);

    [Fact]
    public void An_empty_list_admits_nobody() =>
        Address.Fuzz(a => Assert.False(IpAllowlist.Empty.Admits(a)), 500);
}
