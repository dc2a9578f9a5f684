using System.Security.Cryptography;
using System.Text;
using Herald.Core.Security;

namespace Herald.Core.Tests;

public class SecretsTests
{
    [Fact]
    public void Token_has_the_prefix_and_256_bits_of_base64url()
    {
        var token = Secrets.NewToken("hk_live");
        Assert.StartsWith("hk_live_", token, StringComparison.Ordinal);
        var random = token["hk_live_".Length..];
        Assert.Equal(43, random.Length); // 32 bytes, base64 without padding
        Assert.Matches("^[A-Za-z0-9_-]{43}$", random);

        var bytes = Convert.FromBase64String(random.Replace('-', '+').Replace('_', '/') + "=");
        Assert.Equal(32, bytes.Length);
    }

    [Fact]
    public void Tokens_are_unique()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => Secrets.NewToken("t")).ToHashSet();
        Assert.Equal(1000, tokens.Count);
    }

    [Fact]
    public void Hash_is_deterministic_32_byte_SHA256()
    {
        var token = Secrets.NewToken("hk");
        var a = Secrets.Hash(token);
        var b = Secrets.Hash(token);
        Assert.Equal(32, a.Length);
        Assert.Equal(a, b);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), a);
    }

    [Fact]
    public void Hash_matches_a_known_vector()
    {
        // SHA-256("abc"), FIPS 180-2 test vector.
        Assert.Equal(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            Convert.ToHexStringLower(Secrets.Hash("abc")));
    }

    [Fact]
    public void Different_tokens_hash_differently()
    {
        Assert.NotEqual(Secrets.Hash("hk_a"), Secrets.Hash("hk_b"));
        Assert.NotEqual(Secrets.Hash("hk_a"), Secrets.Hash("hk_a "));
    }

    [Fact]
    public void Id_has_the_prefix_and_is_unique()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Secrets.NewId("msg")).ToList();
        Assert.All(ids, id => Assert.Matches("^msg_[0-9a-f]{32}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Id_is_a_version_7_uuid_of_the_time_it_was_made()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = Secrets.NewId("evt");
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var uuid = Guid.ParseExact(id["evt_".Length..], "N");
        Assert.Equal(7, uuid.Version);
        Assert.Equal(0b10, uuid.Variant >> 2); // RFC 9562: the two top bits of the variant nibble are 10
        var ms = Convert.ToInt64(id.Substring("evt_".Length, 12), 16);
        Assert.InRange(ms, before, after);
    }

    [Fact]
    public void Ids_made_later_sort_later_and_their_random_bits_vary()
    {
        var first = Secrets.NewId("msg");
        Thread.Sleep(5);
        var later = Enumerable.Range(0, 200).Select(_ => Secrets.NewId("msg")).ToList();
        Assert.All(later, id => Assert.True(string.CompareOrdinal(first, id) < 0, $"{id} sorts before {first}"));
        // 74 random bits per id: 200 ids of the same few milliseconds must all differ in them.
        Assert.Equal(later.Count, later.Select(id => id[^20..]).Distinct().Count());
    }

    [Fact]
    public void Code_is_six_ascii_digits()
    {
        for (var i = 0; i < 1000; i++)
        {
            var code = Secrets.NewCode();
            Assert.Matches("^[0-9]{6}$", code);
        }
    }

    [Fact]
    public void Codes_vary_and_keep_leading_zeros()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => Secrets.NewCode()).ToList();
        Assert.True(codes.Distinct().Count() > 1900, "codes repeat far more than chance");
        // About 10% of uniform 6-digit codes start with 0; with 2000 draws, none at all would be a formatting bug.
        Assert.Contains(codes, c => c[0] == '0');
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Code_length_follows_the_digits_argument(int digits)
    {
        Assert.Matches($"^[0-9]{{{digits}}}$", Secrets.NewCode(digits));
    }
}
