using System.Net;
using Herald.Core.Network;

namespace Herald.Core.Tests;

public class ClientAddressTests
{
    private static readonly IpAllowlist s_proxies = IpAllowlist.Parse(["10.0.0.1", "10.0.0.2", "192.168.50.0/24"], out _);

    private static IPAddress? Resolve(string? remote, string? forwardedFor, IpAllowlist? proxies = null) =>
        ClientAddress.Resolve(remote is null ? null : IPAddress.Parse(remote), forwardedFor, proxies ?? s_proxies);

    [Fact]
    public void Without_a_header_the_remote_address_is_the_client()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.5"), Resolve("203.0.113.5", null));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), Resolve("10.0.0.1", null));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), Resolve("10.0.0.1", ""));
    }

    [Fact]
    public void Null_remote_is_null()
    {
        Assert.Null(Resolve(null, "203.0.113.5"));
    }

    [Fact]
    public void Forwarded_for_is_ignored_when_the_remote_is_not_a_trusted_proxy()
    {
        // A client writing its own X-Forwarded-For to claim an allowlisted address.
        Assert.Equal(IPAddress.Parse("198.51.100.66"), Resolve("198.51.100.66", "203.0.113.5"));
        Assert.Equal(IPAddress.Parse("198.51.100.66"), Resolve("198.51.100.66", "10.0.0.1"));
        Assert.Equal(IPAddress.Parse("198.51.100.66"), Resolve("198.51.100.66", "127.0.0.1, 10.0.0.2"));
    }

    [Fact]
    public void Forwarded_for_is_ignored_when_no_proxy_is_trusted()
    {
        Assert.Equal(IPAddress.Parse("10.0.0.1"), Resolve("10.0.0.1", "203.0.113.5", IpAllowlist.Empty));
    }

    [Fact]
    public void Forwarded_for_is_honoured_from_a_trusted_proxy()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.5"), Resolve("10.0.0.1", "203.0.113.5"));
        Assert.Equal(IPAddress.Parse("203.0.113.5"), Resolve("192.168.50.77", "203.0.113.5"));
        Assert.Equal(IPAddress.Parse("2001:db8::5"), Resolve("10.0.0.1", "2001:db8::5"));
    }

    [Fact]
    public void Trusted_proxy_on_a_dual_stack_socket_is_recognised()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.5"), Resolve("::ffff:10.0.0.1", "203.0.113.5"));
    }

    [Fact]
    public void Forwarded_IPv4_mapped_client_is_normalised()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.5"), Resolve("10.0.0.1", "::ffff:203.0.113.5"));
    }

    [Fact]
    public void Chain_is_walked_from_the_right_to_the_first_untrusted_hop()
    {
        // client -> 10.0.0.2 -> 192.168.50.3 -> 10.0.0.1 (remote). Everything left of the real client is client-written.
        var resolved = Resolve("10.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2, 192.168.50.3");
        Assert.Equal(IPAddress.Parse("203.0.113.5"), resolved);
    }

    [Fact]
    public void Spoofed_left_entries_do_not_win_over_the_real_client()
    {
        // The client claims to be 10.0.0.1's allowlisted neighbour; the proxy appends the real address.
        var resolved = Resolve("10.0.0.1", "192.0.2.1, 198.51.100.66");
        Assert.Equal(IPAddress.Parse("198.51.100.66"), resolved);
    }

    [Fact]
    public void Chain_of_only_trusted_proxies_resolves_to_the_leftmost()
    {
        Assert.Equal(IPAddress.Parse("10.0.0.2"), Resolve("10.0.0.1", "10.0.0.2, 192.168.50.3"));
    }

    [Fact]
    public void Whitespace_and_empty_items_in_the_chain_are_tolerated()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.5"), Resolve("10.0.0.1", " 203.0.113.5 ,, 10.0.0.2 "));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("203.0.113.5, not-an-ip")]
    [InlineData("unknown")]
    [InlineData("example.com")]
    public void Garbled_chain_from_a_trusted_proxy_is_null(string forwardedFor)
    {
        Assert.Null(Resolve("10.0.0.1", forwardedFor));
    }

    [Fact]
    public void Garbage_left_of_the_first_untrusted_hop_is_never_read()
    {
        // The walk stops at 203.0.113.5; what the client wrote further left does not matter.
        Assert.Equal(IPAddress.Parse("203.0.113.5"), Resolve("10.0.0.1", "garbage, 203.0.113.5"));
    }

    [Fact]
    public void Garbage_from_an_untrusted_remote_is_ignored()
    {
        Assert.Equal(IPAddress.Parse("198.51.100.66"), Resolve("198.51.100.66", "garbage"));
    }
}
