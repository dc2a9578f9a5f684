using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Herald.Server.Tests.Push;

/// <summary>
/// A browser's side of a push subscription: its ECDH P-256 key pair and 16-byte auth secret, made by the test, and
/// the RFC 8291 decryption of an aes128gcm body (RFC 8188), written here from the RFCs with
/// System.Security.Cryptography alone, independent of the library the server encrypts with.
/// </summary>
public sealed class PushSubscriber : IDisposable
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public PushSubscriber()
    {
        var q = _key.ExportParameters(false).Q;
        PublicKey = [0x04, .. q.X!, .. q.Y!];
    }

    /// <summary>The uncompressed point, 65 bytes (the subscription's <c>keys.p256dh</c>).</summary>
    public byte[] PublicKey { get; }
    public byte[] AuthSecret { get; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>The JSON a browser's <c>PushSubscription.toJSON()</c> gives, for PUT /consumer/v1/push/subscription.</summary>
    public object Json(Uri endpoint) => new Dictionary<string, object?>
    {
        ["endpoint"] = endpoint.ToString(),
        ["expirationTime"] = null,
        ["keys"] = new Dictionary<string, string> { ["p256dh"] = WebEncoders.Base64UrlEncode(PublicKey), ["auth"] = WebEncoders.Base64UrlEncode(AuthSecret) },
    };

    /// <summary>Decrypts one aes128gcm push body; throws when anything does not check out.</summary>
    public string Decrypt(byte[] body)
    {
        // Header (RFC 8188 §2.1): salt(16) | rs(4, big-endian) | idlen(1) | keyid(idlen) = the sender's public key.
        var salt = body.AsSpan(0, 16).ToArray();
        var recordSize = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        var idLength = body[20];
        if (idLength != 65)
            throw new CryptographicException($"keyid must be the sender's 65-byte public key, not {idLength} bytes");
        var senderPublic = body.AsSpan(21, 65).ToArray();
        var ciphertext = body.AsSpan(21 + idLength).ToArray();
        if (ciphertext.Length > recordSize)
            throw new CryptographicException("more than one record: longer than a push service takes");

        // RFC 8291 §3.3-3.4: ecdh_secret, then IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" 0x00 ua_public as_public, 32).
        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..65] },
        });
        var ecdhSecret = _key.DeriveRawSecretAgreement(sender.PublicKey);
        byte[] keyInfo = [.. Encoding.ASCII.GetBytes("WebPush: info"), 0, .. PublicKey, .. senderPublic];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, AuthSecret, keyInfo);

        // RFC 8188 §2.2-2.3: CEK and nonce from HKDF(salt, IKM); one record, so the sequence number is 0.
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var cek = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, [.. Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm"), 0]);
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, [.. Encoding.ASCII.GetBytes("Content-Encoding: nonce"), 0]);
        var plaintext = new byte[ciphertext.Length - 16];
        using (var aes = new AesGcm(cek, 16))
            aes.Decrypt(nonce, ciphertext.AsSpan(0, plaintext.Length), ciphertext.AsSpan(plaintext.Length), plaintext);

        // Padding: the last record ends with a 0x02 delimiter followed by zero or more 0x00.
        var end = plaintext.Length - 1;
        while (end >= 0 && plaintext[end] == 0)
            end--;
        if (end < 0 || plaintext[end] != 2)
            throw new CryptographicException("the last record's padding delimiter (0x02) is missing");
        return Encoding.UTF8.GetString(plaintext, 0, end);
    }

    public void Dispose() => _key.Dispose();
}
