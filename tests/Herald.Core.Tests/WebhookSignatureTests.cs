using System.Security.Cryptography;
using System.Text;
using Herald.Core.Callbacks;

namespace Herald.Core.Tests;

public class WebhookSignatureTests
{
    // The key is the 32 bytes 00..1f; the expected values below were computed outside .NET (see each test).
    private const string Secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private const string Id = "wh_0193a0b1c2d3";
    private const long Timestamp = 1_732_500_000;
    private static readonly DateTimeOffset s_now = DateTimeOffset.FromUnixTimeSeconds(Timestamp);
    private static readonly TimeSpan s_tolerance = TimeSpan.FromMinutes(5);
    private static readonly byte[] s_body = Encoding.UTF8.GetBytes("{\"events\":[{\"event_id\":\"evt_1\",\"type\":\"delivered\",\"text\":\"caf\u00e9 \ud83c\udf89\"}]}");

    [Fact]
    public void Header_names_are_the_standard_webhooks_ones()
    {
        Assert.Equal(("webhook-id", "webhook-timestamp", "webhook-signature"),
            (WebhookSignature.IdHeader, WebhookSignature.TimestampHeader, WebhookSignature.SignatureHeader));
    }

    [Fact]
    public void Known_answer_computed_with_openssl_and_python()
    {
        // printf 'wh_0193a0b1c2d3.1732500000.<body>' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1f -binary | base64
        // and python3: base64.b64encode(hmac.new(bytes(range(32)), b"wh_0193a0b1c2d3.1732500000." + body, sha256).digest())
        Assert.Equal("v1,Wgxss5nRzjkjgnvvKv05If5P4C4Fn4nWtu5iq3eNJ88=", WebhookSignature.Sign(Secret, Id, Timestamp, s_body));
    }

    [Fact]
    public void Known_answer_of_the_standard_webhooks_specification_example()
    {
        // The example in github.com/standard-webhooks/standard-webhooks (spec and reference libraries), also recomputed with python3.
        var body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body));
    }

    [Fact]
    public void A_new_secret_is_whsec_and_32_bytes_of_standard_base64()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.Matches(@"^whsec_[A-Za-z0-9+/]{43}=\z", secret);
        Assert.True(WebhookSignature.TryKey(secret, out var key));
        Assert.Equal(32, key.Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")] // base64url without padding: what Herald used to issue
    public void A_secret_that_is_not_standard_base64_has_no_key(string secret)
    {
        Assert.False(WebhookSignature.TryKey(secret, out _));
        Assert.False(WebhookSignature.Verify(secret, Id, "1732500000", "v1,AAAA", s_body, s_now, s_tolerance));
    }

    [Fact]
    public void During_a_rotation_the_header_carries_both_signatures_newest_first_and_either_secret_verifies()
    {
        var old = WebhookSignature.NewSecret();
        var header = WebhookSignature.Header([Secret, old], Id, Timestamp, s_body);

        Assert.Equal($"{WebhookSignature.Sign(Secret, Id, Timestamp, s_body)} {WebhookSignature.Sign(old, Id, Timestamp, s_body)}", header);
        Assert.True(WebhookSignature.Verify(Secret, Id, "1732500000", header, s_body, s_now, s_tolerance));
        Assert.True(WebhookSignature.Verify(old, Id, "1732500000", header, s_body, s_now, s_tolerance));
        Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), Id, "1732500000", header, s_body, s_now, s_tolerance));
    }

    [Fact]
    public void A_changed_body_id_or_timestamp_does_not_verify()
    {
        var header = WebhookSignature.Sign(Secret, Id, Timestamp, s_body);
        Assert.True(WebhookSignature.Verify(Secret, Id, "1732500000", header, s_body, s_now, s_tolerance));
        Assert.False(WebhookSignature.Verify(Secret, Id, "1732500000", header, [.. s_body, (byte)' '], s_now, s_tolerance));
        Assert.False(WebhookSignature.Verify(Secret, Id + "x", "1732500000", header, s_body, s_now, s_tolerance));
        Assert.False(WebhookSignature.Verify(Secret, Id, "1732500001", header, s_body, s_now, s_tolerance));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void A_timestamp_outside_the_tolerance_is_refused_either_way(int skewSeconds)
    {
        var header = WebhookSignature.Sign(Secret, Id, Timestamp, s_body);
        Assert.False(WebhookSignature.Verify(Secret, Id, "1732500000", header, s_body, s_now.AddSeconds(skewSeconds), s_tolerance));
        Assert.True(WebhookSignature.Verify(Secret, Id, "1732500000", header, s_body, s_now.AddSeconds(skewSeconds / 2), s_tolerance));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Wgxss5nRzjkjgnvvKv05If5P4C4Fn4nWtu5iq3eNJ88=")]      // no version
    [InlineData("v2,Wgxss5nRzjkjgnvvKv05If5P4C4Fn4nWtu5iq3eNJ88=")]   // another scheme
    [InlineData("v1,Wgxss5nRzjkjgnvvKv05If5P4C4Fn4nWtu5iq3eNJ8")]     // truncated
    [InlineData("v1,Wgxss5nRzjkjgnvvKv05If5P4C4Fn4nWtu5iq3eNJ88=AA")] // extended
    [InlineData("v1,*")]
    [InlineData("v1,Wgxss5nRzjkjgnvvKv05If5P4C4Fn4nWtu5iq3eNJ88=,x")]
    public void Malformed_or_foreign_signatures_are_refused(string? signatures)
    {
        Assert.False(WebhookSignature.Verify(Secret, Id, "1732500000", signatures, s_body, s_now, s_tolerance));
    }

    [Theory]
    [InlineData(null, "1732500000")]
    [InlineData("", "1732500000")]
    [InlineData(Id, null)]
    [InlineData(Id, "")]
    [InlineData(Id, "-1732500000")]
    [InlineData(Id, " 1732500000")]
    [InlineData(Id, "1732500000.0")]
    public void A_missing_id_or_malformed_timestamp_is_refused(string? id, string? timestamp)
    {
        var header = WebhookSignature.Sign(Secret, Id, Timestamp, s_body);
        Assert.False(WebhookSignature.Verify(Secret, id, timestamp, header, s_body, s_now, s_tolerance));
    }

    [Fact]
    public void A_signature_with_the_right_bytes_among_others_verifies()
    {
        var good = WebhookSignature.Sign(Secret, Id, Timestamp, s_body);
        var other = "v1," + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Assert.True(WebhookSignature.Verify(Secret, Id, "1732500000", $"v2,abc {other}  {good}", s_body, s_now, s_tolerance));
    }
}
