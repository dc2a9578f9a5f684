using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests;

/// <summary>What consumers decide: blocks, opt-outs, replies and their data rights, each in force at once.</summary>
public sealed class ConsumerFeatureTests
{
    private const string Ann = "+447700900123";
    private const string Bob = "+447700900456";

    [Fact]
    public async Task Blocking_a_sender_tells_it_and_its_messages_then_fail_without_reaching_the_device()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var token = await host.SignIn(Ann);
        await using var device = await host.Connect(token);
        await device.Next("ready");
        using var ann = host.Client(token);

        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null)).StatusCode); // no second event
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "you blocked us" });
        var events = await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.Equal(["unsubscribed", "failed"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(Ann, events[0].GetProperty("to").GetString());
        Assert.Equal("blocked", events[1].GetProperty("reason").GetString());
        Assert.Empty(await device.MessagesWithin(TimeSpan.FromMilliseconds(500)));
        Assert.Null(LifecycleTests.ContentOf(host, id));

        var senders = await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/senders");
        var listed = Assert.Single(senders.EnumerateArray());
        Assert.Equal(acme.Id, listed.GetProperty("business_id").GetString());
        Assert.True(listed.GetProperty("blocked").GetBoolean());
        Assert.True(listed.GetProperty("verified").GetBoolean());
        Assert.Equal("Parcel delivery updates", listed.GetProperty("description").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/unblock", null)).StatusCode);
        var back = await acme.SendOk(new { to = Ann, category = "transactional", text = "welcome back" });
        Assert.Equal(back, (await device.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        events = await host.Receiver.WaitForEvents(e => e.Count >= 3);
        Assert.Equal("subscribed", events[2].GetProperty("type").GetString());
        Assert.Equal(3, events.Count);
        await AssertProblem(await ann.PostAsync("/consumer/v1/senders/no-such-business/block", null), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_block_also_fails_that_senders_messages_still_waiting()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var rival = await host.CreateBusiness(name: "Rival", webhook: false);
        var token = await host.SignIn(Ann);
        var fromAcme = await acme.SendOk(new { to = Ann, category = "transactional", text = "waiting", tracking_data = "w1" });
        var fromRival = await rival.SendOk(new { to = Ann, category = "transactional", text = "also waiting" });
        using (var ann = host.Client(token))
            await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);

        var status = await acme.Status(fromAcme);
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal("blocked", status.GetProperty("reason").GetString());
        Assert.Null(LifecycleTests.ContentOf(host, fromAcme));
        var events = await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.Equal(["unsubscribed", "failed"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("w1", events[1].GetProperty("tracking_data").GetString());

        await using var device = await host.Connect(token);
        Assert.Equal([fromRival], (await device.MessagesWithin(TimeSpan.FromMilliseconds(800))).Select(m => m.GetProperty("message_id").GetString()));
    }

    [Fact]
    public async Task One_consumers_block_does_not_touch_another_consumer()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using (var ann = host.Client(await host.SignIn(Ann)))
            await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);
        await using var bob = await host.Connect(await host.SignIn(Bob));
        await bob.Next("ready");
        var id = await acme.SendOk(new { to = Bob, category = "transactional", text = "for Bob" });
        Assert.Equal(id, (await bob.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
    }

    [Fact]
    public async Task Opt_outs_refuse_all_or_only_promotional_messages()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        var settings = await (await ann.PutAsJsonAsync("/consumer/v1/settings", new { promotional = false })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(settings.GetProperty("business_messages").GetBoolean());
        Assert.False(settings.GetProperty("promotional").GetBoolean());

        var promo = await acme.SendOk(new { to = Ann, category = "promotional", text = "sale" });
        var receipt = await acme.SendOk(new { to = Ann, category = "transactional", text = "receipt" });
        Assert.Equal("opted_out", (await acme.Status(promo)).GetProperty("reason").GetString());
        Assert.Equal("accepted", (await acme.Status(receipt)).GetProperty("status").GetString());

        await ann.PutAsJsonAsync("/consumer/v1/settings", new { business_messages = false });
        var none = await acme.SendOk(new { to = Ann, category = "transactional", text = "receipt 2" });
        Assert.Equal("opted_out", (await acme.Status(none)).GetProperty("reason").GetString());

        await using var device = await host.Connect(token);
        Assert.Equal([receipt], (await device.MessagesWithin(TimeSpan.FromMilliseconds(800))).Select(m => m.GetProperty("message_id").GetString()));
        var current = await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/settings");
        Assert.False(current.GetProperty("business_messages").GetBoolean());
        Assert.False(current.GetProperty("promotional").GetBoolean()); // left out of the second PUT: kept
    }

    [Fact]
    public async Task A_reply_to_a_two_way_sender_becomes_a_reply_event_and_leaves_no_trace()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var oneWay = await host.CreateBusiness(name: "Newsletter");
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "Can we deliver tomorrow?" });
        var frame = (await device.Next("message")).GetProperty("message");
        Assert.True(frame.GetProperty("sender").GetProperty("two_way").GetBoolean());

        var marker = "REPLY-" + Guid.NewGuid().ToString("N");
        await device.Send(new { type = "reply", business_id = acme.Id, message_id = id, text = $"Yes please {marker}", @ref = "r1" });
        var sent = await device.Next("reply_sent");
        Assert.Equal("r1", sent.GetProperty("ref").GetString());
        var events = await host.Receiver.WaitForEvents(e => e.Any(x => x.GetProperty("type").GetString() == "reply"));
        var reply = events.Single(e => e.GetProperty("type").GetString() == "reply");
        Assert.Equal($"Yes please {marker}", reply.GetProperty("text").GetString());
        Assert.Equal(id, reply.GetProperty("message_id").GetString());
        Assert.Equal(Ann, reply.GetProperty("to").GetString());
        Assert.Equal(sent.GetProperty("reply_id").GetString(), reply.GetProperty("event_id").GetString());

        await device.Send(new { type = "reply", business_id = oneWay.Id, text = "hello?", @ref = "r2" });
        var refused = await device.Next("error");
        Assert.Equal("not_two_way", refused.GetProperty("code").GetString());
        Assert.Equal("r2", refused.GetProperty("ref").GetString());
        await device.Send(new { type = "reply", business_id = acme.Id, text = new string('x', 1001) });
        Assert.Equal("invalid_frame", (await device.Next("error")).GetProperty("code").GetString());

        await device.DisposeAsync();
        await host.Stop();
        SqliteConnection.ClearAllPools();
        host.AssertNoClearText(marker);
    }

    [Fact]
    public async Task A_reply_about_someone_elses_message_is_refused()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await host.SignIn(Bob);
        var bobs = await acme.SendOk(new { to = Bob, category = "transactional", text = "for Bob" });
        await using var ann = await host.Connect(await host.SignIn(Ann));
        await ann.Next("ready");
        await ann.Send(new { type = "reply", business_id = acme.Id, message_id = bobs, text = "not mine" });
        Assert.Equal("not_found", (await ann.Next("error")).GetProperty("code").GetString());
        await Task.Delay(300);
        Assert.DoesNotContain(host.Receiver.AcknowledgedEvents, e => e.GetProperty("type").GetString() == "reply");
    }

    [Fact]
    public async Task Export_holds_account_settings_devices_blocks_and_waiting_content()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);
        await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/unblock", null);
        var rival = await host.CreateBusiness(name: "Rival");
        await ann.PostAsync($"/consumer/v1/senders/{rival.Id}/block", null);
        var waiting = await acme.SendOk(new { to = Ann, category = "transactional", text = "still waiting for you" });

        var response = await ann.GetAsync("/consumer/v1/me/export");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var export = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Ann, export.GetProperty("phone").GetString());
        Assert.Single(export.GetProperty("devices").EnumerateArray());
        Assert.Equal(rival.Id, Assert.Single(export.GetProperty("blocked_senders").EnumerateArray()).GetProperty("business_id").GetString());
        var message = Assert.Single(export.GetProperty("messages").EnumerateArray());
        Assert.Equal(waiting, message.GetProperty("message_id").GetString());
        Assert.Equal("still waiting for you", message.GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Erasure_fails_waiting_messages_kills_tokens_and_connections_and_later_sends_are_not_registered()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var phoneToken = await host.SignIn(Ann);
        var laptopToken = await host.SignIn(Ann);
        await using var laptop = await host.Connect(laptopToken);
        await laptop.Next("ready");
        await using (var bob = await host.Connect(await host.SignIn(Bob)))
            await bob.Next("ready");
        var waiting = await acme.SendOk(new { to = Ann, category = "transactional", text = "erase me too" });
        await laptop.Next("message");

        using var ann = host.Client(phoneToken);
        Assert.Equal(HttpStatusCode.NoContent, (await ann.DeleteAsync("/consumer/v1/me")).StatusCode);
        await laptop.WaitClosed(TimeSpan.FromSeconds(5));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, laptop.CloseStatus);
        await AssertProblem(await ann.GetAsync("/consumer/v1/settings"), HttpStatusCode.Unauthorized, "unauthorized");
        await Assert.ThrowsAnyAsync<Exception>(() => host.Connect(laptopToken));
        Assert.Equal("not_registered", (await acme.Status(waiting)).GetProperty("reason").GetString());
        Assert.Null(LifecycleTests.ContentOf(host, waiting));

        var later = await acme.SendOk(new { to = Ann, category = "transactional", text = "anyone?" });
        Assert.Equal("not_registered", (await acme.Status(later)).GetProperty("reason").GetString());
        var events = await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.All(events, e => Assert.Equal("not_registered", e.GetProperty("reason").GetString()));

        // The number may come back as a new consumer with nothing of the old one.
        using var again = host.Client(await host.SignIn(Ann));
        var export = await again.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export");
        Assert.Empty(export.GetProperty("messages").EnumerateArray());
        Assert.Single(export.GetProperty("devices").EnumerateArray());
    }

    [Fact]
    public async Task Restriction_stops_processing_at_once_and_can_be_lifted()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var token = await host.SignIn(Ann);
        var waiting = await acme.SendOk(new { to = Ann, category = "transactional", text = "waiting" });
        using var ann = host.Client(token);
        Assert.True((await (await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("restricted").GetBoolean());
        Assert.Equal("restricted", (await acme.Status(waiting)).GetProperty("reason").GetString());
        var refused = await acme.SendOk(new { to = Ann, category = "transactional", text = "no" });
        Assert.Equal("restricted", (await acme.Status(refused)).GetProperty("reason").GetString());

        await using var device = await host.Connect(token);
        await device.Next("ready");
        Assert.Empty(await device.MessagesWithin(TimeSpan.FromMilliseconds(300)));
        await device.Send(new { type = "reply", business_id = acme.Id, text = "hi" });
        Assert.Equal("restricted", (await device.Next("error")).GetProperty("code").GetString());

        await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = false });
        var ok = await acme.SendOk(new { to = Ann, category = "transactional", text = "yes" });
        Assert.Equal(ok, (await device.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        await AssertProblem(await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { }), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Consumer_endpoints_need_a_device_token()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var anonymous = host.Client();
        using var withApiKey = host.Client(business.ApiKey);
        foreach (var client in new[] { anonymous, withApiKey })
        {
            await AssertProblem(await client.GetAsync("/consumer/v1/me/export"), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await client.DeleteAsync("/consumer/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await client.GetAsync("/consumer/v1/senders"), HttpStatusCode.Unauthorized, "unauthorized");
        }
    }
}
