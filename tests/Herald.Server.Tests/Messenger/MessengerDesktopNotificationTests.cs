using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// The notification a push shows, as the desktop receives it, and the person's click on it. Chromium runs with a window
/// on a virtual display (<see cref="DesktopBrowser"/>) whose session bus has a notification server: Chromium hands it
/// the worker's notification (title, body, icon, a default action), and the server's ActionInvoked signal, which is
/// what a desktop sends when the person clicks, makes Chromium dispatch a real <c>notificationclick</c>. So the worker
/// may open a window (<c>clients.openWindow</c>), which a click dispatched in the worker by a script may not
/// (<see cref="MessengerNotificationClickTests"/>).
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerDesktopNotificationTests(DesktopBrowser desktop) : IClassFixture<DesktopBrowser>, IDisposable
{
    private readonly DirectoryInfo _profile = Directory.CreateTempSubdirectory("herald-chromium-");
    private const string Phone = "+447700900123";
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(60); // two shared cores, ~440 tests at once

    [Fact]
    public async Task A_click_on_the_desktop_notification_with_no_Messenger_window_open_opens_its_chat_in_a_new_window()
    {
        await using var host = await HeraldHost.Start();
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var messenger = await SignedIn(host);
        var token = await MessengerPushTests.DeviceToken(messenger);
        // The probe's page is on Herald's start page, outside the worker's scope: no Messenger window is left open,
        // and the browser keeps running as it does on a desktop with other pages open.
        var worker = await WorkerProbe.Open(messenger.Context);
        await messenger.Page.CloseAsync();
        Assert.DoesNotContain(messenger.Context.Pages, p => new Uri(p.Url).AbsolutePath.StartsWith("/app/", StringComparison.Ordinal));

        var id = await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel AB-1234 arrives today" });
        await worker.Push(new { type = "message", message = await MessengerPushTests.Waiting(host, token, id), notify = true });

        var shown = await desktop.Notifications.WaitFor(n => n.Summary == "Acme Parcels ✓" && FromHost(n, host), "the parcel notification on the desktop", Slow);
        // Chromium puts the site above the text (the server takes no markup); the sender's logo goes as a PNG file.
        Assert.Equal($"{host.BaseAddress.Authority}\n\nYour parcel AB-1234 arrives today", shown.Body);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes((string)shown.Hints["image-path"]).Take(4));
        Assert.Contains("default", shown.ActionKeys); // a click on it is delivered to the browser
        Assert.Equal(parcels.Id, (await worker.NotificationFor(parcels.Id)).BusinessId); // the worker's own notification

        var opened = messenger.Context.WaitForPageAsync(new() { Timeout = (float)Slow.TotalMilliseconds });
        desktop.Notifications.Click(shown.Id);
        var page = await opened;

        await Expect(page).ToHaveURLAsync(new Uri(host.BaseAddress, $"/app/chats/{parcels.Id}").ToString(), new() { Timeout = (float)Slow.TotalMilliseconds });
        await Expect(page.Locator($".chat[data-sender='{parcels.Id}'][data-loaded]")).ToBeVisibleAsync(new() { Timeout = (float)Slow.TotalMilliseconds });
        await Expect(page.Locator(".chat-header h1")).ToHaveTextAsync("Acme Parcels");
        await Expect(page.Locator($".bubble[data-id='{id}']")).ToContainTextAsync("Your parcel AB-1234 arrives today");
        await Wait.Until(async () => (await worker.Notifications()).Count == 0, Slow, "the clicked notification gone from the worker's list");
    }

    [Fact]
    public async Task A_click_on_the_desktop_notification_switches_the_open_Messenger_window_to_its_chat()
    {
        await using var host = await HeraldHost.Start();
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        var florist = await Senders.Create(host, "Bloom Florists", "bloom.example");
        await using var messenger = await SignedIn(host);
        await florist.SendOk(new { to = Phone, category = "transactional", text = "Your roses are on their way" });
        await Expect(messenger.ChatRow(florist.Id)).ToBeVisibleAsync();
        var token = await MessengerPushTests.DeviceToken(messenger);
        var worker = await WorkerProbe.Open(messenger.Context);
        await messenger.Page.CloseAsync();

        // With the app closed, a push: the desktop shows its notification (in sight, the app would show the message).
        var id = await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel AB-1234 arrives today" });
        await worker.Push(new { type = "message", message = await MessengerPushTests.Waiting(host, token, id), notify = true });
        var shown = await desktop.Notifications.WaitFor(n => n.Summary == "Acme Parcels ✓" && FromHost(n, host), "the parcel notification on the desktop", Slow);

        // The person opens the Messenger on another chat, then clicks the notification.
        var page = await messenger.Context.NewPageAsync();
        await page.GotoAsync($"/app/chats/{florist.Id}");
        await Expect(page.Locator($".chat[data-sender='{florist.Id}'][data-loaded]")).ToBeVisibleAsync();
        var pages = messenger.Context.Pages.Count;
        desktop.Notifications.Click(shown.Id);

        await Expect(page.Locator($".chat[data-sender='{parcels.Id}'][data-loaded]")).ToBeVisibleAsync(new() { Timeout = (float)Slow.TotalMilliseconds });
        await Expect(page.Locator(".chat-header h1")).ToHaveTextAsync("Acme Parcels");
        await Expect(page.Locator($".bubble[data-id='{id}']")).ToContainTextAsync("Your parcel AB-1234 arrives today");
        Assert.EndsWith($"/app/chats/{parcels.Id}", page.Url, StringComparison.Ordinal);
        Assert.Equal(pages, messenger.Context.Pages.Count); // the open window was used, no second one
    }

    // The server outlives each test's browser: a notification of an earlier test is told apart by the site it names.
    private static bool FromHost(NotificationServer.Shown notification, HeraldHost host) =>
        notification.Body.StartsWith(host.BaseAddress.Authority + "\n", StringComparison.Ordinal);

    /// <summary>The Messenger signed in, in a Chromium of its own on the test desktop, notifications allowed.</summary>
    private async Task<MessengerPage> SignedIn(HeraldHost host)
    {
        var context = await desktop.NewProfile(host.BaseAddress, _profile.FullName);
        await TestSites.Serve(context);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        return await MessengerPushTests.SignedInWithWorker(MessengerPage.In(context, page, host), host);
    }

    public void Dispose() => _profile.Delete(recursive: true);
}
