using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests;

/// <summary>
/// What a consumer decides about business messages, over the real server: the senders list, blocking and
/// unblocking a sender, and the two opt-outs. Each choice is the consumer's own and takes effect at once.
/// </summary>
public sealed class ConsumerChoicesTests
{
    private const string Ann = "+447700900123";
    private const string Bob = "+447700900456";

    private static readonly string[] s_senderFields =
        ["blocked", "business_id", "description", "learn_more_url", "logo_url", "muted", "name", "two_way", "verified"];

    // ---------------------------------------------------------------------------------------------------------
    // The senders list

    [Fact]
    public async Task The_senders_list_starts_empty_and_holds_the_senders_that_messaged_me_and_those_I_blocked_and_nobody_else()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var news = await host.CreateBusiness(name: "Newsletter");
        var rival = await host.CreateBusiness(name: "Rival");
        var bobsBank = await host.CreateBusiness(name: "Bob's bank");
        using var ann = host.Client(await host.SignIn(Ann));
        using var bob = host.Client(await host.SignIn(Bob));

        Assert.Empty((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/senders")).EnumerateArray());

        await acme.SendOk(new { to = Ann, category = "transactional", text = "Your parcel" });
        await news.SendOk(new { to = Ann, category = "promotional", text = "Issue 1" });
        await bobsBank.SendOk(new { to = Bob, category = "transactional", text = "Your statement" });
        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{rival.Id}/block", null)).StatusCode);

        var senders = (await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/senders")).EnumerateArray().ToDictionary(s => s.GetProperty("business_id").GetString()!);
        Assert.Equal(new[] { acme.Id, news.Id, rival.Id }.Order(), senders.Keys.Order());
        foreach (var sender in senders.Values)
        {
            Assert.Equal(s_senderFields, sender.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal("https://acme.example/logo.png", sender.GetProperty("logo_url").GetString());
            Assert.Equal("Parcel delivery updates", sender.GetProperty("description").GetString());
            Assert.Equal("https://acme.example/about", sender.GetProperty("learn_more_url").GetString());
            Assert.True(sender.GetProperty("verified").GetBoolean());
        }
        Assert.Equal("Acme Parcels", senders[acme.Id].GetProperty("name").GetString());
        Assert.Equal("Newsletter", senders[news.Id].GetProperty("name").GetString());
        Assert.Equal("Rival", senders[rival.Id].GetProperty("name").GetString());
        Assert.True(senders[acme.Id].GetProperty("two_way").GetBoolean());
        Assert.False(senders[news.Id].GetProperty("two_way").GetBoolean());
        Assert.False(senders[acme.Id].GetProperty("blocked").GetBoolean());
        Assert.False(senders[news.Id].GetProperty("blocked").GetBoolean());
        Assert.True(senders[rival.Id].GetProperty("blocked").GetBoolean());

        // Bob's list is his own: the sender that wrote to him, not Ann's senders nor her block.
        var bobs = Assert.Single((await bob.GetFromJsonAsync<JsonElement>("/consumer/v1/senders")).EnumerateArray());
        Assert.Equal(bobsBank.Id, bobs.GetProperty("business_id").GetString());
        Assert.False(bobs.GetProperty("blocked").GetBoolean());

        // Unblocking a sender that never wrote to Ann takes it off her list.
        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{rival.Id}/unblock", null)).StatusCode);
        var after = await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/senders");
        Assert.Equal(new[] { acme.Id, news.Id }.Order(), after.EnumerateArray().Select(s => s.GetProperty("business_id").GetString()).Order());
    }

    [Fact]
    public async Task A_blocked_sender_that_wrote_to_me_stays_listed_after_unblocking_and_shows_as_unblocked()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var ann = host.Client(await host.SignIn(Ann));
        await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);
        await acme.SendOk(new { to = Ann, category = "transactional", text = "refused" });

        var listed = Assert.Single((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/senders")).EnumerateArray());
        Assert.True(listed.GetProperty("blocked").GetBoolean());

        await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/unblock", null);
        listed = Assert.Single((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/senders")).EnumerateArray());
        Assert.Equal(acme.Id, listed.GetProperty("business_id").GetString()); // it did message her, so it stays
        Assert.False(listed.GetProperty("blocked").GetBoolean());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Blocking

    [Fact]
    public async Task Block_and_unblock_each_tell_the_sender_once_with_the_consumers_number_and_repeats_tell_nothing()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var ann = host.Client(await host.SignIn(Ann));

        // Unblocking a sender that was never blocked changes nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/unblock", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null)).StatusCode);
        await host.Receiver.WaitForEvents(e => e.Count >= 1);
        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/unblock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/unblock", null)).StatusCode);
        await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null)).StatusCode);
        await host.Receiver.WaitForEvents(e => e.Count >= 3);
        await Task.Delay(400); // time for a wrongly sent duplicate to arrive

        var events = host.Receiver.AcknowledgedEvents;
        Assert.Equal(["unsubscribed", "subscribed", "unsubscribed"], events.Select(TypeOf));
        Assert.All(events, e =>
        {
            Assert.Equal(Ann, e.GetProperty("to").GetString());
            Assert.False(e.TryGetProperty("message_id", out _));
            Assert.False(e.TryGetProperty("tracking_data", out _));
            Assert.StartsWith("evt_", e.GetProperty("event_id").GetString());
            Assert.EndsWith("Z", e.GetProperty("timestamp").GetString());
        });
        Assert.Equal(3, events.Select(e => e.GetProperty("event_id").GetString()).Distinct().Count());
        Assert.All(host.Receiver.Posts, p => Assert.True(Signed(acme, p)));
    }

    [Fact]
    public async Task Blocking_or_unblocking_an_unknown_sender_is_a_404_problem_and_changes_nothing()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var ann = host.Client(await host.SignIn(Ann));

        await AssertProblem(await ann.PostAsync("/consumer/v1/senders/biz_does-not-exist/block", null), HttpStatusCode.NotFound, "not_found");
        await AssertProblem(await ann.PostAsync("/consumer/v1/senders/biz_does-not-exist/unblock", null), HttpStatusCode.NotFound, "not_found");
        await AssertProblem(await ann.PostAsync($"/consumer/v1/senders/{acme.Id.ToUpperInvariant()}x/block", null), HttpStatusCode.NotFound, "not_found");

        Assert.Empty((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/senders")).EnumerateArray());
        Assert.Empty((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export")).GetProperty("blocked_senders").EnumerateArray());
        // The real sender is unaffected: its message gets through, and it got no (un)subscribe event.
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "hello" });
        Assert.Equal("accepted", (await acme.Status(id)).GetProperty("status").GetString());
        await Task.Delay(300);
        Assert.Empty(host.Receiver.AcknowledgedEvents);
    }

    [Fact]
    public async Task A_blocked_senders_message_fails_at_once_with_blocked_and_never_reaches_any_connected_device()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var news = await host.CreateBusiness(name: "Newsletter");
        var phoneToken = await host.SignIn(Ann);
        var laptopToken = await host.SignIn(Ann);
        await using var phone = await host.Connect(phoneToken);
        await using var laptop = await host.Connect(laptopToken);
        await phone.Next("ready");
        await laptop.Next("ready");
        using var ann = host.Client(phoneToken);
        Assert.Equal(HttpStatusCode.NoContent, (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null)).StatusCode);

        var receipt = await acme.SendOk(new { to = Ann, category = "transactional", text = "blocked receipt", tracking_data = "t-receipt" });
        var promo = await acme.SendOk(new { to = Ann, category = "promotional", text = "blocked promo", qr = "QR" });
        foreach (var id in new[] { receipt, promo })
        {
            var status = await acme.Status(id); // failed when the send was answered, not later
            Assert.Equal("failed", status.GetProperty("status").GetString());
            Assert.Equal("blocked", status.GetProperty("reason").GetString());
            Assert.True(status.TryGetProperty("failed_at", out _));
            Assert.False(status.TryGetProperty("delivered_at", out _));
            Assert.Null(LifecycleTests.ContentOf(host, id));
        }

        var events = await host.Receiver.WaitForEvents(e => e.Count(x => TypeOf(x) == "failed") >= 2);
        var failed = events.Where(e => TypeOf(e) == "failed").ToList();
        Assert.Equal([receipt, promo], failed.Select(e => e.GetProperty("message_id").GetString()));
        Assert.All(failed, e => Assert.Equal("blocked", e.GetProperty("reason").GetString()));
        Assert.All(failed, e => Assert.Equal(Ann, e.GetProperty("to").GetString()));
        Assert.Equal("t-receipt", failed[0].GetProperty("tracking_data").GetString());

        // The connections are alive (another sender's message comes through live), yet nothing of the blocked sender came.
        var other = await news.SendOk(new { to = Ann, category = "transactional", text = "not blocked" });
        foreach (var device in new[] { phone, laptop })
            Assert.Equal([other], (await device.MessagesWithin(TimeSpan.FromMilliseconds(700))).Select(m => m.GetProperty("message_id").GetString()));

        // A device connecting later gets nothing of it either.
        await using var tablet = await host.Connect(await host.SignIn(Ann));
        Assert.DoesNotContain((await tablet.MessagesWithin(TimeSpan.FromMilliseconds(700))).Select(m => m.GetProperty("message_id").GetString()),
            id => id == receipt || id == promo);
    }

    [Fact]
    public async Task One_consumers_block_only_affects_that_consumer_whatever_the_request_says()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var ann = host.Client(await host.SignIn(Ann));
        var bobToken = await host.SignIn(Bob);
        using var bobClient = host.Client(bobToken);
        await using var bob = await host.Connect(bobToken);
        await bob.Next("ready");

        // Ann's token blocks for Ann, even when the request tries to name Bob.
        var hostile = await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block?phone={Uri.EscapeDataString(Bob)}",
            new StringContent($"{{\"phone\":\"{Bob}\",\"consumer\":\"{Bob}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, hostile.StatusCode);
        // And Bob unblocking a sender he never blocked does not lift Ann's block.
        Assert.Equal(HttpStatusCode.NoContent, (await bobClient.PostAsync($"/consumer/v1/senders/{acme.Id}/unblock", null)).StatusCode);

        var forBob = await acme.SendOk(new { to = Bob, category = "transactional", text = "for Bob" });
        Assert.Equal(forBob, (await bob.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        await bob.Ack("delivered", forBob);
        await acme.WaitForStatus(forBob, "delivered");

        var forAnn = await acme.SendOk(new { to = Ann, category = "transactional", text = "for Ann" });
        Assert.Equal("blocked", (await acme.Status(forAnn)).GetProperty("reason").GetString());

        var bobsSender = Assert.Single((await bobClient.GetFromJsonAsync<JsonElement>("/consumer/v1/senders")).EnumerateArray());
        Assert.False(bobsSender.GetProperty("blocked").GetBoolean());
        Assert.Empty((await bobClient.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export")).GetProperty("blocked_senders").EnumerateArray());

        var events = await host.Receiver.WaitForEvents(e => e.Count >= 3);
        await Task.Delay(300);
        events = host.Receiver.AcknowledgedEvents;
        var subscription = Assert.Single(events, e => TypeOf(e) is "unsubscribed" or "subscribed");
        Assert.Equal("unsubscribed", TypeOf(subscription));
        Assert.Equal(Ann, subscription.GetProperty("to").GetString());
        Assert.DoesNotContain(events, e => TypeOf(e) == "failed" && e.GetProperty("to").GetString() == Bob);
    }

    [Fact]
    public async Task Blocking_one_sender_leaves_the_consumers_other_senders_alone()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var news = await host.CreateBusiness(name: "Newsletter");
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        await using var device = await host.Connect(token);
        await device.Next("ready");
        await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);

        var fromNews = await news.SendOk(new { to = Ann, category = "promotional", text = "still welcome" });
        Assert.Equal(fromNews, (await device.Next("message")).GetProperty("message").GetProperty("message_id").GetString());

        // Only the blocked sender hears about the block.
        await host.Receiver.WaitForEvents(e => e.Any(x => TypeOf(x) == "unsubscribed"));
        var post = Assert.Single(host.Receiver.Posts, p => p.Events.Any(x => TypeOf(x) == "unsubscribed"));
        Assert.True(Signed(acme, post));
        Assert.False(Signed(news, post));
    }

    [Fact]
    public async Task After_unblocking_new_messages_are_delivered_but_those_refused_during_the_block_stay_failed_and_are_never_pushed()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        await using var device = await host.Connect(token);
        await device.Next("ready");

        await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);
        var refused = await acme.SendOk(new { to = Ann, category = "transactional", text = "while blocked" });
        await host.Receiver.WaitForEvents(e => e.Any(x => TypeOf(x) == "failed"));
        await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/unblock", null);
        var welcome = await acme.SendOk(new { to = Ann, category = "transactional", text = "welcome back" });

        Assert.Equal([welcome], (await device.MessagesWithin(TimeSpan.FromMilliseconds(800))).Select(m => m.GetProperty("message_id").GetString()));
        await device.Ack("delivered", welcome);
        await acme.WaitForStatus(welcome, "delivered");

        // A device ack for the refused one cannot revive it.
        await device.Ack("delivered", refused);
        await device.Ack("seen", refused);
        var events = await host.Receiver.WaitForEvents(e => e.Count >= 4);
        Assert.Equal(["unsubscribed", "failed", "subscribed", "delivered"], events.Select(TypeOf));
        await Task.Delay(300);
        var status = await acme.Status(refused);
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal("blocked", status.GetProperty("reason").GetString());
        Assert.Equal(4, host.Receiver.AcknowledgedEvents.Count);

        await using var again = await host.Connect(token);
        Assert.Empty(await again.MessagesWithin(TimeSpan.FromMilliseconds(600)));
    }

    [Fact]
    public async Task In_a_batch_only_the_messages_to_consumers_who_blocked_the_sender_fail()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using (var ann = host.Client(await host.SignIn(Ann)))
            await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);
        await using var bob = await host.Connect(await host.SignIn(Bob));
        await bob.Next("ready");

        using var client = acme.Client();
        var response = await client.PostAsJsonAsync("/v1/messages/batch", new
        {
            messages = new[]
            {
                new { to = Ann, category = "transactional", text = "for Ann" },
                new { to = Bob, category = "transactional", text = "for Bob" },
            },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("message_id").GetString()!).ToList();
        Assert.Equal(2, results.Count);

        Assert.Equal("blocked", (await acme.Status(results[0])).GetProperty("reason").GetString());
        Assert.Equal("accepted", (await acme.Status(results[1])).GetProperty("status").GetString());
        Assert.Equal([results[1]], (await bob.MessagesWithin(TimeSpan.FromMilliseconds(800))).Select(m => m.GetProperty("message_id").GetString()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Settings

    [Fact]
    public async Task Settings_start_with_everything_on_and_a_field_left_out_keeps_its_value_for_every_device_of_the_consumer()
    {
        await using var host = await HeraldHost.Start();
        using var phone = host.Client(await host.SignIn(Ann));
        using var laptop = host.Client(await host.SignIn(Ann));
        using var bob = host.Client(await host.SignIn(Bob));

        AssertSettings(await phone.GetFromJsonAsync<JsonElement>("/consumer/v1/settings"), businessMessages: true, promotional: true);
        Assert.False((await phone.GetFromJsonAsync<JsonElement>("/consumer/v1/settings")).GetProperty("restricted").GetBoolean());

        AssertSettings(await Put(phone, new { promotional = false }), businessMessages: true, promotional: false);
        AssertSettings(await Put(phone, new { }), businessMessages: true, promotional: false);
        AssertSettings(await Put(laptop, new { business_messages = false }), businessMessages: false, promotional: false);
        AssertSettings(await Put(phone, new { promotional = true }), businessMessages: false, promotional: true);
        AssertSettings(await laptop.GetFromJsonAsync<JsonElement>("/consumer/v1/settings"), businessMessages: false, promotional: true);
        AssertSettings(await Put(laptop, new { business_messages = true, promotional = false }), businessMessages: true, promotional: false);
        AssertSettings(await phone.GetFromJsonAsync<JsonElement>("/consumer/v1/settings"), businessMessages: true, promotional: false);

        // Another consumer's settings are untouched.
        AssertSettings(await bob.GetFromJsonAsync<JsonElement>("/consumer/v1/settings"), businessMessages: true, promotional: true);
    }

    [Fact]
    public async Task Settings_refuse_anything_but_the_two_booleans_and_keep_their_value()
    {
        await using var host = await HeraldHost.Start();
        using var ann = host.Client(await host.SignIn(Ann));
        await Put(ann, new { promotional = false });

        await AssertProblem(await ann.PutAsJsonAsync("/consumer/v1/settings", new { promotional = "yes" }), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await ann.PutAsJsonAsync("/consumer/v1/settings", new { business_messages = 0 }), HttpStatusCode.BadRequest, "invalid_request");
        // The restriction is a data-subject right with its own endpoint, not a setting that can be slipped in here.
        await AssertProblem(await ann.PutAsJsonAsync("/consumer/v1/settings", new { restricted = true }), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await ann.PutAsJsonAsync("/consumer/v1/settings", new { promotional = true, phone = Bob }), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await ann.PutAsync("/consumer/v1/settings", new StringContent("{\"promotional\":", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await ann.PutAsync("/consumer/v1/settings", new StringContent("promotional=true", Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType, "invalid_request");

        var settings = await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/settings");
        AssertSettings(settings, businessMessages: true, promotional: false);
        Assert.False(settings.GetProperty("restricted").GetBoolean());
    }

    [Fact]
    public async Task With_promotional_off_promotional_sends_fail_opted_out_and_transactional_ones_are_still_delivered()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        await using var device = await host.Connect(token);
        await device.Next("ready");
        await Put(ann, new { promotional = false });

        var promo = await acme.SendOk(new { to = Ann, category = "promotional", text = "50% off", tracking_data = "promo-1" });
        var status = await acme.Status(promo);
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal("opted_out", status.GetProperty("reason").GetString());
        Assert.Null(LifecycleTests.ContentOf(host, promo));
        var failed = Assert.Single(await host.Receiver.WaitForEvents(e => e.Count >= 1));
        Assert.Equal("failed", TypeOf(failed));
        Assert.Equal("opted_out", failed.GetProperty("reason").GetString());
        Assert.Equal(promo, failed.GetProperty("message_id").GetString());
        Assert.Equal("promo-1", failed.GetProperty("tracking_data").GetString());

        var receipt = await acme.SendOk(new { to = Ann, category = "transactional", text = "Your receipt" });
        var pushed = await device.MessagesWithin(TimeSpan.FromMilliseconds(800));
        Assert.Equal([receipt], pushed.Select(m => m.GetProperty("message_id").GetString()));
        await device.Ack("delivered", receipt);
        await acme.WaitForStatus(receipt, "delivered");

        // Turning promotional back on lets new promotional messages through (the refused one stays refused).
        await Put(ann, new { promotional = true });
        var promo2 = await acme.SendOk(new { to = Ann, category = "promotional", text = "back in stock" });
        Assert.Equal([promo2], (await device.MessagesWithin(TimeSpan.FromMilliseconds(800))).Select(m => m.GetProperty("message_id").GetString()));
        Assert.Equal("opted_out", (await acme.Status(promo)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task With_business_messages_off_every_send_from_every_sender_fails_opted_out_until_they_are_turned_back_on()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var news = await host.CreateBusiness(name: "Newsletter");
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        await using var device = await host.Connect(token);
        await device.Next("ready");
        AssertSettings(await Put(ann, new { business_messages = false }), businessMessages: false, promotional: true);

        var refused = new[]
        {
            await acme.SendOk(new { to = Ann, category = "transactional", text = "receipt" }),
            await acme.SendOk(new { to = Ann, category = "promotional", text = "sale" }),
            await news.SendOk(new { to = Ann, category = "transactional", text = "issue" }),
        };
        foreach (var id in refused)
        {
            var business = id == refused[2] ? news : acme;
            var status = await business.Status(id);
            Assert.Equal("failed", status.GetProperty("status").GetString());
            Assert.Equal("opted_out", status.GetProperty("reason").GetString());
        }
        var events = await host.Receiver.WaitForEvents(e => e.Count >= 3);
        Assert.All(events, e => Assert.Equal("opted_out", e.GetProperty("reason").GetString()));
        Assert.Empty(await device.MessagesWithin(TimeSpan.FromMilliseconds(500)));

        AssertSettings(await Put(ann, new { business_messages = true }), businessMessages: true, promotional: true);
        var back = await acme.SendOk(new { to = Ann, category = "transactional", text = "receipt 2" });
        Assert.Equal([back], (await device.MessagesWithin(TimeSpan.FromMilliseconds(800))).Select(m => m.GetProperty("message_id").GetString()));
    }

    [Fact]
    public async Task One_consumers_opt_outs_do_not_touch_another_consumer()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        using (var ann = host.Client(await host.SignIn(Ann)))
            await Put(ann, new { business_messages = false, promotional = false });
        await using var bob = await host.Connect(await host.SignIn(Bob));
        await bob.Next("ready");

        var promo = await acme.SendOk(new { to = Bob, category = "promotional", text = "for Bob" });
        var receipt = await acme.SendOk(new { to = Bob, category = "transactional", text = "also for Bob" });
        Assert.Equal([promo, receipt], (await bob.MessagesWithin(TimeSpan.FromMilliseconds(800))).Select(m => m.GetProperty("message_id").GetString()));
        var toAnn = await acme.SendOk(new { to = Ann, category = "transactional", text = "for Ann" });
        Assert.Equal("opted_out", (await acme.Status(toAnn)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_block_is_reported_as_blocked_even_when_the_consumer_also_opted_out()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        using var ann = host.Client(await host.SignIn(Ann));
        await Put(ann, new { business_messages = false, promotional = false });
        await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);

        var id = await acme.SendOk(new { to = Ann, category = "promotional", text = "sale" });
        Assert.Equal("blocked", (await acme.Status(id)).GetProperty("reason").GetString());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Who may make these choices

    [Fact]
    public async Task Only_a_signed_in_device_token_can_list_block_unblock_or_change_settings()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var signedOut = await host.SignIn(Ann);
        using (var leaving = host.Client(signedOut))
            Assert.Equal(HttpStatusCode.NoContent, (await leaving.DeleteAsync("/consumer/v1/devices/current")).StatusCode);

        using var anonymous = host.Client();
        using var withApiKey = host.Client(acme.ApiKey);
        using var withOperatorToken = host.Operator();
        using var withGarbage = host.Client("hdt_not-a-real-token");
        using var withSignedOutToken = host.Client(signedOut);
        foreach (var client in new[] { anonymous, withApiKey, withOperatorToken, withGarbage, withSignedOutToken })
        {
            await AssertProblem(await client.GetAsync("/consumer/v1/senders"), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await client.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await client.PostAsync($"/consumer/v1/senders/{acme.Id}/unblock", null), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await client.GetAsync("/consumer/v1/settings"), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await client.PutAsJsonAsync("/consumer/v1/settings", new { business_messages = false }), HttpStatusCode.Unauthorized, "unauthorized");
        }

        // None of it took effect: the consumer still gets the sender's messages, and the sender heard of no block.
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        var id = await acme.SendOk(new { to = Ann, category = "promotional", text = "still on" });
        Assert.Equal(id, (await device.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        await Task.Delay(300);
        Assert.Empty(host.Receiver.AcknowledgedEvents);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static string? TypeOf(JsonElement e) => e.GetProperty("type").GetString();

    private static bool Signed(TestBusiness business, ReceivedPost post) =>
        post.VerifiesWith(business.WebhookSecret!);

    private static async Task<JsonElement> Put(HttpClient consumer, object settings)
    {
        var response = await consumer.PutAsJsonAsync("/consumer/v1/settings", settings);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static void AssertSettings(JsonElement settings, bool businessMessages, bool promotional)
    {
        Assert.Equal(businessMessages, settings.GetProperty("business_messages").GetBoolean());
        Assert.Equal(promotional, settings.GetProperty("promotional").GetBoolean());
    }
}
