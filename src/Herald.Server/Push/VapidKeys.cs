using System.Security.Cryptography;
using System.Text.Json;
using Herald.Server.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace Herald.Server.Push;

/// <summary>
/// The VAPID key pair (RFC 8292) that identifies this Herald to push services; browsers tie each subscription to its
/// public key, so a new pair silently orphans every subscription. Taken from the settings when both halves are given,
/// else from the key file, which is made (readable by the owner only) on first start, like content.key.
/// </summary>
public sealed record VapidKeys(string PublicKey, string PrivateKey, string Subject)
{
    public static VapidKeys Load(PushOptions options, string dataDirectory)
    {
        var subject = options.Subject is { Length: > 0 } s ? s : "mailto:postmaster@" + Environment.MachineName.ToLowerInvariant();
        if (options.PublicKey is { Length: > 0 } given && options.PrivateKey is { Length: > 0 } secret)
            return Checked(given, secret, subject, "Herald__Push__PublicKey/PrivateKey");
        var path = options.KeyFile ?? Path.Combine(dataDirectory, "vapid.json");
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"{path} is not a VAPID key file.");
            return Checked(stored.GetValueOrDefault("public_key") ?? "", stored.GetValueOrDefault("private_key") ?? "", subject, path);
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        var made = new VapidKeys(WebEncoders.Base64UrlEncode([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]), WebEncoders.Base64UrlEncode(parameters.D!), subject);
        ContentKey.WriteOwnerOnly(path, JsonSerializer.Serialize(new Dictionary<string, string> { ["public_key"] = made.PublicKey, ["private_key"] = made.PrivateKey }));
        return made;
    }

    private static VapidKeys Checked(string publicKey, string privateKey, string subject, string where)
    {
        byte[] point, d;
        try
        {
            point = WebEncoders.Base64UrlDecode(publicKey);
            d = WebEncoders.Base64UrlDecode(privateKey);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The VAPID keys in {where} must be base64url.");
        }
        if (point.Length != 65 || point[0] != 0x04 || d.Length != 32)
            throw new InvalidOperationException($"The VAPID keys in {where} must be a P-256 public key (65 bytes, uncompressed) and its 32-byte private key.");
        return new VapidKeys(publicKey, privateKey, subject);
    }
}
