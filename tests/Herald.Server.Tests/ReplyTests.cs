using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Tests;

/// <summary>
/// Replies from a device to a two-way sender, over a real WebSocket: they reach the business as signed
/// <c>reply</c> events, only for the consumer's own conversations, and their text is not kept once acknowledged.
/// </summary>
public sealed class ReplyTests
{
    private const string Ann = "+447700900123";
    private const string Bob = "+447700900456";

    [Fact]
    public async Task A_reply_reaches_the_two_way_sender_as_a_signed_reply_event_that_carries_the_consumers_number()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var other = await host.CreateBusiness(twoWay: true, name: "Other");
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");

        await device.Send(new { type = "reply", business_id = acme.Id, text = "Hello, is my parcel coming? 📦" });
        var sent = await device.Next("reply_sent");
        var replyId = sent.GetProperty("reply_id").GetString();
        Assert.StartsWith("evt_", replyId);
        Assert.False(sent.TryGetProperty("ref", out _)); // none given, none echoed

        var reply = Assert.Single(await host.Receiver.WaitForEvents(e => e.Count >= 1));
        Assert.Equal("reply", TypeOf(reply));
        Assert.Equal(replyId, reply.GetProperty("event_id").GetString());
        Assert.Equal("Hello, is my parcel coming? 📦", reply.GetProperty("text").GetString());
        Assert.Equal(Ann, reply.GetProperty("to").GetString());
        Assert.False(reply.TryGetProperty("message_id", out _)); // not about a particular message
        Assert.False(reply.TryGetProperty("reason", out _));
        Assert.EndsWith("Z", reply.GetProperty("timestamp").GetString());

        var post = Assert.Single(host.Receiver.Posts);
        Assert.True(Signed(acme, post));
        Assert.False(Signed(other, post)); // it went to the sender named in the frame, and only to it
    }

    [Fact]
    public async Task A_reply_about_one_of_the_senders_messages_carries_its_message_id_and_the_ref_is_echoed()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "Can we deliver tomorrow?", tracking_data = "t-9" });
        var frame = (await device.Next("message")).GetProperty("message");
        Assert.True(frame.GetProperty("sender").GetProperty("two_way").GetBoolean());
        await device.Ack("seen", id);

        await device.Send(new { type = "reply", business_id = acme.Id, message_id = id, text = "Yes please", @ref = "my-ref-1" });
        var sent = await device.Next("reply_sent");
        Assert.Equal("my-ref-1", sent.GetProperty("ref").GetString());

        var events = await host.Receiver.WaitForEvents(e => e.Any(x => TypeOf(x) == "reply"));
        Assert.Equal(["delivered", "seen", "reply"], events.Select(TypeOf));
        var reply = events[2];
        Assert.Equal(id, reply.GetProperty("message_id").GetString());
        Assert.Equal("Yes please", reply.GetProperty("text").GetString());
        Assert.Equal(Ann, reply.GetProperty("to").GetString());
        Assert.Equal(sent.GetProperty("reply_id").GetString(), reply.GetProperty("event_id").GetString());

        // A second reply about the same message is its own event.
        await device.Send(new { type = "reply", business_id = acme.Id, message_id = id, text = "After 5 pm", @ref = "my-ref-2" });
        var second = await device.Next("reply_sent");
        Assert.Equal("my-ref-2", second.GetProperty("ref").GetString());
        Assert.NotEqual(sent.GetProperty("reply_id").GetString(), second.GetProperty("reply_id").GetString());
        events = await host.Receiver.WaitForEvents(e => e.Count(x => TypeOf(x) == "reply") >= 2);
        Assert.Equal("After 5 pm", events.Last(x => TypeOf(x) == "reply").GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_reply_to_a_one_way_sender_is_refused_with_not_two_way_and_nothing_reaches_it()
    {
        await using var host = await HeraldHost.Start();
        var news = await host.CreateBusiness(name: "Newsletter");
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        var id = await news.SendOk(new { to = Ann, category = "promotional", text = "Issue 1" });
        Assert.False((await device.Next("message")).GetProperty("message").GetProperty("sender").GetProperty("two_way").GetBoolean());

        await device.Send(new { type = "reply", business_id = news.Id, text = "unsubscribe me", @ref = "a" });
        var refused = await device.Next("error");
        Assert.Equal("not_two_way", refused.GetProperty("code").GetString());
        Assert.Equal("a", refused.GetProperty("ref").GetString());
        await device.Send(new { type = "reply", business_id = news.Id, message_id = id, text = "about issue 1", @ref = "b" });
        refused = await device.Next("error");
        Assert.Equal("not_two_way", refused.GetProperty("code").GetString());
        Assert.Equal("b", refused.GetProperty("ref").GetString());

        // Barrier: the device's delivered ack is processed after the refused replies; once its event is in, nothing else came.
        await device.Ack("delivered", id);
        await host.Receiver.WaitForEvents(e => e.Count >= 1);
        await Task.Delay(300);
        Assert.Equal(["delivered"], host.Receiver.AcknowledgedEvents.Select(TypeOf));
    }

    [Fact]
    public async Task When_the_operator_turns_two_way_off_replies_are_refused_and_when_it_is_back_on_they_go_through()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        using var admin = host.Operator();

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/admin/v1/businesses/{acme.Id}", new { two_way = false })).StatusCode);
        await device.Send(new { type = "reply", business_id = acme.Id, text = "hello?", @ref = "off" });
        var refused = await device.Next("error");
        Assert.Equal("not_two_way", refused.GetProperty("code").GetString());
        Assert.Equal("off", refused.GetProperty("ref").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/admin/v1/businesses/{acme.Id}", new { two_way = true })).StatusCode);
        await device.Send(new { type = "reply", business_id = acme.Id, text = "hello again", @ref = "on" });
        Assert.Equal("on", (await device.Next("reply_sent")).GetProperty("ref").GetString());
        await host.Receiver.WaitForEvents(e => e.Count >= 1);
        await Task.Delay(300);
        var reply = Assert.Single(host.Receiver.AcknowledgedEvents);
        Assert.Equal("hello again", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_reply_to_an_unknown_sender_is_not_found()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");

        foreach (var businessId in new[] { "biz_does-not-exist", acme.Id + "x", acme.Id.ToUpperInvariant() })
        {
            await device.Send(new { type = "reply", business_id = businessId, text = "anyone there?", @ref = businessId });
            var error = await device.Next("error");
            Assert.Equal("not_found", error.GetProperty("code").GetString());
            Assert.Equal(businessId, error.GetProperty("ref").GetString());
        }
        await Task.Delay(300);
        Assert.Empty(host.Receiver.Posts);
    }

    [Fact]
    public async Task A_reply_naming_another_consumers_message_is_refused_and_the_sender_never_hears_it()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var bob = await host.Connect(await host.SignIn(Bob));
        await bob.Next("ready");
        var bobs = await acme.SendOk(new { to = Bob, category = "transactional", text = "Bob's parcel" });
        await bob.Next("message");
        await using var ann = await host.Connect(await host.SignIn(Ann));
        await ann.Next("ready");

        // Ann learnt the id of a message to Bob and names it in her reply.
        await ann.Send(new { type = "reply", business_id = acme.Id, message_id = bobs, text = "I am Bob, send it to my address instead", @ref = "x" });
        var refused = await ann.Next("error");
        Assert.Equal("not_found", refused.GetProperty("code").GetString());
        Assert.Equal("x", refused.GetProperty("ref").GetString());
        Assert.Empty(await ann.MessagesWithin(TimeSpan.FromMilliseconds(200))); // and she is not shown Bob's message

        // Barrier: a reply Bob makes about his own message comes after Ann's attempt; it is the only reply acme gets.
        await bob.Send(new { type = "reply", business_id = acme.Id, message_id = bobs, text = "Thanks" });
        await bob.Next("reply_sent");
        await host.Receiver.WaitForEvents(e => e.Any(x => TypeOf(x) == "reply"));
        await Task.Delay(300);
        var reply = Assert.Single(host.Receiver.AcknowledgedEvents, e => TypeOf(e) == "reply");
        Assert.Equal(Bob, reply.GetProperty("to").GetString());
        Assert.Equal("Thanks", reply.GetProperty("text").GetString());
        Assert.Equal("accepted", (await acme.Status(bobs)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_reply_naming_a_message_of_another_sender_or_one_that_does_not_exist_is_not_found()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var bank = await host.CreateBusiness(twoWay: true, name: "Bank");
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        var fromBank = await bank.SendOk(new { to = Ann, category = "transactional", text = "Your statement" });
        await device.Next("message");

        // A real message to Ann, but from the bank: it cannot be the subject of a reply to acme.
        await device.Send(new { type = "reply", business_id = acme.Id, message_id = fromBank, text = "wrong chat", @ref = "1" });
        Assert.Equal("not_found", (await device.Next("error")).GetProperty("code").GetString());
        await device.Send(new { type = "reply", business_id = acme.Id, message_id = "msg_does-not-exist", text = "ghost", @ref = "2" });
        Assert.Equal("not_found", (await device.Next("error")).GetProperty("code").GetString());
        await device.Send(new { type = "reply", business_id = acme.Id, message_id = "", text = "empty id", @ref = "3" });
        Assert.Equal("not_found", (await device.Next("error")).GetProperty("code").GetString());

        // The same message id with its own sender is fine.
        await device.Send(new { type = "reply", business_id = bank.Id, message_id = fromBank, text = "right chat", @ref = "4" });
        Assert.Equal("4", (await device.Next("reply_sent")).GetProperty("ref").GetString());
        await host.Receiver.WaitForEvents(e => e.Any(x => TypeOf(x) == "reply"));
        await Task.Delay(300);
        var reply = Assert.Single(host.Receiver.AcknowledgedEvents, e => TypeOf(e) == "reply");
        Assert.Equal("right chat", reply.GetProperty("text").GetString());
        Assert.True(Signed(bank, host.Receiver.Posts.Single(p => p.Events.Any(x => TypeOf(x) == "reply"))));
    }

    [Fact]
    public async Task Reply_frames_need_a_sender_and_1_to_1000_characters_of_text_and_a_bad_one_leaves_the_connection_usable()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");

        var bad = new (string Ref, object Frame)[]
        {
            ("no-sender", new { type = "reply", text = "hi", @ref = "no-sender" }),
            ("empty-sender", new { type = "reply", business_id = "", text = "hi", @ref = "empty-sender" }),
            ("no-text", new { type = "reply", business_id = acme.Id, @ref = "no-text" }),
            ("empty-text", new { type = "reply", business_id = acme.Id, text = "", @ref = "empty-text" }),
            ("blank-text", new { type = "reply", business_id = acme.Id, text = "   \n\t ", @ref = "blank-text" }),
            ("1001", new { type = "reply", business_id = acme.Id, text = new string('x', 1001), @ref = "1001" }),
            ("1001-emoji", new { type = "reply", business_id = acme.Id, text = string.Concat(Enumerable.Repeat("😀", 1001)), @ref = "1001-emoji" }),
        };
        foreach (var (reference, frame) in bad)
        {
            await device.Send(frame);
            var error = await device.Next("error");
            Assert.Equal("invalid_frame", error.GetProperty("code").GetString());
            Assert.Equal(reference, error.GetProperty("ref").GetString());
        }
        await device.SendRaw($"{{\"type\":\"reply\",\"business_id\":\"{acme.Id}\",\"text\":42}}");
        Assert.Equal("invalid_frame", (await device.Next("error")).GetProperty("code").GetString());

        // At the limits: exactly 1000 characters, and 1000 emoji (a person counts each as one character).
        var thousand = new string('y', 1000);
        var thousandEmoji = string.Concat(Enumerable.Repeat("😀", 1000));
        await device.Send(new { type = "reply", business_id = acme.Id, text = thousand, @ref = "ok-1000" });
        Assert.Equal("ok-1000", (await device.Next("reply_sent")).GetProperty("ref").GetString());
        await device.Send(new { type = "reply", business_id = acme.Id, text = thousandEmoji, @ref = "ok-emoji" });
        Assert.Equal("ok-emoji", (await device.Next("reply_sent")).GetProperty("ref").GetString());

        await host.Receiver.WaitForEvents(e => e.Count >= 2);
        await Task.Delay(300);
        Assert.Equal([thousand, thousandEmoji], host.Receiver.AcknowledgedEvents.Select(e => e.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_reply_frame_cannot_speak_for_another_number()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await host.SignIn(Bob);
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");

        await device.Send(new { type = "reply", business_id = acme.Id, text = "from Bob, honest", to = Bob, @ref = "spoof-to" });
        Assert.Equal("invalid_frame", (await device.Next("error")).GetProperty("code").GetString());
        await device.Send(new { type = "reply", business_id = acme.Id, text = "from Bob, honest", phone = Bob, @ref = "spoof-phone" });
        Assert.Equal("invalid_frame", (await device.Next("error")).GetProperty("code").GetString());

        await device.Send(new { type = "reply", business_id = acme.Id, text = "from Ann" });
        await device.Next("reply_sent");
        await host.Receiver.WaitForEvents(e => e.Count >= 1);
        await Task.Delay(300);
        var reply = Assert.Single(host.Receiver.AcknowledgedEvents);
        Assert.Equal(Ann, reply.GetProperty("to").GetString());
        Assert.Equal("from Ann", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Replies_from_two_consumers_each_carry_their_own_number()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var ann = await host.Connect(await host.SignIn(Ann));
        await using var bob = await host.Connect(await host.SignIn(Bob));
        await ann.Next("ready");
        await bob.Next("ready");

        await ann.Send(new { type = "reply", business_id = acme.Id, text = "Ann here" });
        var annReply = (await ann.Next("reply_sent")).GetProperty("reply_id").GetString();
        await bob.Send(new { type = "reply", business_id = acme.Id, text = "Bob here" });
        var bobReply = (await bob.Next("reply_sent")).GetProperty("reply_id").GetString();

        var events = await host.Receiver.WaitForEvents(e => e.Count >= 2);
        var byId = events.ToDictionary(e => e.GetProperty("event_id").GetString()!);
        Assert.Equal(Ann, byId[annReply!].GetProperty("to").GetString());
        Assert.Equal("Ann here", byId[annReply!].GetProperty("text").GetString());
        Assert.Equal(Bob, byId[bobReply!].GetProperty("to").GetString());
        Assert.Equal("Bob here", byId[bobReply!].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_blocked_two_way_sender_can_still_be_replied_to()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var token = await host.SignIn(Ann);
        using (var client = host.Client(token))
            await client.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);
        await using var device = await host.Connect(token);
        await device.Next("ready");

        await device.Send(new { type = "reply", business_id = acme.Id, text = "Please stop messaging me", @ref = "r" });
        Assert.Equal("r", (await device.Next("reply_sent")).GetProperty("ref").GetString());
        var events = await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.Equal(["unsubscribed", "reply"], events.Select(TypeOf));
    }

    [Fact]
    public async Task A_browser_device_authenticated_by_its_first_frame_can_reply_too()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var browser = await TestDevice.Connect(host.BaseAddress, await host.SignIn(Ann), tokenInFrame: true);
        await browser.Next("ready");
        await browser.Send(new { type = "reply", business_id = acme.Id, text = "from the web app", @ref = "web" });
        Assert.Equal("web", (await browser.Next("reply_sent")).GetProperty("ref").GetString());
        var reply = Assert.Single(await host.Receiver.WaitForEvents(e => e.Count >= 1));
        Assert.Equal(Ann, reply.GetProperty("to").GetString());
    }

    [Fact]
    public async Task The_reply_text_is_encrypted_while_it_waits_and_gone_from_every_file_once_the_business_acknowledged_it()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "How did we do?" });
        await device.Next("message");
        await device.Ack("delivered", id);
        await host.Receiver.WaitForEvents(e => e.Count >= 1);

        var marker = "REPLY-MARKER-" + Guid.NewGuid().ToString("N");
        host.Receiver.FailNext(1); // the first try fails: the reply has to wait in the outbox for the retry
        await device.Send(new { type = "reply", business_id = acme.Id, message_id = id, text = $"Great service {marker}" });
        await device.Next("reply_sent");
        await Wait.Until(() => host.Receiver.Posts.Any(p => p.Answered == 500), TimeSpan.FromSeconds(10), "the failed first try");
        host.AssertNoClearText(marker); // waiting: only encrypted

        var events = await host.Receiver.WaitForEvents(e => e.Any(x => TypeOf(x) == "reply"));
        Assert.Equal($"Great service {marker}", events.Single(x => TypeOf(x) == "reply").GetProperty("text").GetString());
        Assert.Contains(host.Receiver.Posts, p => p.Answered == 500 && Encoding.UTF8.GetString(p.Body).Contains(marker, StringComparison.Ordinal));

        await device.DisposeAsync();
        await host.Stop(); // closes the database, checkpointing the WAL into the file
        SqliteConnection.ClearAllPools();
        host.AssertNoClearText(marker);
    }

    private static string? TypeOf(JsonElement e) => e.GetProperty("type").GetString();

    private static bool Signed(TestBusiness business, ReceivedPost post) =>
        post.VerifiesWith(business.WebhookSecret!);
}
