using System.Net;
using Herald.Core.Network;

namespace Herald.Core.Tests;

public class AddressRulesTests
{
    [Theory]
    [InlineData("127.0.0.1")]          // loopback v4
    [InlineData("127.255.255.254")]
    [InlineData("::1")]                // loopback v6
    [InlineData("10.0.0.1")]           // 10/8
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]         // 172.16/12
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]        // 192.168/16
    [InlineData("192.168.255.255")]
    [InlineData("169.254.169.254")]    // cloud metadata, link-local
    [InlineData("169.254.0.1")]
    [InlineData("100.64.0.1")]         // carrier-grade NAT 100.64/10
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]            // unspecified
    [InlineData("224.0.0.1")]          // multicast
    [InlineData("255.255.255.255")]    // broadcast
    [InlineData("fc00::1")]            // unique local fc00::/7
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fe80::1")]            // link-local v6
    [InlineData("febf::1")]
    [InlineData("ff02::1")]            // multicast v6
    [InlineData("::")]                 // unspecified v6
    [InlineData("::ffff:10.0.0.1")]    // IPv4-mapped private
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")]     // NAT64 of 10.0.0.1
    [InlineData("2002:a00:1::1")]      // 6to4 of 10.0.0.1
    public void Internal_addresses_are_not_public(string address)
    {
        Assert.False(AddressRules.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("172.15.255.255")]     // just below 172.16/12
    [InlineData("172.32.0.0")]         // just above 172.16/12
    [InlineData("100.63.255.255")]     // just below 100.64/10
    [InlineData("100.128.0.0")]        // just above 100.64/10
    [InlineData("11.0.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("::ffff:8.8.8.8")]     // IPv4-mapped public
    public void Public_addresses_are_public(string address)
    {
        Assert.True(AddressRules.IsPublic(IPAddress.Parse(address)));
    }
}
