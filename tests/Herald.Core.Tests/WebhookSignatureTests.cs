using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Herald.Core.Callbacks;

namespace Herald.Core.Tests;

public class WebhookSignatureTests
{
    private const string Secret = "whsec_test_0123456789";
    private const long Timestamp = 1_732_500_000;
    private static readonly DateTimeOffset s_now = DateTimeOffset.FromUnixTimeSeconds(Timestamp);
    private static readonly TimeSpan s_tolerance = TimeSpan.FromMinutes(5);
    private static readonly byte[] s_body = Encoding.UTF8.GetBytes("{\"events\":[{\"event_id\":\"evt_1\",\"type\":\"delivered\",\"text\":\"caf\u00e9 \ud83c\udf89\"}]}");

    /// <summary>The spec's formula, computed here without the code under test.</summary>
    private static string ExpectedHex(string secret, long t, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes(t.ToString(CultureInfo.InvariantCulture) + ".").Concat(body).ToArray();
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return string.Concat(hmac.ComputeHash(signed).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Header_name_matches_the_spec()
    {
        Assert.Equal("Herald-Signature", WebhookSignature.HeaderName);
    }

    [Fact]
    public void Create_matches_an_independently_computed_HMAC()
    {
        var header = WebhookSignature.Create(Secret, Timestamp, s_body);
        Assert.Equal($"t={Timestamp},v1={ExpectedHex(Secret, Timestamp, s_body)}", header);
    }

    [Fact]
    public void Create_matches_a_known_vector()
    {
        // HMAC-SHA256(key="secret", "1.{}") computed independently (Python hmac module).
        var header = WebhookSignature.Create("secret", 1, "{}"u8);
        Assert.Equal("t=1,v1=1122767b193110cfec322b6f199b599edbf608ed087f2d27afb0b97d99523908", header);
    }

    [Fact]
    public void Create_over_an_empty_body_signs_the_timestamp_and_dot()
    {
        var header = WebhookSignature.Create(Secret, Timestamp, []);
        Assert.Equal($"t={Timestamp},v1={ExpectedHex(Secret, Timestamp, [])}", header);
    }

    [Fact]
    public void Different_bodies_timestamps_and_secrets_give_different_signatures()
    {
        var a = WebhookSignature.Create(Secret, Timestamp, s_body);
        Assert.NotEqual(a, WebhookSignature.Create(Secret, Timestamp, [.. s_body, (byte)' ']));
        Assert.NotEqual(a.Split(',')[1], WebhookSignature.Create(Secret, Timestamp + 1, s_body).Split(',')[1]);
        Assert.NotEqual(a, WebhookSignature.Create(Secret + "x", Timestamp, s_body));
    }

    [Fact]
    public void Verify_accepts_a_valid_signature()
    {
        var header = WebhookSignature.Create(Secret, Timestamp, s_body);
        Assert.True(WebhookSignature.Verify(Secret, header, s_body, s_now, s_tolerance));
    }

    [Fact]
    public void Verify_accepts_an_independently_built_header()
    {
        var header = $"t={Timestamp},v1={ExpectedHex(Secret, Timestamp, s_body)}";
        Assert.True(WebhookSignature.Verify(Secret, header, s_body, s_now, s_tolerance));
    }

    [Fact]
    public void Verify_accepts_when_any_of_several_v1_signatures_matches()
    {
        var good = ExpectedHex(Secret, Timestamp, s_body);
        var other = ExpectedHex("old-secret", Timestamp, s_body);
        Assert.True(WebhookSignature.Verify(Secret, $"t={Timestamp},v1={other},v1={good}", s_body, s_now, s_tolerance));
    }

    [Fact]
    public void Verify_refuses_a_tampered_body()
    {
        var header = WebhookSignature.Create(Secret, Timestamp, s_body);
        var tampered = s_body.ToArray();
        tampered[10] ^= 0x01;
        Assert.False(WebhookSignature.Verify(Secret, header, tampered, s_now, s_tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header, [.. s_body, (byte)'\n'], s_now, s_tolerance));
    }

    [Fact]
    public void Verify_refuses_a_wrong_secret()
    {
        var header = WebhookSignature.Create(Secret, Timestamp, s_body);
        Assert.False(WebhookSignature.Verify("another-secret", header, s_body, s_now, s_tolerance));
    }

    [Fact]
    public void Verify_refuses_a_changed_timestamp_with_the_old_signature()
    {
        var header = WebhookSignature.Create(Secret, Timestamp, s_body);
        var replayed = header.Replace($"t={Timestamp}", $"t={Timestamp + 1}", StringComparison.Ordinal);
        Assert.False(WebhookSignature.Verify(Secret, replayed, s_body, s_now, s_tolerance));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    [InlineData(86_400)]
    public void Verify_refuses_a_timestamp_outside_the_tolerance(int skewSeconds)
    {
        var header = WebhookSignature.Create(Secret, Timestamp, s_body);
        Assert.False(WebhookSignature.Verify(Secret, header, s_body, s_now.AddSeconds(skewSeconds), s_tolerance));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(300)]
    public void Verify_accepts_a_timestamp_inside_the_tolerance(int skewSeconds)
    {
        var header = WebhookSignature.Create(Secret, Timestamp, s_body);
        Assert.True(WebhookSignature.Verify(Secret, header, s_body, s_now.AddSeconds(skewSeconds), s_tolerance));
    }

    [Fact]
    public void Verify_refuses_a_missing_header()
    {
        Assert.False(WebhookSignature.Verify(Secret, null, s_body, s_now, s_tolerance));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("t=1732500000")]                      // no signature
    [InlineData("v1=00")]                             // no timestamp
    [InlineData("t=,v1=00")]
    [InlineData("t=abc,v1=00")]
    [InlineData("t=-1732500000,v1=00")]
    [InlineData("t=1732500000,v1=")]
    [InlineData("t=1732500000,v1=zz")]
    [InlineData("t=1732500000;v1=00")]
    public void Verify_refuses_a_malformed_header(string header)
    {
        Assert.False(WebhookSignature.Verify(Secret, header, s_body, s_now, s_tolerance));
    }

    [Fact]
    public void Verify_refuses_a_signature_under_another_scheme_name()
    {
        var hex = ExpectedHex(Secret, Timestamp, s_body);
        Assert.False(WebhookSignature.Verify(Secret, $"t={Timestamp},v0={hex}", s_body, s_now, s_tolerance));
    }

    [Fact]
    public void Verify_refuses_a_truncated_signature()
    {
        var hex = ExpectedHex(Secret, Timestamp, s_body);
        Assert.False(WebhookSignature.Verify(Secret, $"t={Timestamp},v1={hex[..^2]}", s_body, s_now, s_tolerance));
        Assert.False(WebhookSignature.Verify(Secret, $"t={Timestamp},v1={hex}00", s_body, s_now, s_tolerance));
    }
}
