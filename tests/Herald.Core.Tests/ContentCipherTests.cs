using System.Security.Cryptography;
using System.Text;
using Herald.Core.Privacy;

namespace Herald.Core.Tests;

public class ContentCipherTests
{
    private const int Overhead = 12 + 16; // nonce + tag
    private static readonly byte[] s_key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] s_plaintext = Encoding.UTF8.GetBytes("{\"text\":\"Your code is 123456 \u2014 caf\u00e9 \ud83c\udf89\"}");
    private const string RowId = "msg_0193a1b2c3d4e5f6";

    private static ContentCipher Cipher() => new(s_key.ToArray());

    [Fact]
    public void Round_trip_returns_the_plaintext()
    {
        var cipher = Cipher();
        var sealedBytes = cipher.Encrypt(s_plaintext, RowId);
        Assert.Equal(s_plaintext, cipher.Decrypt(sealedBytes, RowId));
    }

    [Fact]
    public void Round_trip_works_with_a_second_instance_holding_the_same_key()
    {
        var sealedBytes = Cipher().Encrypt(s_plaintext, RowId);
        Assert.Equal(s_plaintext, Cipher().Decrypt(sealedBytes, RowId));
    }

    [Fact]
    public void Round_trip_of_empty_and_large_content()
    {
        var cipher = Cipher();
        Assert.Empty(cipher.Decrypt(cipher.Encrypt([], RowId), RowId));

        var large = RandomNumberGenerator.GetBytes(100_000);
        Assert.Equal(large, cipher.Decrypt(cipher.Encrypt(large, RowId), RowId));
    }

    [Fact]
    public void Output_is_nonce_tag_and_ciphertext_of_the_same_length()
    {
        var sealedBytes = Cipher().Encrypt(s_plaintext, RowId);
        Assert.Equal(Overhead + s_plaintext.Length, sealedBytes.Length);
    }

    [Fact]
    public void Ciphertext_does_not_contain_the_plaintext()
    {
        var sealedBytes = Cipher().Encrypt(s_plaintext, RowId);
        Assert.Equal(-1, sealedBytes.AsSpan().IndexOf(s_plaintext));
        // Not even a recognisable fragment of it.
        Assert.Equal(-1, sealedBytes.AsSpan().IndexOf("123456"u8));
        Assert.Equal(-1, sealedBytes.AsSpan().IndexOf("code"u8));
        Assert.NotEqual(s_plaintext, sealedBytes.AsSpan(Overhead).ToArray());
    }

    [Fact]
    public void Two_encryptions_of_the_same_text_differ()
    {
        var cipher = Cipher();
        var a = cipher.Encrypt(s_plaintext, RowId);
        var b = cipher.Encrypt(s_plaintext, RowId);
        Assert.NotEqual(a, b);
        Assert.NotEqual(a.AsSpan(0, 12).ToArray(), b.AsSpan(0, 12).ToArray()); // fresh nonce each time
        Assert.Equal(s_plaintext, cipher.Decrypt(a, RowId));
        Assert.Equal(s_plaintext, cipher.Decrypt(b, RowId));
    }

    [Fact]
    public void Nonces_do_not_repeat_over_many_encryptions()
    {
        var cipher = Cipher();
        var nonces = Enumerable.Range(0, 1000).Select(_ => Convert.ToHexString(cipher.Encrypt("x"u8, RowId).AsSpan(0, 12))).ToHashSet();
        Assert.Equal(1000, nonces.Count);
    }

    [Theory]
    [InlineData(0)]   // nonce
    [InlineData(11)]  // nonce, last byte
    [InlineData(12)]  // tag
    [InlineData(27)]  // tag, last byte
    [InlineData(28)]  // ciphertext
    [InlineData(-1)]  // ciphertext, last byte
    public void A_tampered_byte_fails_to_decrypt(int index)
    {
        var cipher = Cipher();
        var sealedBytes = cipher.Encrypt(s_plaintext, RowId);
        sealedBytes[index < 0 ? sealedBytes.Length + index : index] ^= 0x01;
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(sealedBytes, RowId));
    }

    [Fact]
    public void A_truncated_or_extended_ciphertext_fails_to_decrypt()
    {
        var cipher = Cipher();
        var sealedBytes = cipher.Encrypt(s_plaintext, RowId);
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(sealedBytes.AsSpan(0, sealedBytes.Length - 1), RowId));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt([.. sealedBytes, 0], RowId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(27)]
    public void Input_shorter_than_nonce_and_tag_fails_to_decrypt(int length)
    {
        Assert.ThrowsAny<CryptographicException>(() => Cipher().Decrypt(new byte[length], RowId));
    }

    [Fact]
    public void Ciphertext_copied_to_another_row_fails_to_decrypt()
    {
        var cipher = Cipher();
        var sealedBytes = cipher.Encrypt(s_plaintext, RowId);
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(sealedBytes, "msg_other"));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(sealedBytes, RowId + " "));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(sealedBytes, ""));
    }

    [Fact]
    public void Another_key_fails_to_decrypt()
    {
        var sealedBytes = Cipher().Encrypt(s_plaintext, RowId);
        var otherKey = s_key.ToArray();
        otherKey[0] ^= 0x80;
        Assert.ThrowsAny<CryptographicException>(() => new ContentCipher(otherKey).Decrypt(sealedBytes, RowId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Key_that_is_not_32_bytes_is_refused(int length)
    {
        var exception = Assert.Throws<ArgumentException>(() => new ContentCipher(new byte[length]));
        Assert.Equal("key", exception.ParamName);
    }

    [Fact]
    public void Output_is_valid_AES_256_GCM_with_the_row_id_as_associated_data()
    {
        // Decrypt with the platform's AesGcm directly, following the documented layout: nonce | tag | ciphertext.
        var sealedBytes = Cipher().Encrypt(s_plaintext, RowId);
        var plaintext = new byte[sealedBytes.Length - Overhead];
        using var aes = new AesGcm(s_key, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(Overhead), sealedBytes.AsSpan(12, 16), plaintext, Encoding.UTF8.GetBytes(RowId));
        Assert.Equal(s_plaintext, plaintext);
    }
}
