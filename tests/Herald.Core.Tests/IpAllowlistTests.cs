using System.Net;
using Herald.Core.Network;

namespace Herald.Core.Tests;

public class IpAllowlistTests
{
    private static IpAllowlist Parse(params string[] entries)
    {
        var list = IpAllowlist.Parse(entries, out var invalid);
        Assert.Empty(invalid);
        return list;
    }

    private static bool Admits(IpAllowlist list, string address) => list.Admits(IPAddress.Parse(address));

    [Fact]
    public void Exact_IPv4_admits_only_that_address()
    {
        var list = Parse("203.0.113.7");
        Assert.True(Admits(list, "203.0.113.7"));
        Assert.False(Admits(list, "203.0.113.8"));
        Assert.False(Admits(list, "203.0.113.6"));
        Assert.False(Admits(list, "::1"));
    }

    [Fact]
    public void IPv4_CIDR_admits_the_range_and_nothing_outside()
    {
        var list = Parse("192.168.10.0/24");
        Assert.True(Admits(list, "192.168.10.0"));
        Assert.True(Admits(list, "192.168.10.1"));
        Assert.True(Admits(list, "192.168.10.255"));
        Assert.False(Admits(list, "192.168.11.0"));
        Assert.False(Admits(list, "192.168.9.255"));
    }

    [Fact]
    public void IPv4_CIDR_with_host_bits_set_is_masked()
    {
        var list = Parse("10.1.2.3/8");
        Assert.True(Admits(list, "10.0.0.0"));
        Assert.True(Admits(list, "10.1.2.3"));
        Assert.True(Admits(list, "10.255.255.255"));
        Assert.False(Admits(list, "11.0.0.0"));
        Assert.False(Admits(list, "9.255.255.255"));
    }

    [Fact]
    public void IPv4_CIDR_with_an_odd_prefix_is_masked_inside_a_byte()
    {
        var list = Parse("172.16.5.9/12");
        Assert.True(Admits(list, "172.16.0.0"));
        Assert.True(Admits(list, "172.31.255.255"));
        Assert.False(Admits(list, "172.32.0.0"));
        Assert.False(Admits(list, "172.15.255.255"));
    }

    [Fact]
    public void IPv4_slash_32_is_one_address_and_slash_0_is_every_IPv4_address()
    {
        var one = Parse("198.51.100.1/32");
        Assert.True(Admits(one, "198.51.100.1"));
        Assert.False(Admits(one, "198.51.100.2"));

        var all = Parse("0.0.0.0/0");
        Assert.True(Admits(all, "1.2.3.4"));
        Assert.True(Admits(all, "255.255.255.255"));
    }

    [Fact]
    public void Exact_IPv6_admits_only_that_address()
    {
        var list = Parse("2001:db8::1");
        Assert.True(Admits(list, "2001:db8::1"));
        Assert.True(Admits(list, "2001:0db8:0000:0000:0000:0000:0000:0001"));
        Assert.False(Admits(list, "2001:db8::2"));
    }

    [Fact]
    public void IPv6_CIDR_admits_the_range_and_nothing_outside()
    {
        var list = Parse("2001:db8:abcd::/48");
        Assert.True(Admits(list, "2001:db8:abcd::"));
        Assert.True(Admits(list, "2001:db8:abcd:ffff:ffff:ffff:ffff:ffff"));
        Assert.False(Admits(list, "2001:db8:abce::"));
        Assert.False(Admits(list, "2001:db8:abcc:ffff::1"));
    }

    [Fact]
    public void IPv6_CIDR_with_host_bits_set_is_masked()
    {
        var list = Parse("2001:db8::dead:beef/32");
        Assert.True(Admits(list, "2001:db8::"));
        Assert.True(Admits(list, "2001:db8:ffff::1"));
        Assert.False(Admits(list, "2001:db9::"));
    }

    [Fact]
    public void IPv4_mapped_IPv6_client_is_admitted_by_its_IPv4_entry()
    {
        var list = Parse("127.0.0.1");
        Assert.True(Admits(list, "::ffff:127.0.0.1"));
        Assert.True(list.Admits(IPAddress.Loopback.MapToIPv6()));
        Assert.False(Admits(list, "::ffff:127.0.0.2"));
    }

    [Fact]
    public void IPv4_mapped_IPv6_client_is_admitted_by_an_IPv4_range()
    {
        var list = Parse("10.0.0.0/8");
        Assert.True(Admits(list, "::ffff:10.20.30.40"));
        Assert.False(Admits(list, "::ffff:11.0.0.1"));
    }

    [Fact]
    public void IPv4_mapped_entry_admits_the_plain_IPv4_client()
    {
        var list = Parse("::ffff:192.0.2.10");
        Assert.True(Admits(list, "192.0.2.10"));
        Assert.True(Admits(list, "::ffff:192.0.2.10"));
        Assert.False(Admits(list, "192.0.2.11"));
    }

    [Fact]
    public void Empty_list_admits_nobody()
    {
        var parsed = IpAllowlist.Parse([], out var invalid);
        Assert.Empty(invalid);
        foreach (var list in new[] { parsed, IpAllowlist.Empty })
        {
            Assert.False(Admits(list, "127.0.0.1"));
            Assert.False(Admits(list, "::1"));
            Assert.False(Admits(list, "8.8.8.8"));
            Assert.False(Admits(list, "0.0.0.0"));
        }
    }

    [Fact]
    public void List_of_only_invalid_entries_admits_nobody()
    {
        var list = IpAllowlist.Parse(["localhost", "example.com"], out var invalid);
        Assert.Equal(2, invalid.Count);
        Assert.False(Admits(list, "127.0.0.1"));
        Assert.False(Admits(list, "::1"));
    }

    [Fact]
    public void Null_address_is_refused()
    {
        Assert.False(Parse("0.0.0.0/0").Admits(null));
        Assert.False(IpAllowlist.Empty.Admits(null));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("localhost")]
    [InlineData("api.example.com")]
    [InlineData("example.com/24")]
    [InlineData("localhost/32")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not an address")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/abc")]
    [InlineData("/8")]
    [InlineData("10.0.0.256")]
    [InlineData("2001:db8::g")]
    public void Host_names_and_garbage_are_invalid_entries(string entry)
    {
        Assert.False(IpAllowlist.TryParseEntry(entry, out _));
        IpAllowlist.Parse([entry], out var invalid);
        Assert.Equal([entry], invalid);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/999999999999")]
    [InlineData("2001:db8::/129")]
    [InlineData("2001:db8::/-1")]
    public void Prefix_out_of_range_is_invalid(string entry)
    {
        Assert.False(IpAllowlist.TryParseEntry(entry, out _));
    }

    [Theory]
    [InlineData("::ffff:10.0.0.0/104")]
    [InlineData("::ffff:0.0.0.0/96")]
    [InlineData("::ffff:192.0.2.0/120")]
    public void IPv4_mapped_CIDR_entry_does_not_throw(string entry)
    {
        // A Try method on operator input must answer yes or no, not throw. Whether such a range is accepted
        // (as the matching IPv4 range) or refused is a design choice; either is fine here.
        var exception = Record.Exception(() => IpAllowlist.TryParseEntry(entry, out _));
        Assert.Null(exception);
        exception = Record.Exception(() => IpAllowlist.Parse([entry], out _));
        Assert.Null(exception);
    }

    [Theory]
    [InlineData("192.168.001.010", "192.168.1.8")]
    [InlineData("010.000.000.001", "8.0.0.1")]
    [InlineData("010.0.0.0/8", "8.1.2.3")]
    public void Zero_padded_entry_is_not_read_as_octal(string entry, string octalReading)
    {
        // Operators zero-pad addresses. Refusing the entry or reading it as decimal are both fine; silently
        // admitting the octal reading (a different, unrelated address) is not.
        var list = IpAllowlist.Parse([entry], out _);
        Assert.False(Admits(list, octalReading), $"'{entry}' admitted {octalReading}");
    }

    [Fact]
    public void Entries_are_trimmed()
    {
        var list = Parse("  203.0.113.7  ", "\t10.0.0.0/8\n");
        Assert.True(Admits(list, "203.0.113.7"));
        Assert.True(Admits(list, "10.9.8.7"));
    }

    [Fact]
    public void Mixed_list_keeps_the_good_entries_and_reports_the_bad_ones_in_order()
    {
        var list = IpAllowlist.Parse(["203.0.113.7", "example.com", "2001:db8::/32", "localhost", "10.0.0.0/40"], out var invalid);

        Assert.Equal(["example.com", "localhost", "10.0.0.0/40"], invalid);
        Assert.True(Admits(list, "203.0.113.7"));
        Assert.True(Admits(list, "2001:db8::5"));
        Assert.False(Admits(list, "10.0.0.1"));
    }

    [Fact]
    public void TryParseEntry_returns_the_network()
    {
        Assert.True(IpAllowlist.TryParseEntry("10.1.2.3/8", out var network));
        Assert.Equal(IPAddress.Parse("10.0.0.0"), network.BaseAddress);
        Assert.Equal(8, network.PrefixLength);

        Assert.True(IpAllowlist.TryParseEntry("203.0.113.7", out network));
        Assert.Equal(IPAddress.Parse("203.0.113.7"), network.BaseAddress);
        Assert.Equal(32, network.PrefixLength);

        Assert.True(IpAllowlist.TryParseEntry("2001:db8::1", out network));
        Assert.Equal(128, network.PrefixLength);
    }

    [Fact]
    public void Normalize_maps_IPv4_mapped_addresses_to_IPv4_and_leaves_others_alone()
    {
        Assert.Equal(IPAddress.Parse("127.0.0.1"), IpAllowlist.Normalize(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), IpAllowlist.Normalize(IPAddress.Parse("10.0.0.1")));
        Assert.Equal(IPAddress.IPv6Loopback, IpAllowlist.Normalize(IPAddress.IPv6Loopback));
    }
}
