using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// One consumer on two devices (two browser profiles: a desktop and a phone): read state and replies in step, the
/// device list with sign-out of the other one, mute beside unsubscribe, and what a device without history says.
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerDevicesTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task Reading_on_one_device_clears_the_unread_count_on_the_other_live_and_after_a_reconnect()
    {
        await using var host = await HeraldHost.Start();
        var business = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var desktop = await MessengerPage.Open(browser, host);
        await using var phone = await MessengerPage.Open(browser, host, phone: true);
        await desktop.SignIn(Phone);
        await phone.SignIn(Phone);
        await business.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });
        await business.SendOk(new { to = Phone, category = "transactional", text = "Your parcel arrives at 2 pm" });
        await Expect(desktop.ChatRow(business.Id).GetByLabel("2 unread")).ToBeVisibleAsync();
        await Expect(phone.ChatRow(business.Id).GetByLabel("2 unread")).ToBeVisibleAsync();
        await Expect(phone.Page).ToHaveTitleAsync("(2) Herald Messenger");

        await desktop.OpenChat(business.Id);

        await Expect(phone.ChatRow(business.Id).Locator(".unread-count")).ToHaveCountAsync(0);
        await Expect(phone.Page).ToHaveTitleAsync("Herald Messenger");
        // Read elsewhere is not seen here: the phone sends no seen ack of its own.
        await Task.Delay(300);
        Assert.Equal(2, host.Receiver.AcknowledgedEvents.Count(e => e.Is("seen")));

        // The phone is closed while the desktop reads the next message: it learns it when it connects again.
        await desktop.OpenSettings(); // no chat open: the next message stays unread on both
        var third = await business.SendOk(new { to = Phone, category = "transactional", text = "Delivered to your neighbour" });
        await Expect(phone.ChatRow(business.Id).GetByLabel("1 unread")).ToBeVisibleAsync();
        await Expect(desktop.ChatRow(business.Id).GetByLabel("1 unread")).ToBeVisibleAsync();
        await phone.Page.CloseAsync();
        await desktop.OpenChat(business.Id);
        await host.Receiver.WaitFor("seen", third);
        var reopened = await phone.Context.NewPageAsync();
        await reopened.GotoAsync("/app/");
        await Expect(reopened.Locator("body")).ToHaveAttributeAsync("data-connection", "online");
        await Expect(reopened.Locator($".chat-row[data-sender='{business.Id}'] .unread-count")).ToHaveCountAsync(0);
        await Expect(reopened).ToHaveTitleAsync("Herald Messenger");
        Assert.Empty(desktop.Errors);
    }

    [Fact]
    public async Task A_reply_sent_on_one_device_appears_on_the_other_once()
    {
        await using var host = await HeraldHost.Start();
        var dentist = await Senders.Create(host, "City Dental", "citydental.example", twoWay: true);
        await using var desktop = await MessengerPage.Open(browser, host);
        await using var phone = await MessengerPage.Open(browser, host, phone: true);
        await desktop.SignIn(Phone);
        await phone.SignIn(Phone);
        await dentist.SendOk(new { to = Phone, category = "transactional", text = "Reply YES to confirm your check-up" });
        await desktop.OpenChat(dentist.Id);
        await phone.OpenChat(dentist.Id);

        await desktop.Composer.FillAsync("YES, see you then");
        await desktop.Composer.PressAsync("Enter");
        await host.Receiver.WaitFor("reply");

        var echoed = phone.Bubbles.Filter(new() { HasText = "YES, see you then" });
        await Expect(echoed).ToHaveCountAsync(1);
        await Expect(echoed).ToContainTextAsync("Sent from another device");
        await Expect(echoed.GetByRole(AriaRole.Img, new() { Name = "Sent" })).ToBeVisibleAsync();
        var sent = desktop.Bubbles.Filter(new() { HasText = "YES, see you then" });
        await Expect(sent).ToHaveCountAsync(1); // not echoed back to the device that sent it
        await Expect(sent).Not.ToContainTextAsync("another device");

        await phone.Composer.FillAsync("Can I bring my son too?");
        await phone.Composer.PressAsync("Enter");
        await Expect(desktop.Bubbles.Filter(new() { HasText = "Can I bring my son too?" })).ToContainTextAsync("Sent from another device");

        // Kept in the phone's history, once, and shown in its chat list.
        await phone.Page.ReloadAsync();
        await Expect(phone.Bubbles.Filter(new() { HasText = "YES, see you then" })).ToHaveCountAsync(1);
        await phone.Page.GetByRole(AriaRole.Link, new() { Name = "Back to chats" }).ClickAsync();
        await Expect(phone.ChatRow(dentist.Id)).ToContainTextAsync("You: Can I bring my son too?");
        Assert.Empty(desktop.Errors);
        Assert.Empty(phone.Errors);
    }

    [Fact]
    public async Task Settings_list_the_devices_and_sign_the_other_one_out()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var desktop = await MessengerPage.Open(browser, host);
        await using var phone = await MessengerPage.Open(browser, host, phone: true);
        await desktop.SignIn(Phone);
        await phone.SignIn(Phone);

        await desktop.OpenSettings();
        var devices = desktop.Page.GetByRole(AriaRole.Region, new() { Name = "Signed-in devices" });
        await Expect(devices.Locator("[data-device]")).ToHaveCountAsync(2);
        var self = devices.Locator("[data-device]", new() { HasText = "This device" });
        await Expect(self).ToHaveCountAsync(1);
        await Expect(self).ToContainTextAsync("Active now");
        await Expect(self.GetByRole(AriaRole.Button)).ToHaveCountAsync(0); // signing this one out is the Account's "Sign out"
        var other = devices.Locator("[data-device]", new() { HasNotText = "This device" });
        await Expect(other).ToContainTextAsync("Chrome");

        await other.GetByRole(AriaRole.Button, new() { NameRegex = new("^Sign out ") }).ClickAsync();
        await Expect(desktop.Dialog).ToContainTextAsync("That device stops receiving messages at once");
        await desktop.Confirm("Sign out");

        await Expect(devices.Locator("[data-device]")).ToHaveCountAsync(1);
        // The phone's socket was closed: it finds out, forgets its history and shows the sign-in screen.
        await Expect(phone.Page.GetByLabel("Phone number")).ToBeVisibleAsync();
        await Expect(phone.Page.GetByText("You were signed out.")).ToBeVisibleAsync();
        var sent = await business.SendOk(new { to = Phone, category = "transactional", text = "Only for the desktop" });
        await host.Receiver.WaitFor("delivered", sent);
        Assert.Empty(desktop.Errors);
    }

    [Fact]
    public async Task Mute_silences_a_sender_whose_messages_still_arrive_and_unsubscribe_stops_them_each_listed_in_settings()
    {
        await using var host = await HeraldHost.Start();
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        var florist = await Senders.Create(host, "Bloom Florists", "bloom.example");
        await using var messenger = await MessengerPage.Open(browser, host, phone: true);
        await messenger.SignIn(Phone);
        await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });
        await florist.SendOk(new { to = Phone, category = "promotional", text = "Spring sale" });

        await messenger.OpenChat(parcels.Id);
        var mute = messenger.Button("Mute");
        var unsubscribe = messenger.Button("Unsubscribe");
        // Two icons that do not read as each other: a bell struck out, and a no-entry sign.
        await Expect(mute.Locator("svg")).ToHaveClassAsync("icon icon-bellOff");
        await Expect(unsubscribe.Locator("svg")).ToHaveClassAsync("icon icon-block");
        await mute.ClickAsync(); // no question: it is undone as easily
        await Expect(messenger.Button("Unmute")).ToBeVisibleAsync();
        Assert.True(await SenderEntry(messenger, parcels.Id) is { } entry && entry.GetProperty("muted").GetBoolean() && !entry.GetProperty("blocked").GetBoolean());
        Assert.True(await StoredSender(messenger, parcels.Id) is { } stored && stored.GetProperty("muted").GetBoolean()); // for the service worker

        var still = await parcels.SendOk(new { to = Phone, category = "transactional", text = "Delivered to your neighbour" });
        await Expect(messenger.Bubble(still)).ToBeVisibleAsync();
        Assert.DoesNotContain(host.Receiver.AcknowledgedEvents, e => e.Is("unsubscribed")); // the business is not told

        await messenger.OpenChat(florist.Id);
        await messenger.Button("Unsubscribe").ClickAsync();
        await messenger.Confirm("Unsubscribe");
        await host.Receiver.WaitFor("unsubscribed");
        await Expect(messenger.Button("Mute")).ToHaveCountAsync(0); // nothing arrives to be silenced

        await messenger.OpenSettings();
        var silenced = messenger.Page.GetByRole(AriaRole.Region, new() { Name = "Muted and unsubscribed" });
        await Expect(silenced.Locator($"[data-sender='{parcels.Id}']")).ToContainTextAsync("Muted: messages arrive without notifications");
        await Expect(silenced.Locator($"[data-sender='{florist.Id}']")).ToContainTextAsync("Unsubscribed: messages no longer reach you");

        await silenced.GetByRole(AriaRole.Button, new() { Name = "Unmute Acme Parcels" }).ClickAsync();
        await Expect(silenced.Locator($"[data-sender='{parcels.Id}']")).ToHaveCountAsync(0);
        Assert.False((await SenderEntry(messenger, parcels.Id))!.Value.GetProperty("muted").GetBoolean());
        await silenced.GetByRole(AriaRole.Button, new() { Name = "Resubscribe Bloom Florists" }).ClickAsync();
        await host.Receiver.WaitFor("subscribed");
        await Expect(silenced).ToContainTextAsync("You have not muted or unsubscribed from any sender.");
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task The_notification_text_setting_is_kept_on_the_device_for_the_service_worker()
    {
        await using var host = await HeraldHost.Start();
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        await messenger.OpenSettings();
        var previews = messenger.Switch("Show message text in notifications");
        await Expect(previews).ToBeCheckedAsync(); // on by default

        await previews.UncheckAsync();
        await Expect(previews).ToBeEnabledAsync();
        Assert.Equal("false", await StoredSetting(messenger, "notification_previews"));
        await messenger.Page.ReloadAsync();
        await Expect(messenger.Switch("Show message text in notifications")).Not.ToBeCheckedAsync();
    }

    [Fact]
    public async Task A_new_device_says_that_history_stays_on_the_device_that_received_it()
    {
        await using var host = await HeraldHost.Start();
        var business = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var first = await MessengerPage.Open(browser, host);
        await first.SignIn(Phone);
        var sent = await business.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });
        await host.Receiver.WaitFor("delivered", sent);

        await using var second = await MessengerPage.Open(browser, host, phone: true);
        await second.SignIn(Phone);
        await Expect(second.ChatRow(business.Id)).ToContainTextAsync("No messages on this device");
        await second.OpenChat(business.Id);
        await Expect(second.Page.GetByText("Your history stays on the device where each message was received")).ToBeVisibleAsync();
        await Expect(second.Bubbles).ToHaveCountAsync(0);
    }

    /// <summary>The sender as Herald lists it for this consumer, asked with the page's own device token.</summary>
    private static async Task<JsonElement?> SenderEntry(MessengerPage messenger, string businessId)
    {
        var session = JsonDocument.Parse(await messenger.Page.EvaluateAsync<string>("() => localStorage.getItem('herald.session')"));
        using var client = Api.Client(new Uri(messenger.Page.Url), session.RootElement.GetProperty("token").GetString());
        var list = await client.GetFromJsonAsync<JsonElement>("/consumer/v1/senders");
        return list.EnumerateArray().Select(e => (JsonElement?)e).FirstOrDefault(e => e!.Value.GetProperty("business_id").GetString() == businessId);
    }

    private static Task<JsonElement> StoredSender(MessengerPage messenger, string businessId) =>
        ReadStore(messenger, "senders", businessId);

    private static async Task<string> StoredSetting(MessengerPage messenger, string key) =>
        (await ReadStore(messenger, "settings", key)).GetRawText();

    private static Task<JsonElement> ReadStore(MessengerPage messenger, string store, string key) =>
        messenger.Page.EvaluateAsync<JsonElement>("""
            ([store, key]) => new Promise((resolve, reject) => {
              const open = indexedDB.open('herald-messenger');
              open.onsuccess = () => {
                const request = open.result.transaction(store).objectStore(store).get(key);
                request.onsuccess = () => { open.result.close(); resolve(request.result ?? null); };
                request.onerror = () => reject(request.error);
              };
              open.onerror = () => reject(open.error);
            })
            """, new[] { store, key });
}
