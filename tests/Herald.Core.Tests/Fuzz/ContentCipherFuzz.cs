using System.Security.Cryptography;
using CsCheck;
using Herald.Core.Privacy;
using Herald.Fuzzing;

namespace Herald.Core.Tests.Fuzz;

public class ContentCipherFuzz
{
    private static readonly ContentCipher s_cipher = new(RandomNumberGenerator.GetBytes(32));
    private static readonly Gen<string> s_rowId = Gen.Char.AlphaNumeric.Array[1, 30].Select(c => "msg_" + new string(c));

    [Fact]
    public void Sealed_content_opens_to_the_same_bytes_and_never_shows_them() =>
        Gen.Select(Gen.Byte.Array[0, 4096], s_rowId).Fuzz(t =>
        {
            var (plain, rowId) = t;
            var sealedBytes = s_cipher.Encrypt(plain, rowId);
            Assert.Equal(plain.Length + 28, sealedBytes.Length);
            Assert.Equal(plain, s_cipher.Decrypt(sealedBytes, rowId));
            Assert.NotEqual(sealedBytes, s_cipher.Encrypt(plain, rowId)); // a fresh nonce each time
            if (plain.Length >= 8)
                Assert.True(sealedBytes.AsSpan().IndexOf(plain) < 0);
        }, 2_000);

    [Fact]
    public void Any_flipped_bit_cut_or_other_row_fails_to_open() =>
        Gen.Select(Gen.Byte.Array[0, 512], s_rowId, Gen.Int[0, 2], Gen.Int, Gen.Int[0, 7]).Fuzz(t =>
        {
            var (plain, rowId, change, where, bit) = t;
            var sealedBytes = s_cipher.Encrypt(plain, rowId);
            var at = (int)((uint)where % (uint)sealedBytes.Length);
            var openAs = rowId;
            switch (change)
            {
                case 0:
                    sealedBytes[at] ^= (byte)(1 << bit);
                    break;
                case 1:
                    sealedBytes = sealedBytes[..at];
                    break;
                default:
                    openAs = rowId + "x";
                    break;
            }
            Assert.ThrowsAny<CryptographicException>(() => s_cipher.Decrypt(sealedBytes, openAs));
        }, 3_000);

    [Fact]
    public void Arbitrary_bytes_never_open() =>
        Gen.Select(Gen.Byte.Array[0, 200], FuzzText.Any).Fuzz(t =>
            Assert.ThrowsAny<CryptographicException>(() => s_cipher.Decrypt(t.Item1, t.Item2)), 2_000);
}
