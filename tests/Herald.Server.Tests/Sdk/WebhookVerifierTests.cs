using System.Text;
using Herald.Client;
using Herald.Core.Callbacks;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Sdk;

/// <summary>The SDK's verifier accepts what the server really signs, and nothing stale, altered or signed with another secret.</summary>
public sealed class WebhookVerifierTests
{
    private const string Secret = "whsec_test";
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

        Assert.Equal(WebhookCheck.Valid, verifier.Check(post.Signature, post.Body));
        var events = verifier.ReadEvents(post.Signature, post.Body);
        var failed = Assert.Single(events);
        Assert.Equal(("failed", id, "not_registered", "order-7"), (failed.Type, failed.MessageId, failed.Reason, failed.TrackingData));
        Assert.Equal(WebhookCheck.Mismatch, new WebhookVerifier("whsec_someone-else").Check(post.Signature, post.Body));
    }

    [Fact]
    public void The_sdk_signs_exactly_as_the_server_does()
    {
        Assert.Equal(WebhookSignature.Create(Secret, 1_764_055_631, s_body), WebhookVerifier.Sign(Secret, 1_764_055_631, s_body));
    }

    [Fact]
    public void A_signature_older_or_newer_than_the_tolerance_is_stale_and_one_within_it_is_valid()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_055_631));
        var verifier = new WebhookVerifier(Secret, TimeSpan.FromMinutes(5), time);
        var header = WebhookVerifier.Sign(Secret, time.GetUtcNow().ToUnixTimeSeconds(), s_body);

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(WebhookCheck.Valid, verifier.Check(header, s_body));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(WebhookCheck.Stale, verifier.Check(header, s_body));
        var future = WebhookVerifier.Sign(Secret, time.GetUtcNow().AddMinutes(6).ToUnixTimeSeconds(), s_body);
        Assert.Equal(WebhookCheck.Stale, verifier.Check(future, s_body));
        var error = Assert.Throws<WebhookSignatureException>(() => verifier.ReadEvents(header, s_body));
        Assert.Equal(WebhookCheck.Stale, error.Check);
    }

    [Theory]
    [InlineData(null, WebhookCheck.Missing)]
    [InlineData("", WebhookCheck.Missing)]
    [InlineData("v1=abc", WebhookCheck.Malformed)]
    [InlineData("t=notanumber,v1=abc", WebhookCheck.Malformed)]
    [InlineData("t=1764055631", WebhookCheck.Malformed)]
    public void Missing_and_malformed_headers_are_refused(string? header, WebhookCheck expected)
    {
        var verifier = new WebhookVerifier(Secret, time: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_055_631)));
        Assert.Equal(expected, verifier.Check(header, s_body));
        Assert.False(verifier.IsValid(header, s_body));
    }

    [Fact]
    public void A_changed_body_or_secret_does_not_verify_and_any_matching_v1_does()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_055_631));
        var verifier = new WebhookVerifier(Secret, time: time);
        var header = WebhookVerifier.Sign(Secret, 1_764_055_631, s_body);

        Assert.Equal(WebhookCheck.Mismatch, verifier.Check(header, [.. s_body, (byte)' ']));
        Assert.Equal(WebhookCheck.Mismatch, new WebhookVerifier(Secret + "x", time: time).Check(header, s_body));
        var rotated = $"t=1764055631,v1={new string('0', 64)},{header.Split(',')[1]}";
        Assert.Equal(WebhookCheck.Valid, verifier.Check(rotated, s_body));
    }
}
