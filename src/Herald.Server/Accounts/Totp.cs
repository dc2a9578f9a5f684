using Herald.Core.Privacy;
using OtpNet;
using QRCoder;

namespace Herald.Server.Accounts;

/// <summary>
/// The TOTP second factor (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps, as every authenticator app does). Secrets are
/// kept encrypted with the content key, bound to the account's id.
/// </summary>
public sealed class Totp(ContentCipher cipher, TimeProvider time)
{
    public const string Issuer = "Herald";

    public byte[] NewSealedSecret(string accountId) => cipher.Encrypt(KeyGeneration.GenerateRandomKey(20), accountId);

    /// <returns>the time step of a right code (a step before or after now is accepted, for clocks a little off), or null</returns>
    public long? Verify(byte[] sealedSecret, string accountId, string? code)
    {
        if (code is null || code.Length != 6 || !code.All(char.IsAsciiDigit))
            return null;
        var totp = new OtpNet.Totp(cipher.Decrypt(sealedSecret, accountId));
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1)) ? step : null;
    }

    /// <summary>What an authenticator app scans: <c>otpauth://totp/Herald:EMAIL?secret=…&amp;issuer=Herald</c>.</summary>
    public string Uri(byte[] sealedSecret, string accountId, string email) =>
        new OtpUri(OtpType.Totp, cipher.Decrypt(sealedSecret, accountId), email, Issuer).ToString();

    /// <summary>The URI as a QR code, a PNG data: URI the Console shows as an image.</summary>
    public static string QrCode(string uri)
    {
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }
}
