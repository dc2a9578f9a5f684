using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Client;
using Herald.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests;

/// <summary>
/// <c>POST /v1/webhook/test</c> and the SDK's SendWebhookTestEventAsync: a <c>webhook.test</c> event that goes the
/// way every event goes (signed, retried under the same webhook-id, logged), checked by the Standard Webhooks library.
/// </summary>
public sealed class WebhookTestEventTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_test_event_is_signed_retried_and_logged_like_any_event()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        host.Receiver.FailNext(1);
        using var client = business.Client();

        var queued = await client.PostAsync("/v1/webhook/test", null);

        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var answer = await queued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("webhook.test", answer.GetProperty("type").GetString());
        var eventId = answer.GetProperty("event_id").GetString();
        await host.Receiver.WaitForEvents(e => e.Count >= 1);
        var posts = host.Receiver.Posts;
        Assert.Equal([500, 200], posts.Select(p => p.Answered));
        Assert.Equal(posts[0].WebhookId, posts[1].WebhookId);
        var evt = Assert.Single(posts[1].Events);
        Assert.Equal(eventId, evt.GetProperty("event_id").GetString());
        Assert.Equal("webhook.test", evt.GetProperty("type").GetString());
        var (code, text) = await StandardWebhooksVerifier.Verify(posts[1], business.WebhookSecret!);
        output.WriteLine($"standardwebhooks: exit {code}: {text}");
        Assert.True(code == 0, text);

        var log = (await client.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries")).GetProperty("deliveries")[0];
        Assert.Equal((eventId, "webhook.test", "sent", 2, posts[1].WebhookId),
            (log.GetProperty("event_id").GetString(), log.GetProperty("type").GetString(), log.GetProperty("status").GetString(),
             log.GetProperty("attempts").GetInt32(), log.GetProperty("webhook_id").GetString()));
    }

    [Fact]
    public async Task The_sdk_sends_one_and_a_business_without_a_webhook_gets_404()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var bare = await host.CreateBusiness(webhook: false, name: "Bare");
        using var sdk = new HeraldClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = business.ApiKey });

        var sent = await sdk.SendWebhookTestEventAsync();

        var events = await host.Receiver.WaitForEvents(e => e.Count >= 1);
        Assert.Equal(sent.EventId, Assert.Single(events).GetProperty("event_id").GetString());
        Assert.True(host.Receiver.Posts[^1].VerifiesWith(business.WebhookSecret!));
        using var bareClient = bare.Client();
        await AssertProblem(await bareClient.PostAsync("/v1/webhook/test", null), HttpStatusCode.NotFound, "not_found");
        using var bareSdk = new HeraldClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = bare.ApiKey });
        Assert.Equal("not_found", (await Assert.ThrowsAsync<HeraldApiException>(() => bareSdk.SendWebhookTestEventAsync())).Code);
    }
}
