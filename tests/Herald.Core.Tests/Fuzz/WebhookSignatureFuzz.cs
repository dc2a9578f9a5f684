using System.Globalization;
using CsCheck;
using Herald.Core.Callbacks;
using Herald.Fuzzing;

namespace Herald.Core.Tests.Fuzz;

public class WebhookSignatureFuzz
{
    private static readonly DateTimeOffset s_now = DateTimeOffset.FromUnixTimeSeconds(1_732_500_000);
    private static readonly TimeSpan s_tolerance = TimeSpan.FromMinutes(5);
    private static readonly Gen<string> s_secret = Gen.Frequency((3, Gen.Char['!', '~'].Array[1, 64].Select(c => "whsec_" + new string(c))), (1, FuzzText.Any));
    private static readonly Gen<long> s_fresh = Gen.Long[-300, 300].Select(d => s_now.ToUnixTimeSeconds() + d);

    /// <summary>Headers as an attacker or a broken proxy might send them: real parts, odd parts, garbage.</summary>
    private static readonly Gen<string> s_header = Gen.Frequency(
        (2, FuzzText.Any),
        (3, Gen.OneOf("t=1732500000", "t=", "t=-1", "t=99999999999999999999", "t=9223372036854775807", "t= 1732500000", "v1=", "v1=00", "v1=" + new string('a', 64),
            "v1=" + new string('A', 64), "v0=abc", "=", "t", "v1", ",", " ", "t=1732500000=1", "T=1732500000", "v1=\uD800").Array[0, 6].Select(p => string.Join(',', p))));

    [Fact]
    public void Any_header_is_refused_without_throwing() =>
        Gen.Select(s_secret, FuzzText.AnyOrNull.SelectMany(h => h is null ? Gen.Const(h) : s_header.Select(x => (string?)x)), Gen.Byte.Array[0, 64])
            .Fuzz(t => Assert.False(WebhookSignature.Verify(t.Item1, t.Item2, t.Item3, s_now, s_tolerance)), 5_000);

    [Fact]
    public void A_signature_made_within_the_tolerance_verifies_and_the_header_reads_back() =>
        Gen.Select(s_secret, Gen.Byte.Array[0, 512], s_fresh).Fuzz(t =>
        {
            var (secret, body, timestamp) = t;
            var header = WebhookSignature.Create(secret, timestamp, body);
            Assert.Matches(@"^t=[0-9]+,v1=[0-9a-f]{64}\z", header);
            Assert.Equal("t=" + timestamp.ToString(CultureInfo.InvariantCulture), header.Split(',')[0]);
            Assert.True(WebhookSignature.Verify(secret, header, body, s_now, s_tolerance));
            // Receivers may meet extra fields, spaces and a second (rotated) signature: still one valid v1.
            var v1 = header.Split(',')[1];
            Assert.True(WebhookSignature.Verify(secret, $"v1=00, v2=x, {v1} ,t = {timestamp}", body, s_now, s_tolerance));
        }, 3_000);

    [Fact]
    public void Any_change_to_body_secret_signature_or_time_is_refused() =>
        Gen.Select(s_secret, Gen.Byte.Array[1, 512], s_fresh, Gen.Int[0, 3], Gen.Int, Gen.Int[1, 255]).Fuzz(t =>
        {
            var (secret, body, timestamp, change, where, delta) = t;
            var header = WebhookSignature.Create(secret, timestamp, body);
            var at = (int)((uint)where % (uint)body.Length);
            switch (change)
            {
                case 0:
                    body[at] ^= (byte)delta;
                    break;
                case 1:
                    secret += (char)delta;
                    break;
                case 2: // one hex digit of the signature replaced by another
                    var i = header.IndexOf("v1=", StringComparison.Ordinal) + 3 + (int)((uint)where % 64);
                    var digits = "0123456789abcdef";
                    header = header[..i] + digits[(digits.IndexOf(header[i], StringComparison.Ordinal) + 1 + (delta % 15)) % 16] + header[(i + 1)..];
                    break;
                default: // signed too long ago or too far ahead, re-signed properly
                    timestamp = s_now.ToUnixTimeSeconds() + (where >= 0 ? 301 + delta : -301 - delta);
                    header = WebhookSignature.Create(secret, timestamp, body);
                    break;
            }
            Assert.False(WebhookSignature.Verify(secret, header, body, s_now, s_tolerance));
        }, 3_000);
}
