using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Herald.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests;

/// <summary>The heart of Herald: a message travels business → device, and its statuses travel back.</summary>
public sealed class LifecycleTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task Message_goes_to_the_device_and_delivered_and_seen_come_back_as_signed_callbacks()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var token = await host.SignIn(Phone);
        await using var device = await host.Connect(token);
        await device.Next("ready");

        var id = await business.SendOk(new
        {
            to = Phone, category = "promotional", text = "Spring sale 🌷", image_url = "https://acme.example/sale.png",
            button = new { caption = "Shop now", action = "app://shop/spring" }, qr = "SALE-2026", tracking_data = "campaign-7",
        });
        Assert.Equal("accepted", (await business.Status(id)).GetProperty("status").GetString());

        var frame = (await device.Next("message")).GetProperty("message");
        Assert.Equal(id, frame.GetProperty("message_id").GetString());
        Assert.Equal("Spring sale 🌷", frame.GetProperty("text").GetString());
        Assert.Equal("https://acme.example/sale.png", frame.GetProperty("image_url").GetString());
        Assert.Equal("app://shop/spring", frame.GetProperty("button").GetProperty("action").GetString());
        Assert.Equal("SALE-2026", frame.GetProperty("qr").GetString());
        Assert.Equal("promotional", frame.GetProperty("category").GetString());
        var sender = frame.GetProperty("sender");
        Assert.Equal("Acme Parcels", sender.GetProperty("name").GetString());
        Assert.True(sender.GetProperty("verified").GetBoolean());
        Assert.Equal("https://acme.example/about", sender.GetProperty("learn_more_url").GetString());
        Assert.False(sender.GetProperty("two_way").GetBoolean());

        await device.Ack("delivered", id);
        await business.WaitForStatus(id, "delivered");
        await device.Ack("seen", id);
        await business.WaitForStatus(id, "seen");

        var events = await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.Equal(["delivered", "seen"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.All(events, e =>
        {
            Assert.Equal(id, e.GetProperty("message_id").GetString());
            Assert.Equal(Phone, e.GetProperty("to").GetString());
            Assert.Equal("campaign-7", e.GetProperty("tracking_data").GetString());
            Assert.StartsWith("evt_", e.GetProperty("event_id").GetString());
            Assert.EndsWith("Z", e.GetProperty("timestamp").GetString()); // ISO 8601 UTC
        });
        Assert.NotEqual(events[0].GetProperty("event_id").GetString(), events[1].GetProperty("event_id").GetString());
        foreach (var post in host.Receiver.Posts)
            Assert.True(post.VerifiesWith(business.WebhookSecret!));

        var status = await business.Status(id);
        Assert.True(status.GetProperty("delivered_at").GetDateTimeOffset() <= status.GetProperty("seen_at").GetDateTimeOffset());
        Assert.False(status.TryGetProperty("text", out _)); // status never carries content
        Assert.Null(ContentOf(host, id)); // delivered to the only device: content purged
    }

    [Fact]
    public async Task Seen_without_delivered_reports_both_in_lifecycle_order()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var device = await host.Connect(await host.SignIn(Phone));
        var id = await business.SendOk(new { to = Phone, category = "transactional", text = "Your code is 4242" });
        await device.Next("message");

        await device.Ack("seen", id);
        var events = await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.Equal(["delivered", "seen"], events.Select(e => e.GetProperty("type").GetString()));

        await device.Ack("delivered", id); // late: status only moves forward
        await Task.Delay(300);
        Assert.Equal("seen", (await business.Status(id)).GetProperty("status").GetString());
        Assert.Equal(2, host.Receiver.AcknowledgedEvents.Count);
    }

    [Fact]
    public async Task A_message_sent_while_offline_is_pushed_when_the_device_connects()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var token = await host.SignIn(Phone);
        var first = await business.SendOk(new { to = Phone, category = "transactional", text = "Parcel 1 is on its way" });
        var second = await business.SendOk(new { to = Phone, category = "transactional", text = "Parcel 2 is on its way", url = "https://acme.example/t/2" });

        await using var device = await host.Connect(token);
        var received = await device.MessagesWithin(TimeSpan.FromSeconds(1));
        Assert.Equal([first, second], received.Select(m => m.GetProperty("message_id").GetString()));
        Assert.Equal("https://acme.example/t/2", received[1].GetProperty("url").GetString());
    }

    [Fact]
    public async Task Reconnecting_repushes_only_what_the_device_has_not_acknowledged_and_never_twice_per_connection()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var token = await host.SignIn(Phone);
        var acked = await business.SendOk(new { to = Phone, category = "transactional", text = "one" });
        var unacked = await business.SendOk(new { to = Phone, category = "transactional", text = "two" });

        await using (var device = await host.Connect(token))
        {
            var first = await device.MessagesWithin(TimeSpan.FromMilliseconds(800));
            Assert.Equal(2, first.Count);
            await device.Ack("delivered", acked);
            await business.WaitForStatus(acked, "delivered");
        }

        await using var again = await host.Connect(token);
        var second = await again.MessagesWithin(TimeSpan.FromSeconds(1));
        Assert.Equal([unacked], second.Select(m => m.GetProperty("message_id").GetString()));
        await again.Ack("delivered", unacked);
        await business.WaitForStatus(unacked, "delivered");

        await using var third = await host.Connect(token);
        Assert.Empty(await third.MessagesWithin(TimeSpan.FromMilliseconds(800)));
    }

    [Fact]
    public async Task Every_device_gets_the_message_and_content_stays_until_the_last_one_acknowledges()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var phoneToken = await host.SignIn(Phone);
        var laptopToken = await host.SignIn(Phone);
        await using var phone = await host.Connect(phoneToken);
        await phone.Next("ready");

        var id = await business.SendOk(new { to = Phone, category = "transactional", text = "Delivered to your door" });
        await phone.Next("message");
        await phone.Ack("delivered", id);
        await business.WaitForStatus(id, "delivered");
        Assert.NotNull(ContentOf(host, id)); // the laptop has not had it yet

        await using var laptop = await host.Connect(laptopToken);
        var onLaptop = (await laptop.Next("message")).GetProperty("message");
        Assert.Equal(id, onLaptop.GetProperty("message_id").GetString());
        await laptop.Ack("delivered", id);
        await Wait.Until(() => ContentOf(host, id) is null, TimeSpan.FromSeconds(5), "content purge");

        var events = await host.Receiver.WaitForEvents(e => e.Count >= 1);
        await Task.Delay(300);
        Assert.Single(host.Receiver.AcknowledgedEvents); // one delivered event, not one per device
    }

    [Fact]
    public async Task An_unknown_phone_fails_with_not_registered_and_the_business_is_told()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var id = await business.SendOk(new { to = "+15550100999", category = "transactional", text = "Hello?", tracking_data = "t-1" });

        var status = await business.Status(id);
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal("not_registered", status.GetProperty("reason").GetString());
        var events = await host.Receiver.WaitForEvents(e => e.Count >= 1);
        Assert.Equal("failed", events[0].GetProperty("type").GetString());
        Assert.Equal("not_registered", events[0].GetProperty("reason").GetString());
        Assert.Equal("t-1", events[0].GetProperty("tracking_data").GetString());
    }

    [Fact]
    public async Task Acks_for_another_consumers_message_change_nothing()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await host.SignIn(Phone);
        var id = await business.SendOk(new { to = Phone, category = "transactional", text = "for Ann only" });
        await using var intruder = await host.Connect(await host.SignIn("+447700900999"));
        await intruder.Next("ready");
        await intruder.Ack("delivered", id);
        await intruder.Ack("seen", id);
        await Task.Delay(300);
        Assert.Equal("accepted", (await business.Status(id)).GetProperty("status").GetString());
        Assert.Empty(await intruder.MessagesWithin(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task The_device_can_authenticate_with_a_first_frame_and_a_bad_token_is_refused()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var token = await host.SignIn(Phone);
        await using var browser = await TestDevice.Connect(host.BaseAddress, token, tokenInFrame: true);
        await browser.Next("ready");
        var id = await business.SendOk(new { to = Phone, category = "transactional", text = "hi" });
        Assert.Equal(id, (await browser.Next("message")).GetProperty("message").GetProperty("message_id").GetString());

        await using var stranger = await TestDevice.Connect(host.BaseAddress, "hdt_not-a-token", tokenInFrame: true);
        Assert.Equal("unauthorized", (await stranger.Next("error")).GetProperty("code").GetString());
        await stranger.WaitClosed(TimeSpan.FromSeconds(5));
        Assert.Empty(await stranger.MessagesWithin(TimeSpan.FromMilliseconds(100)));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => host.Connect("hdt_not-a-token"));
        Assert.Contains("401", refused.Message + refused.InnerException?.Message);
    }

    [Fact]
    public async Task Bad_frames_get_an_error_frame_and_the_connection_stays_usable()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var device = await host.Connect(await host.SignIn(Phone));
        await device.Next("ready");
        await device.SendRaw("{not json");
        Assert.Equal("invalid_frame", (await device.Next("error")).GetProperty("code").GetString());
        await device.Send(new { type = "dance" });
        Assert.Equal("unknown_type", (await device.Next("error")).GetProperty("code").GetString());
        await device.Send(new { type = "delivered", message_ids = Array.Empty<string>() });
        Assert.Equal("invalid_frame", (await device.Next("error")).GetProperty("code").GetString());
        // Found by WebSocketFuzzTests: a null id among good ones failed the whole ack's store with an exception.
        await device.SendRaw("""{"type":"seen","message_ids":["msg_unknown",null],"ref":"n1"}""");
        var nullId = await device.Next("error");
        Assert.Equal(("invalid_frame", "n1"), (nullId.GetProperty("code").GetString(), nullId.GetProperty("ref").GetString()));
        await device.SendRaw("""{"type":"delivered","message_ids":[""]}""");
        Assert.Equal("invalid_frame", (await device.Next("error")).GetProperty("code").GetString());

        var id = await business.SendOk(new { to = Phone, category = "transactional", text = "still here" });
        Assert.Equal(id, (await device.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        Assert.DoesNotContain(host.Logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_oversized_frame_closes_the_connection_with_message_too_big()
    {
        await using var host = await HeraldHost.Start();
        await using var device = await host.Connect(await host.SignIn(Phone));
        await device.Next("ready");
        await device.SendRaw("{\"type\":\"seen\",\"message_ids\":[\"" + new string('x', 100_000) + "\"]}");
        await device.WaitClosed(TimeSpan.FromSeconds(5));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig, device.CloseStatus);
    }

    /// <summary>The stored (encrypted) content of a message, read straight from the server's database.</summary>
    internal static byte[]? ContentOf(HeraldHost host, string messageId)
    {
        using var lease = host.Services.GetRequiredService<Database>().Read();
        using var command = lease.Connection.CreateCommand();
        command.CommandText = "SELECT content FROM messages WHERE id=@id";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        id.Value = messageId;
        command.Parameters.Add(id);
        return command.ExecuteScalar() as byte[];
    }
}
