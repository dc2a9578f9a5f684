using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Herald.Server.Tests;

/// <summary>
/// Callbacks are Standard Webhooks: checked here by the specification's own npm library (tools/webhook-verify), not
/// only by Herald's code; and a secret rotation signs with both secrets for its overlap, then with the new one alone.
/// </summary>
public sealed class WebhookSigningTests(ITestOutputHelper output)
{
    private const string Unregistered = "+15550100999"; // a send to it fails at once: one callback per message

    [Fact]
    public async Task Real_callbacks_verify_with_the_standard_webhooks_reference_library_and_a_tampered_body_does_not()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await business.SendOk(new { to = Unregistered, category = "transactional", text = "hi" });
        var post = await OnePost(host, 1);

        Assert.Matches(@"^whsec_[A-Za-z0-9+/]{43}=\z", business.WebhookSecret);
        Assert.Matches(@"^v1,[A-Za-z0-9+/]{43}=\z", post.Signature);
        Assert.InRange(long.Parse(post.Timestamp, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        await Verified(post, business.WebhookSecret!);
        byte[] tampered = [.. post.Body];
        tampered[^3] ^= 1;
        await Refused(post, business.WebhookSecret!, tampered);
        await Refused(post, "whsec_" + Convert.ToBase64String(new byte[32]));
    }

    [Fact]
    public async Task A_retry_after_a_failed_post_keeps_its_webhook_id_and_body_and_verifies_again()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        host.Receiver.FailNext(1);
        await business.SendOk(new { to = Unregistered, category = "transactional", text = "hi" });
        var retry = await OnePost(host, 1);
        var posts = host.Receiver.Posts;

        Assert.Equal([500, 200], posts.Select(p => p.Answered));
        Assert.Equal(posts[0].WebhookId, retry.WebhookId);
        Assert.Equal(posts[0].Body, retry.Body);
        await Verified(posts[0], business.WebhookSecret!);
        await Verified(retry, business.WebhookSecret!); // re-signed with its own timestamp, under the same id
        using var client = business.Client();
        var log = await client.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries");
        Assert.Equal(retry.WebhookId, log.GetProperty("deliveries")[0].GetProperty("webhook_id").GetString()); // the log names the POST
    }

    [Fact]
    public async Task During_a_rotation_overlap_both_secrets_sign_and_after_it_only_the_new_one()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var business = await host.CreateBusiness();
        var old = business.WebhookSecret!;
        var rotated = await Rotate(business, null);
        var secret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(old, secret);
        Assert.Matches(@"^whsec_[A-Za-z0-9+/]{43}=\z", secret);
        Assert.Equal(host.Time!.GetUtcNow().AddHours(24).ToUnixTimeMilliseconds(), rotated.GetProperty("previous_secret_expires_at").GetDateTimeOffset().ToUnixTimeMilliseconds());

        await business.SendOk(new { to = Unregistered, category = "transactional", text = "during" });
        var during = await OnePost(host, 1);
        var signatures = during.Signature.Split(' ');
        Assert.Equal(2, signatures.Length);
        Assert.True(during.VerifiesWith(secret, host.Time.GetUtcNow()));
        Assert.True(during.VerifiesWith(old, host.Time.GetUtcNow()));
        await Verified(during, secret); // a receiver still on the old secret and one already on the new both accept it
        await Verified(during, old);
        await Refused(during, old, [.. during.Body, (byte)' ']);

        // PUT /v1/webhook (a URL change) keeps the rotated secret.
        Assert.Equal(secret, await business.SetWebhook(host.Receiver.WebhookUrl.ToString()));

        host.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await business.SendOk(new { to = Unregistered, category = "transactional", text = "after" });
        var after = await OnePost(host, 2);
        Assert.Single(after.Signature.Split(' '));
        Assert.True(after.VerifiesWith(secret, host.Time.GetUtcNow()));
        Assert.False(after.VerifiesWith(old, host.Time.GetUtcNow()));
    }

    [Fact]
    public async Task A_rotation_with_no_overlap_stops_the_old_secret_at_once_and_a_second_rotation_drops_the_first_secret()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var first = business.WebhookSecret!;
        var second = (await Rotate(business, new { overlap_seconds = 3600 })).GetProperty("secret").GetString()!;
        var third = (await Rotate(business, new { overlap_seconds = 0 })).GetProperty("secret").GetString()!;

        await business.SendOk(new { to = Unregistered, category = "transactional", text = "hi" });
        var post = await OnePost(host, 1);
        Assert.Single(post.Signature.Split(' '));
        Assert.True(post.VerifiesWith(third));
        Assert.False(post.VerifiesWith(second));
        Assert.False(post.VerifiesWith(first));
        await Verified(post, third);
        await Refused(post, second);
    }

    [Theory]
    [InlineData("""{"overlap_seconds":-1}""")]
    [InlineData("""{"overlap_seconds":604801}""")]
    [InlineData("""{"overlap_seconds":"soon"}""")]
    [InlineData("""{"overlap":60}""")]
    public async Task A_rotation_with_an_overlap_out_of_bounds_is_refused_and_keeps_the_secret(string body)
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var client = business.Client();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/v1/webhook/secret/rotate", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(business.WebhookSecret, await business.SetWebhook(host.Receiver.WebhookUrl.ToString()));
    }

    [Fact]
    public async Task Rotating_before_a_webhook_is_set_is_not_found()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        using var client = business.Client();
        var response = await client.PostAsync("/v1/webhook/secret/rotate", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static async Task<JsonElement> Rotate(TestBusiness business, object? body)
    {
        using var client = business.Client();
        var response = body is null ? await client.PostAsync("/v1/webhook/secret/rotate", null) : await client.PostAsJsonAsync("/v1/webhook/secret/rotate", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        return json;
    }

    private static async Task<ReceivedPost> OnePost(HeraldHost host, int count)
    {
        await host.Receiver.WaitForEvents(e => e.Count >= count);
        return host.Receiver.Posts.Where(p => p.Answered == 200).ElementAt(count - 1);
    }

    private async Task Verified(ReceivedPost post, string secret)
    {
        var (code, text) = await StandardWebhooksVerifier.Verify(post, secret);
        output.WriteLine($"standardwebhooks, {post.Signature.Split(' ').Length} signature(s): exit {code}: {text}");
        Assert.True(code == 0, text);
    }

    private async Task Refused(ReceivedPost post, string secret, byte[]? body = null)
    {
        var (code, text) = await StandardWebhooksVerifier.Verify(post, secret, body);
        output.WriteLine($"standardwebhooks, {(body is null ? "another secret" : "tampered body")}: exit {code}: {text}");
        Assert.NotEqual(0, code);
    }
}
