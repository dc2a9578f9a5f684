using System.Net;
using CsCheck;
using Herald.Core.Network;
using Herald.Fuzzing;

namespace Herald.Core.Tests.Fuzz;

public class ClientAddressFuzz
{
    private static readonly IpAllowlist s_proxies = IpAllowlist.Parse(["10.0.0.0/8", "fd00::/8"], out _);

    /// <summary>Mostly proxies (10/8, fd00::/8), sometimes clients, in the spellings a header may carry.</summary>
    private static readonly Gen<IPAddress> s_hop = Gen.Frequency(
        (3, Gen.Byte.Array[3].Select(b => new IPAddress([10, b[0], b[1], b[2]]))),
        (1, Gen.Byte.Array[15].Select(b => new IPAddress([0xfd, .. b]))),
        (2, IpAllowlistFuzz.Address));

    private static readonly Gen<string> s_separator = Gen.OneOf(",", ", ", " ,", ",,", ", ,\t");

    /// <summary>Joins hops into a header the way proxies and clients write it: odd spacing, empty items, mapped IPv4.</summary>
    private static Gen<string> Header(Gen<IPAddress[]> hops) =>
        Gen.Select(hops, s_separator.Array[16], Gen.Bool.Array[16]).Select((h, seps, mapped) =>
            string.Concat(h.Select((a, i) => (i == 0 ? "" : seps[i % 16]) + (mapped[i % 16] && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? a.MapToIPv6() : a))));

    [Fact]
    public void A_remote_that_is_not_a_trusted_proxy_is_the_client_whatever_the_header_says() =>
        Gen.Select(IpAllowlistFuzz.Address.Where(a => !s_proxies.Admits(a)), FuzzText.AnyOrNull).Fuzz(t =>
            Assert.Equal(IpAllowlist.Normalize(t.Item1), ClientAddress.Resolve(t.Item1, t.Item2, s_proxies)), 3_000);

    [Fact]
    public void Through_trusted_proxies_the_client_is_the_rightmost_hop_that_is_not_a_proxy() =>
        Gen.Select(s_hop.Where(s_proxies.Admits), s_hop.Array[1, 8]).SelectMany(t => Header(Gen.Const(t.Item2)).Select(h => (t.Item1, t.Item2, h)))
            .Fuzz(t =>
            {
                var (remote, hops, header) = t;
                var normalized = hops.Select(IpAllowlist.Normalize).ToList();
                var expected = normalized.LastOrDefault(a => !s_proxies.Admits(a)) ?? normalized[0];
                Assert.Equal(expected, ClientAddress.Resolve(remote, header, s_proxies));
            }, 3_000, t => t.h);

    [Fact]
    public void Garbage_left_of_the_client_is_ignored_and_garbage_among_proxies_admits_nobody() =>
        Gen.Select(FuzzText.Any.Where(s => s.Trim().Length > 0 && !s.Contains(',', StringComparison.Ordinal) && !IPAddress.TryParse(s.Trim(), out _)),
                IpAllowlistFuzz.Address.Where(a => !s_proxies.Admits(a)), s_hop.Where(s_proxies.Admits).Array[0, 3])
            .Fuzz(t =>
            {
                var (garbage, client, proxies) = t;
                var remote = IPAddress.Parse("10.0.0.1");
                var trail = string.Concat(proxies.Select(p => ", " + p));
                // What the client wrote itself stays left of the address its first proxy saw.
                Assert.Equal(IpAllowlist.Normalize(client), ClientAddress.Resolve(remote, $"{garbage}, {client}{trail}", s_proxies));
                // A garbled hop written by a trusted proxy: nobody can say who the client is.
                Assert.Null(ClientAddress.Resolve(remote, $"{client}, {garbage}{trail}", s_proxies));
            }, 3_000, t => FuzzText.Literal(t.Item1));

    [Fact]
    public void Any_header_from_a_trusted_proxy_gives_no_address_or_one_that_was_written_in_it() =>
        FuzzText.Any.Fuzz(header =>
        {
            var remote = IPAddress.Parse("10.1.2.3");
            var client = ClientAddress.Resolve(remote, header, s_proxies);
            var hops = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (hops.Length == 0)
                Assert.Equal(remote, client);
            else if (client is not null)
                Assert.Contains(client, hops.Select(h => IPAddress.TryParse(h, out var a) ? IpAllowlist.Normalize(a) : null));
        }, 3_000, FuzzText.Literal);
}
