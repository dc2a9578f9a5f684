using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Herald.Core.Callbacks;

/// <summary>
/// The Standard Webhooks signature (standardwebhooks.com): headers <c>webhook-id</c>, <c>webhook-timestamp</c> (unix
/// seconds) and <c>webhook-signature: v1,&lt;base64 HMAC-SHA256(key, "&lt;id&gt;.&lt;timestamp&gt;.&lt;raw body&gt;")&gt;</c>,
/// where the key is the base64-decoded part of a secret <c>whsec_&lt;standard base64&gt;</c>. During a secret rotation
/// the header carries one signature per secret, space-separated.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    /// <summary>32 random bytes: the key length the HMAC-SHA256 block gains nothing beyond (RFC 2104 §3 wants ≥ 32).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The HMAC key of a secret: its base64 after the optional <c>whsec_</c> prefix, as the reference libraries read it.</summary>
    public static bool TryKey(string? secret, out byte[] key)
    {
        key = [];
        if (string.IsNullOrEmpty(secret))
            return false;
        var text = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written == 0)
            return false;
        key = buffer[..written];
        return true;
    }

    /// <summary>One <c>v1,&lt;base64&gt;</c> signature.</summary>
    public static string Sign(string secret, string id, long unixSeconds, ReadOnlySpan<byte> body)
    {
        if (!TryKey(secret, out var key))
            throw new ArgumentException("A webhook secret is whsec_ followed by standard base64.", nameof(secret));
        return "v1," + Convert.ToBase64String(Mac(key, id, unixSeconds, body));
    }

    /// <summary>The <c>webhook-signature</c> value: one signature per secret (the newest first), space-separated.</summary>
    public static string Header(IEnumerable<string> secrets, string id, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var signatures = new List<string>();
        foreach (var secret in secrets)
            signatures.Add(Sign(secret, id, unixSeconds, body));
        return string.Join(' ', signatures);
    }

    /// <summary>
    /// Checks the three headers in constant time: true when any <c>v1</c> signature matches and the timestamp is within
    /// <paramref name="tolerance"/> of now (either way: a replay or a badly wrong clock).
    /// </summary>
    public static bool Verify(string secret, string? id, string? timestamp, string? signatures, ReadOnlySpan<byte> body,
        DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signatures) || !TryKey(secret, out var key))
            return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
            return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds)
            return false;
        var expected = Mac(key, id, ts, body);
        var match = false;
        foreach (var signature in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = signature.Split(',', 2);
            if (parts.Length != 2 || parts[0] != "v1")
                continue;
            var given = new byte[parts[1].Length];
            if (Convert.TryFromBase64String(parts[1], given, out var written))
                match |= CryptographicOperations.FixedTimeEquals(expected, given.AsSpan(0, written)); // no early exit
        }
        return match;
    }

    private static byte[] Mac(byte[] key, string id, long unixSeconds, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(id + "." + unixSeconds.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
