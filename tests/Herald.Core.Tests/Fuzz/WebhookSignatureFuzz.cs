using System.Globalization;
using CsCheck;
using Herald.Core.Callbacks;
using Herald.Fuzzing;

namespace Herald.Core.Tests.Fuzz;

public class WebhookSignatureFuzz
{
    private static readonly DateTimeOffset s_now = DateTimeOffset.FromUnixTimeSeconds(1_732_500_000);
    private static readonly TimeSpan s_tolerance = TimeSpan.FromMinutes(5);
    private static readonly Gen<string> s_secret = Gen.Byte.Array[1, 64].Select(k => "whsec_" + Convert.ToBase64String(k));
    private static readonly Gen<string> s_anySecret = Gen.Frequency((3, s_secret), (1, FuzzText.Any));
    private static readonly Gen<string> s_id = Gen.Frequency((3, Gen.Char['!', '~'].Array[1, 40].Select(c => new string(c))), (1, FuzzText.Any.Where(t => t.Length > 0)));
    private static readonly Gen<long> s_fresh = Gen.Long[-300, 300].Select(d => s_now.ToUnixTimeSeconds() + d);

    /// <summary>Signature headers as an attacker or a broken proxy might send them: real parts, odd parts, garbage.</summary>
    private static readonly Gen<string> s_signatures = Gen.Frequency(
        (2, FuzzText.Any),
        (3, Gen.OneOf("v1,", "v1,AAAA", "v1," + new string('A', 43) + "=", "v1,=", "v2,abc", ",", " ", "v1", "v1,\uD800", "v1,,",
            "v1,Wgxss5nRzjkjgnvvKv05If5P4C4Fn4nWtu5iq3eNJ88=").Array[0, 6].Select(p => string.Join(' ', p))));

    [Fact]
    public void Any_header_is_refused_without_throwing() =>
        Gen.Select(s_anySecret, s_id, Gen.OneOf(FuzzText.AnyOrNull, Gen.Const((string?)"1732500000")), FuzzText.AnyOrNull.SelectMany(h => h is null ? Gen.Const(h) : s_signatures.Select(x => (string?)x)), Gen.Byte.Array[0, 64])
            .Fuzz(t => Assert.False(WebhookSignature.Verify(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, s_now, s_tolerance)), 5_000);

    [Fact]
    public void A_signature_made_within_the_tolerance_verifies_also_among_others() =>
        Gen.Select(s_secret, s_id, Gen.Byte.Array[0, 512], s_fresh, s_secret).Fuzz(t =>
        {
            var (secret, id, body, timestamp, other) = t;
            var ts = timestamp.ToString(CultureInfo.InvariantCulture);
            var header = WebhookSignature.Sign(secret, id, timestamp, body);
            Assert.Matches(@"^v1,[A-Za-z0-9+/]{43}=\z", header);
            Assert.True(WebhookSignature.Verify(secret, id, ts, header, body, s_now, s_tolerance));
            var rotated = WebhookSignature.Header([other, secret], id, timestamp, body);
            Assert.True(WebhookSignature.Verify(secret, id, ts, rotated, body, s_now, s_tolerance));
            Assert.True(WebhookSignature.Verify(other, id, ts, rotated, body, s_now, s_tolerance));
        }, 3_000);

    [Fact]
    public void Any_change_to_body_secret_id_signature_or_time_is_refused() =>
        Gen.Select(s_secret, s_id, Gen.Byte.Array[1, 512], s_fresh, Gen.Int[0, 4], Gen.Int, Gen.Int[1, 255]).Fuzz(t =>
        {
            var (secret, id, body, timestamp, change, where, delta) = t;
            var header = WebhookSignature.Sign(secret, id, timestamp, body);
            var at = (int)((uint)where % (uint)body.Length);
            switch (change)
            {
                case 0:
                    body[at] ^= (byte)delta;
                    break;
                case 1: // another key: one of its bytes changed
                    WebhookSignature.TryKey(secret, out var key);
                    key[(int)((uint)where % (uint)key.Length)] ^= (byte)delta;
                    secret = "whsec_" + Convert.ToBase64String(key);
                    break;
                case 2: // one byte of the signature changed
                    var mac = Convert.FromBase64String(header[3..]);
                    mac[(int)((uint)where % 32)] ^= (byte)delta;
                    header = "v1," + Convert.ToBase64String(mac);
                    break;
                case 3:
                    id += (char)('!' + (delta % 90));
                    break;
                default: // signed too long ago or too far ahead, re-signed properly
                    timestamp = s_now.ToUnixTimeSeconds() + (where >= 0 ? 301 + delta : -301 - delta);
                    header = WebhookSignature.Sign(secret, id, timestamp, body);
                    break;
            }
            Assert.False(WebhookSignature.Verify(secret, id, timestamp.ToString(CultureInfo.InvariantCulture), header, body, s_now, s_tolerance));
        }, 3_000);
}
