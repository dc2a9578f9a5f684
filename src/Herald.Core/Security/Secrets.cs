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

    public static string NewId(string prefix) => prefix + "_" + Guid.CreateVersion7().ToString("N");

    /// <summary>A numeric one-time code, uniform over its range.</summary>
    public static string NewCode(int digits = 6) =>
        RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, digits)).ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
