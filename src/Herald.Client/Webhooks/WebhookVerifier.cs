using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Herald.Client.Http;

namespace Herald.Client;

/// <summary>The outcome of checking a callback's Standard Webhooks headers.</summary>
public enum WebhookCheck
{
    /// <summary>Signed with the secret, within the tolerance.</summary>
    Valid,

    /// <summary>A header is missing: <c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c>.</summary>
    Missing,

    /// <summary>The timestamp is not unix seconds, or no signature is <c>v1,&lt;base64&gt;</c>.</summary>
    Malformed,

    /// <summary>The timestamp is further from now than the tolerance: a replay, or a badly wrong clock.</summary>
    Stale,

    /// <summary>No <c>v1</c> signature matches this id, timestamp, body and secret.</summary>
    Mismatch,
}

/// <summary>
/// Checks the callbacks Herald POSTs to a business's webhook, as the Standard Webhooks specification
/// (standardwebhooks.com) signs them: <c>webhook-signature: v1,&lt;base64 HMAC-SHA256(key, "&lt;webhook-id&gt;.&lt;webhook-timestamp&gt;.&lt;raw body&gt;")&gt;</c>,
/// the key being the base64 after <c>whsec_</c> in the secret. During a secret rotation the header carries a signature
/// per secret, space-separated; any one that matches is enough. Verify the raw bytes as received, before any JSON
/// parsing; de-duplicate POSTs by <c>webhook-id</c> (a retry keeps it) and events by <c>event_id</c>.
/// </summary>
public sealed class WebhookVerifier
{
    /// <summary>The POST's id: the same on each of its retries.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>When this attempt was signed, in unix seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The signatures, space-separated.</summary>
    public const string SignatureHeader = "webhook-signature";

    private const string SecretPrefix = "whsec_";

    /// <summary>The tolerance when none is given.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private readonly byte[] _key;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;

    /// <param name="secret">the <c>whsec_…</c> secret from <see cref="HeraldClient.SetWebhookAsync"/> or a rotation</param>
    /// <param name="tolerance">how far the signature's time may be from now (default five minutes)</param>
    /// <param name="time">the clock to compare with (default the system's)</param>
    /// <exception cref="ArgumentException">the secret is not <c>whsec_</c> followed by standard base64</exception>
    public WebhookVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _key = Key(secret);
        _tolerance = tolerance ?? DefaultTolerance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Checks the three headers against the raw body, in constant time.</summary>
    public WebhookCheck Check(string? webhookId, string? webhookTimestamp, string? webhookSignature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(webhookTimestamp) || string.IsNullOrEmpty(webhookSignature))
            return WebhookCheck.Missing;
        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
            return WebhookCheck.Malformed;
        var signatures = new List<byte[]>();
        foreach (var part in webhookSignature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split(',', 2);
            var mac = pair.Length == 2 && pair[0] == "v1" ? new byte[pair[1].Length] : null;
            if (mac is not null && Convert.TryFromBase64String(pair[1], mac, out var written))
                signatures.Add(mac[..written]);
        }
        if (signatures.Count == 0)
            return WebhookCheck.Malformed;
        if (Math.Abs(_time.GetUtcNow().ToUnixTimeSeconds() - timestamp) > _tolerance.TotalSeconds)
            return WebhookCheck.Stale;
        var expected = Mac(_key, webhookId, timestamp, body);
        var match = false;
        foreach (var signature in signatures)
            match |= CryptographicOperations.FixedTimeEquals(expected, signature); // every one compared: no early exit
        return match ? WebhookCheck.Valid : WebhookCheck.Mismatch;
    }

    /// <summary>True when <see cref="Check"/> says <see cref="WebhookCheck.Valid"/>.</summary>
    public bool IsValid(string? webhookId, string? webhookTimestamp, string? webhookSignature, ReadOnlySpan<byte> body) =>
        Check(webhookId, webhookTimestamp, webhookSignature, body) == WebhookCheck.Valid;

    /// <summary>Checks the signature, then reads the events.</summary>
    /// <exception cref="WebhookSignatureException">a header is missing, or the signature is malformed, stale or wrong</exception>
    public IReadOnlyList<WebhookEvent> ReadEvents(string? webhookId, string? webhookTimestamp, string? webhookSignature, ReadOnlySpan<byte> body)
    {
        var check = Check(webhookId, webhookTimestamp, webhookSignature, body);
        if (check != WebhookCheck.Valid)
            throw new WebhookSignatureException(check);
        return JsonSerializer.Deserialize(body, ClientJson.Default.WebhookPayload)?.Events ?? [];
    }

    /// <summary>The <c>webhook-signature</c> Herald would send for this POST: for testing your own receiver.</summary>
    /// <exception cref="ArgumentException">the secret is not <c>whsec_</c> followed by standard base64</exception>
    public static string Sign(string secret, string webhookId, long unixSeconds, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(Mac(Key(secret), webhookId, unixSeconds, body));

    private static byte[] Key(string secret)
    {
        var text = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var key = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, key, out var written) || written == 0)
            throw new ArgumentException("A webhook secret is whsec_ followed by standard base64.", nameof(secret));
        return key[..written];
    }

    private static byte[] Mac(byte[] key, string webhookId, long unixSeconds, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(webhookId + "." + unixSeconds.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}

/// <summary>A callback whose signature did not check out; do not act on it.</summary>
public sealed class WebhookSignatureException(WebhookCheck check)
    : Exception($"The webhook signature is not valid: {check}.")
{
    /// <summary>What was wrong.</summary>
    public WebhookCheck Check { get; } = check;
}
