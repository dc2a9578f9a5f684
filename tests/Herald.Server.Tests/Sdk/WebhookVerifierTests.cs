using System.Text;
using Herald.Client;
using Herald.Core.Callbacks;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Sdk;

/// <summary>The SDK's verifier accepts what the server really signs, and nothing stale, altered or signed with another secret.</summary>
public sealed class WebhookVerifierTests
{
    private const string Secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private const string Id = "wh_0193a0b1c2d3";
    private static readonly byte[] s_body = Encoding.UTF8.GetBytes("""{"events":[{"event_id":"evt_1","type":"delivered","message_id":"msg_1","to":"+447700900123","timestamp":"2026-11-25T07:27:11.266Z","tracking_data":"order-42"}]}""");

    [Fact]
    public async Task Callbacks_from_a_real_server_verify_and_their_events_read()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var id = await business.SendOk(new { to = "+447700900999", category = "transactional", text = "hi", tracking_data = "order-7" });
        await host.Receiver.WaitForEvents(e => e.Count >= 1);
        var post = host.Receiver.Posts.First(p => p.Answered == 200);
        var verifier = new WebhookVerifier(business.WebhookSecret!);

        Assert.Equal(WebhookCheck.Valid, verifier.Check(post.WebhookId, post.Timestamp, post.Signature, post.Body));
        var events = verifier.ReadEvents(post.WebhookId, post.Timestamp, post.Signature, post.Body);
        var failed = Assert.Single(events);
        Assert.Equal(("failed", id, "not_registered", "order-7"), (failed.Type, failed.MessageId, failed.Reason, failed.TrackingData));
        Assert.Equal(WebhookCheck.Mismatch, new WebhookVerifier(WebhookSignature.NewSecret()).Check(post.WebhookId, post.Timestamp, post.Signature, post.Body));
    }

    [Fact]
    public void The_sdk_signs_exactly_as_the_server_does()
    {
        Assert.Equal(WebhookSignature.Sign(Secret, Id, 1_764_055_631, s_body), WebhookVerifier.Sign(Secret, Id, 1_764_055_631, s_body));
    }

    [Fact]
    public void A_signature_older_or_newer_than_the_tolerance_is_stale_and_one_within_it_is_valid()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_055_631));
        var verifier = new WebhookVerifier(Secret, TimeSpan.FromMinutes(5), time);
        var ts = time.GetUtcNow().ToUnixTimeSeconds();
        var header = WebhookVerifier.Sign(Secret, Id, ts, s_body);

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(WebhookCheck.Valid, verifier.Check(Id, $"{ts}", header, s_body));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(WebhookCheck.Stale, verifier.Check(Id, $"{ts}", header, s_body));
        var later = time.GetUtcNow().AddMinutes(6).ToUnixTimeSeconds();
        Assert.Equal(WebhookCheck.Stale, verifier.Check(Id, $"{later}", WebhookVerifier.Sign(Secret, Id, later, s_body), s_body));
        var error = Assert.Throws<WebhookSignatureException>(() => verifier.ReadEvents(Id, $"{ts}", header, s_body));
        Assert.Equal(WebhookCheck.Stale, error.Check);
    }

    [Theory]
    [InlineData(null, "1764055631", "v1,AAAA", WebhookCheck.Missing)]
    [InlineData(Id, "", "v1,AAAA", WebhookCheck.Missing)]
    [InlineData(Id, "1764055631", null, WebhookCheck.Missing)]
    [InlineData(Id, "notanumber", "v1,AAAA", WebhookCheck.Malformed)]
    [InlineData(Id, "1764055631", "v1=abc", WebhookCheck.Malformed)]       // the old Herald-Signature shape
    [InlineData(Id, "1764055631", "v2,AAAA v1,*", WebhookCheck.Malformed)]
    [InlineData(Id, "1764055631", "v1,AAAA", WebhookCheck.Mismatch)]
    public void Missing_and_malformed_headers_are_refused(string? id, string? timestamp, string? signature, WebhookCheck expected)
    {
        var verifier = new WebhookVerifier(Secret, time: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_055_631)));
        Assert.Equal(expected, verifier.Check(id, timestamp, signature, s_body));
        Assert.False(verifier.IsValid(id, timestamp, signature, s_body));
    }

    [Theory]
    [InlineData("whsec_not-base64!")]
    [InlineData("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")] // base64url, unpadded: not the standard
    public void A_secret_that_is_not_standard_base64_is_refused_at_once(string secret)
    {
        Assert.Throws<ArgumentException>(() => new WebhookVerifier(secret));
    }

    [Fact]
    public void A_changed_body_id_or_secret_does_not_verify_and_any_matching_v1_does()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_055_631));
        var verifier = new WebhookVerifier(Secret, time: time);
        var header = WebhookVerifier.Sign(Secret, Id, 1_764_055_631, s_body);

        // Known answer, computed with openssl and python (see Herald.Core.Tests' WebhookSignatureTests for the commands).
        Assert.Equal("v1,Wgxss5nRzjkjgnvvKv05If5P4C4Fn4nWtu5iq3eNJ88=",
            WebhookVerifier.Sign(Secret, Id, 1_732_500_000, Encoding.UTF8.GetBytes("{\"events\":[{\"event_id\":\"evt_1\",\"type\":\"delivered\",\"text\":\"caf\u00e9 \ud83c\udf89\"}]}")));
        Assert.Equal(WebhookCheck.Mismatch, verifier.Check(Id, "1764055631", header, [.. s_body, (byte)' ']));
        Assert.Equal(WebhookCheck.Mismatch, verifier.Check(Id + "x", "1764055631", header, s_body));
        Assert.Equal(WebhookCheck.Mismatch, new WebhookVerifier(WebhookSignature.NewSecret(), time: time).Check(Id, "1764055631", header, s_body));
        var rotated = $"v1,{Convert.ToBase64String(new byte[32])} {header}";
        Assert.Equal(WebhookCheck.Valid, verifier.Check(Id, "1764055631", rotated, s_body));
    }
}
