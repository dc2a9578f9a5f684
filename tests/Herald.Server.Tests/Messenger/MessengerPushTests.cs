using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// Web Push reaching the Messenger's service worker while no Messenger page is open. Headless Chromium has no push
/// service to subscribe with (PushManager.subscribe needs the browser vendor's), so the push is delivered the way the
/// browser hands one to a worker, through the DevTools protocol, with the payload Herald sends: the message exactly as
/// Herald gives it (GET /consumer/v1/messages/waiting), or a content-free wake-up.
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerPushTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_pushed_message_is_stored_notified_and_acknowledged_with_the_app_closed_and_a_second_push_of_it_changes_nothing()
    {
        await using var host = await HeraldHost.Start();
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        var florist = await Senders.Create(host, "Bloom Florists", "bloom.example");
        await using var messenger = await SignedInWithWorker(browser, host);
        var token = await DeviceToken(messenger);
        var worker = await WorkerProbe.Open(messenger.Context);
        await worker.CloseApp(messenger.Page);

        var id = await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel AB-1234 arrives today" });
        var message = await Waiting(host, token, id);
        await worker.Push(new { type = "message", message, notify = true });

        var shown = await worker.NotificationFor(parcels.Id);
        Assert.Equal("Acme Parcels ✓", shown.Title);
        Assert.Equal("Your parcel AB-1234 arrives today", shown.Body);
        // The worker fetched the sender's logo itself (two seconds at most) and handed it over inline.
        Assert.StartsWith("data:image/svg+xml;base64,", shown.Icon, StringComparison.Ordinal);
        Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(shown.Icon[(shown.Icon.IndexOf(',') + 1)..])), StringComparison.Ordinal);
        Assert.Equal(id, shown.Data.GetProperty("message_id").GetString());
        await host.Receiver.WaitFor("delivered", id);
        var stored = await worker.Stored("messages", id);
        Assert.Equal("Your parcel AB-1234 arrives today", stored!.Value.GetProperty("text").GetString());
        Assert.Equal(1, (await worker.Stored("senders", parcels.Id))!.Value.GetProperty("unread").GetInt32());
        // Herald's 200 to the HTTP ack is the confirmation: the kept ack is forgotten, as after an `acked` frame.
        await Wait.Until(async () => await worker.Stored("acks", id) is null, TimeSpan.FromSeconds(10), "the confirmed ack forgotten");

        // The same push again (the push service retried): not stored or notified twice. Pushes are handled in order,
        // so once the next message's notification shows, the repeat has been handled.
        await worker.CloseNotifications();
        await worker.Push(new { type = "message", message, notify = true });
        var offer = await florist.SendOk(new { to = Phone, category = "promotional", text = "20% off this week" });
        await worker.Push(new { type = "message", message = await Waiting(host, token, offer), notify = true });
        Assert.Equal("Bloom Florists ✓ · Promotion", (await worker.NotificationFor(florist.Id)).Title);
        Assert.Equal([florist.Id], (await worker.Notifications()).Select(n => n.BusinessId));
        Assert.Equal(1, (await worker.Stored("senders", parcels.Id))!.Value.GetProperty("unread").GetInt32());
        await host.Receiver.WaitFor("delivered", offer);
        Assert.Equal(1, host.Receiver.AcknowledgedEvents.Count(e => e.Is("delivered", id)));
    }

    [Fact]
    public async Task A_wake_up_push_makes_the_worker_fetch_what_waits_and_a_muted_sender_or_hidden_previews_are_honoured()
    {
        await using var host = await HeraldHost.Start();
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        var shop = await Senders.Create(host, "Corner Shop", "corner.example", verified: false);
        await using var messenger = await SignedInWithWorker(browser, host);
        var token = await DeviceToken(messenger);
        var worker = await WorkerProbe.Open(messenger.Context);
        await worker.CloseApp(messenger.Page);

        // notify:false (the consumer muted the sender): stored and acknowledged, no notification.
        var quiet = await parcels.SendOk(new { to = Phone, category = "transactional", text = "Muted sender's news" });
        await worker.Push(new { type = "message", message = await Waiting(host, token, quiet), notify = false });
        await worker.SetPreference("notification_previews", false);
        var woken = await shop.SendOk(new { to = Phone, category = "transactional", text = "Your order is ready" });
        await worker.Push(new { type = "wake" });

        var shown = await worker.NotificationFor(shop.Id);
        Assert.Equal("Corner Shop", shown.Title); // not verified: no tick
        Assert.Equal("New message", shown.Body); // previews off: no text
        Assert.Equal([shop.Id], (await worker.Notifications()).Select(n => n.BusinessId));
        Assert.NotNull(await worker.Stored("messages", quiet));
        Assert.Equal("Your order is ready", (await worker.Stored("messages", woken))!.Value.GetProperty("text").GetString());
        await host.Receiver.WaitFor("delivered", quiet);
        await host.Receiver.WaitFor("delivered", woken);
    }

    /// <summary>Signed in, notifications allowed (unless told), and the Messenger's service worker active and controlling the page.</summary>
    internal static async Task<MessengerPage> SignedInWithWorker(Browser browser, HeraldHost host, bool phone = false, bool notifications = true) =>
        await SignedInWithWorker(await MessengerPage.Open(browser, host, phone), host, notifications);

    internal static async Task<MessengerPage> SignedInWithWorker(MessengerPage messenger, HeraldHost host, bool notifications = true)
    {
        // With permission the app renews its push subscription at start, and Chromium logs that its test profiles
        // (incognito to it) have no Push API: a browser message, not the app's.
        if (notifications)
            await messenger.Context.GrantPermissionsAsync(["notifications"], new() { Origin = host.BaseAddress.GetLeftPart(UriPartial.Authority) });
        await messenger.SignIn(Phone);
        Assert.EndsWith("/app/sw.js", await messenger.Page.EvaluateAsync<string>("async () => (await navigator.serviceWorker.ready).active.scriptURL"));
        await messenger.Page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");
        return messenger;
    }

    internal static Task<string> DeviceToken(MessengerPage messenger) =>
        messenger.Page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('herald.session')).token");

    /// <summary>The message as Herald hands it to this device (the object a push or a WebSocket frame carries).</summary>
    internal static async Task<JsonElement> Waiting(HeraldHost host, string token, string messageId)
    {
        using var client = host.Client(token);
        var waiting = await client.GetFromJsonAsync<JsonElement>("/consumer/v1/messages/waiting");
        return waiting.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("message_id").GetString() == messageId);
    }
}
