using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Herald.Client.Http;

namespace Herald.Client;

/// <summary>The outcome of checking a callback's <c>Herald-Signature</c>.</summary>
public enum WebhookCheck
{
    /// <summary>Signed with the secret, within the tolerance.</summary>
    Valid,

    /// <summary>No signature header.</summary>
    Missing,

    /// <summary>The header is not <c>t=…,v1=…</c>.</summary>
    Malformed,

    /// <summary>The timestamp is further from now than the tolerance: a replay, or a badly wrong clock.</summary>
    Stale,

    /// <summary>No <c>v1</c> signature matches this body and secret.</summary>
    Mismatch,
}

/// <summary>
/// Checks the callbacks Herald POSTs to a business's webhook:
/// <c>Herald-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>.
/// Verify the raw bytes as received, before any JSON parsing, and de-duplicate events by <c>event_id</c>.
/// </summary>
/// <param name="secret">the secret from <see cref="HeraldClient.SetWebhookAsync"/></param>
/// <param name="tolerance">how far the signature's time may be from now (default five minutes)</param>
/// <param name="time">the clock to compare with (default the system's)</param>
public sealed class WebhookVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? time = null)
{
    /// <summary>The header that carries the signature.</summary>
    public const string SignatureHeader = "Herald-Signature";

    /// <summary>The tolerance when none is given.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret ?? throw new ArgumentNullException(nameof(secret)));
    private readonly TimeSpan _tolerance = tolerance ?? DefaultTolerance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Checks a signature header against the raw body, in constant time.</summary>
    public WebhookCheck Check(string? signatureHeader, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signatureHeader))
            return WebhookCheck.Missing;
        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in signatureHeader.Split(','))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2)
                continue;
            if (pair[0] == "t" && long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                timestamp = t;
            else if (pair[0] == "v1")
                signatures.Add(Encoding.ASCII.GetBytes(pair[1]));
        }
        if (timestamp is not { } ts || signatures.Count == 0)
            return WebhookCheck.Malformed;
        if (Math.Abs(_time.GetUtcNow().ToUnixTimeSeconds() - ts) > _tolerance.TotalSeconds)
            return WebhookCheck.Stale;
        var expected = Encoding.ASCII.GetBytes(Mac(_key, ts, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, s)) ? WebhookCheck.Valid : WebhookCheck.Mismatch;
    }

    /// <summary>True when <see cref="Check"/> says <see cref="WebhookCheck.Valid"/>.</summary>
    public bool IsValid(string? signatureHeader, ReadOnlySpan<byte> body) => Check(signatureHeader, body) == WebhookCheck.Valid;

    /// <summary>Checks the signature, then reads the events.</summary>
    /// <exception cref="WebhookSignatureException">the signature is missing, malformed, stale or wrong</exception>
    public IReadOnlyList<WebhookEvent> ReadEvents(string? signatureHeader, ReadOnlySpan<byte> body)
    {
        var check = Check(signatureHeader, body);
        if (check != WebhookCheck.Valid)
            throw new WebhookSignatureException(check);
        return JsonSerializer.Deserialize(body, ClientJson.Default.WebhookPayload)?.Events ?? [];
    }

    /// <summary>The header Herald would send for this body at this time: for testing your own receiver.</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body) =>
        $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Mac(Encoding.UTF8.GetBytes(secret), unixSeconds, body)}";

    private static string Mac(byte[] key, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }
}

/// <summary>A callback whose signature did not check out; do not act on it.</summary>
public sealed class WebhookSignatureException(WebhookCheck check)
    : Exception($"The webhook signature is not valid: {check}.")
{
    /// <summary>What was wrong.</summary>
    public WebhookCheck Check { get; } = check;
}
