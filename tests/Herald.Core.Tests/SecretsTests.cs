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
