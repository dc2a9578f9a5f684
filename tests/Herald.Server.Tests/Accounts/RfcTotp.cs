using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Web;

namespace Herald.Server.Tests.Accounts;

/// <summary>
/// TOTP written from RFC 6238 (and RFC 4226's dynamic truncation) for the tests, independent of the Otp.NET library
/// the server uses: HMAC-SHA1 over the 30-second step counter, 6 digits. Checked against RFC 6238's own test vectors.
/// </summary>
public static class RfcTotp
{
    public static string Code(byte[] secret, DateTimeOffset at)
    {
        var counter = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, at.ToUnixTimeSeconds() / 30);
#pragma warning disable CA5350 // RFC 6238's default, and what authenticator apps compute: HMAC-SHA1 is still sound as a MAC
        var hash = HMACSHA1.HashData(secret, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The secret of an <c>otpauth://totp/…?secret=BASE32</c> URI.</summary>
    public static byte[] SecretOf(string otpauthUri) => Base32(HttpUtility.ParseQueryString(new Uri(otpauthUri).Query)["secret"]!);

    /// <summary>RFC 4648 base32, without padding.</summary>
    public static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}

public sealed class RfcTotpTests
{
    /// <summary>RFC 6238 Appendix B, SHA-1 rows (the RFC prints 8 digits; the last 6 are the 6-digit code).</summary>
    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    [InlineData(20000000000L, "353130")]
    public void Matches_the_rfc_test_vectors(long unixSeconds, string code) =>
        Assert.Equal(code, RfcTotp.Code("12345678901234567890"u8.ToArray(), DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));
}
