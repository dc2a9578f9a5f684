using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// A click on a notification the worker showed opens the Messenger on that sender's chat. Playwright cannot click an
/// operating-system notification, so the test takes the real notification the worker showed for a real push
/// (<c>registration.getNotifications()</c>) and dispatches the browser's <c>notificationclick</c> event for it inside the
/// worker; what it checks is the chat the Messenger window then shows. With no Messenger window open the worker opens one
/// (<c>clients.openWindow</c>), which Chromium allows only for a click the person made: a dispatched event cannot show
/// that case, so it is not tested here.
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerNotificationClickTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Clicking_a_notification_shows_its_chat_in_the_open_Messenger_window(bool phone)
    {
        await using var host = await HeraldHost.Start();
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        var florist = await Senders.Create(host, "Bloom Florists", "bloom.example");
        await using var messenger = await MessengerPushTests.SignedInWithWorker(browser, host, phone);
        await florist.SendOk(new { to = Phone, category = "transactional", text = "Your roses are on their way" });
        await Expect(messenger.ChatRow(florist.Id)).ToBeVisibleAsync();
        var token = await MessengerPushTests.DeviceToken(messenger);
        var worker = await WorkerProbe.Open(messenger.Context);
        await worker.CloseApp(messenger.Page);

        // With the app closed, a push: the worker stores it and shows the notification.
        var id = await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel AB-1234 arrives today" });
        await worker.Push(new { type = "message", message = await MessengerPushTests.Waiting(host, token, id), notify = true });
        await worker.NotificationFor(parcels.Id);

        // The person opens the Messenger on another chat, then clicks the notification.
        var page = await messenger.Context.NewPageAsync();
        await page.GotoAsync($"/app/chats/{florist.Id}");
        await Expect(page.Locator($".chat[data-sender='{florist.Id}'][data-loaded]")).ToBeVisibleAsync();
        await worker.Click(parcels.Id);

        await Expect(page.Locator($".chat[data-sender='{parcels.Id}'][data-loaded]")).ToBeVisibleAsync();
        await Expect(page.Locator(".chat-header h1")).ToHaveTextAsync("Acme Parcels");
        await Expect(page.Locator($".bubble[data-id='{id}']")).ToContainTextAsync("Your parcel AB-1234 arrives today");
        Assert.EndsWith($"/app/chats/{parcels.Id}", page.Url, StringComparison.Ordinal);
        Assert.Empty(await worker.Notifications()); // the click closed it
        if (phone) // for people to look at: the chat a notification opened, its message received while the app was closed
            await Browser.Screenshot(page, "messenger-phone-opened-from-notification");
    }
}
