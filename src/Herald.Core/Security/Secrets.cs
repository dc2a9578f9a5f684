using System.Security.Cryptography;
using System.Text;

namespace Herald.Core.Security;

/// <summary>
/// Bearer secrets (API keys, operator and device tokens): 256 random bits behind a readable prefix, stored as
/// SHA-256. A slow hash buys nothing for secrets with that much entropy, and a fast one keeps auth cheap.
/// </summary>
public static class Secrets
{
    public static string NewToken(string prefix) =>
        prefix + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>
    /// An id that sorts by creation time: a UUIDv7 (48 bits of Unix milliseconds, then 74 random bits) in 32 hex
    /// digits, so rows inserted by id land at the end of their index instead of anywhere in it. The random bits come
    /// from <see cref="RandomPool"/>: .NET's <see cref="Guid.CreateVersion7()"/> reads the kernel's random device on
    /// every call (two system calls, and a message takes three ids).
    /// </summary>
    public static string NewId(string prefix)
    {
        Span<byte> uuid = stackalloc byte[16];
        RandomPool.Fill(uuid[6..]);
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--, ms >>= 8)
            uuid[i] = (byte)ms;
        uuid[6] = (byte)(0x70 | (uuid[6] & 0x0F)); // version 7
        uuid[8] = (byte)(0x80 | (uuid[8] & 0x3F)); // RFC 9562 variant
        return string.Concat(prefix, "_", Convert.ToHexStringLower(uuid));
    }

    /// <summary>A numeric one-time code, uniform over its range.</summary>
    public static string NewCode(int digits = 6) =>
        RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, digits)).ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
