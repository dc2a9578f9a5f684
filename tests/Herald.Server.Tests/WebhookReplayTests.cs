using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>
/// Replaying an event from the webhook delivery log: it comes again in a new POST (new webhook-id, same event_id),
/// signed so an independent Standard Webhooks verifier accepts it; pending events, a reply's deleted text and other
/// businesses' events are refused.
/// </summary>
public sealed class WebhookReplayTests
{
    private const string Ann = "+447700900123";

    [Fact]
    public async Task A_delivered_event_is_sent_again_in_a_new_post_with_the_same_event_id()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var other = await host.CreateBusiness(name: "Other");
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "Your parcel is on its way" });
        await device.Next("message");
        await device.Ack("delivered", id);

        var delivered = (await host.Receiver.WaitForEvents(e => e.Any(x => x.GetProperty("type").GetString() == "delivered")))
            .Single(e => e.GetProperty("type").GetString() == "delivered");
        var eventId = delivered.GetProperty("event_id").GetString()!;
        var first = host.Receiver.Posts.Single(p => p.Events.Any(e => e.GetProperty("event_id").GetString() == eventId));

        using var api = acme.Client();
        using (var stolen = other.Client())
            Assert.Equal(HttpStatusCode.NotFound, (await stolen.PostAsync($"/v1/webhook/deliveries/{eventId}/replay", null)).StatusCode);
        var replayed = await api.PostAsync($"/v1/webhook/deliveries/{eventId}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        Assert.Equal(eventId, (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("event_id").GetString());

        await Wait.Until(() => host.Receiver.Posts.Count(p => p.Events.Any(e => e.GetProperty("event_id").GetString() == eventId)) == 2,
            TimeSpan.FromSeconds(10), "the replayed POST");
        var again = host.Receiver.Posts.Last(p => p.Events.Any(e => e.GetProperty("event_id").GetString() == eventId));
        Assert.NotEqual(first.WebhookId, again.WebhookId); // a new POST: receivers that de-duplicate by webhook-id take it
        var copy = again.Events.Single(e => e.GetProperty("event_id").GetString() == eventId);
        Assert.Equal(id, copy.GetProperty("message_id").GetString());
        Assert.Equal("delivered", copy.GetProperty("type").GetString());
        var (exit, output) = await StandardWebhooksVerifier.Verify(again, acme.WebhookSecret!);
        Assert.True(exit == 0, output);

        // The log shows it sent again; replaying it once more works too.
        await Wait.Until(async () => (await api.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries")).GetProperty("deliveries").EnumerateArray()
            .Single(d => d.GetProperty("event_id").GetString() == eventId).GetProperty("status").GetString() == "sent", TimeSpan.FromSeconds(10), "sent again");
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/v1/webhook/deliveries/{eventId}/replay", null)).StatusCode);
    }

    [Fact]
    public async Task A_pending_event_a_delivered_reply_and_an_unknown_id_are_refused()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        using var api = acme.Client();
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");

        await device.Send(new { type = "reply", business_id = acme.Id, text = "Call me back please" });
        var replyId = (await device.Next("reply_sent")).GetProperty("reply_id").GetString()!;
        await host.Receiver.WaitForEvents(e => e.Any(x => x.GetProperty("event_id").GetString() == replyId));
        await Wait.Until(async () => (await api.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries")).GetProperty("deliveries").EnumerateArray()
            .Single(d => d.GetProperty("event_id").GetString() == replyId).GetProperty("status").GetString() == "sent", TimeSpan.FromSeconds(10), "reply sent");
        await AssertProblem(await api.PostAsync($"/v1/webhook/deliveries/{replyId}/replay", null), HttpStatusCode.Conflict, "content_gone");

        host.Receiver.Down = true; // the next event stays pending
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "Are you home?" });
        await device.Next("message");
        await device.Ack("delivered", id);
        string? pending = null;
        await Wait.Until(async () =>
        {
            pending = (await api.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries")).GetProperty("deliveries").EnumerateArray()
                .Where(d => d.GetProperty("type").GetString() == "delivered" && d.GetProperty("status").GetString() == "pending")
                .Select(d => d.GetProperty("event_id").GetString()).FirstOrDefault();
            return pending is not null;
        }, TimeSpan.FromSeconds(10), "a pending event");
        await AssertProblem(await api.PostAsync($"/v1/webhook/deliveries/{pending}/replay", null), HttpStatusCode.Conflict, "replay_pending");
        await AssertProblem(await api.PostAsync("/v1/webhook/deliveries/evt_nope/replay", null), HttpStatusCode.NotFound, "not_found");
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
