using System.Security.Cryptography;
using System.Text;

namespace Herald.Core.Privacy;

/// <summary>
/// AES-256-GCM for content at rest. Layout: 12-byte nonce | 16-byte tag | ciphertext. The row's id is the
/// associated data, so a ciphertext copied onto another message's row fails to decrypt.
/// </summary>
public sealed class ContentCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    // One AesGcm per thread: setting one up costs more than sealing a short message, and an instance is not for
    // concurrent use.
    private readonly ThreadLocal<AesGcm> _aes;

    public ContentCipher(byte[] key)
    {
        if (key.Length != 32)
            throw new ArgumentException("the content key must be 32 bytes (AES-256)", nameof(key));
        var copy = key.ToArray();
        _aes = new ThreadLocal<AesGcm>(() => new AesGcm(copy, TagSize));
    }

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, string rowId)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        Security.RandomPool.Fill(nonce);
        _aes.Value!.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(rowId));
        return output;
    }

    public byte[] Decrypt(ReadOnlySpan<byte> sealedBytes, string rowId)
    {
        if (sealedBytes.Length < NonceSize + TagSize)
            throw new CryptographicException("ciphertext too short");
        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        _aes.Value!.Decrypt(sealedBytes[..NonceSize], sealedBytes[(NonceSize + TagSize)..], sealedBytes.Slice(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(rowId));
        return plaintext;
    }
}
