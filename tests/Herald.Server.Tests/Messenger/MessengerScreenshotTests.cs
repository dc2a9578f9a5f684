using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>The main screens on a phone and a desktop, saved to artifacts/screenshots for people to look at.</summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerScreenshotTests(Browser browser)
{
    [Theory]
    [InlineData(false, "desktop")]
    [InlineData(true, "phone")]
    public async Task The_main_screens_are_saved_as_screenshots(bool phone, string device)
    {
        await using var host = await HeraldHost.Start();
        const string consumer = "+447700900123";
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example", description: "Parcel delivery across the UK, tracked to your door.");
        var florist = await Senders.Create(host, "Bloom Florists", "bloom.example", description: "Fresh flowers, delivered the same day.");
        var dentist = await Senders.Create(host, "City Dental", "citydental.example", twoWay: true, description: "Your local dental practice. Reply to talk to our front desk.");
        await using var messenger = await MessengerPage.Open(browser, host, phone);
        await messenger.Page.GotoAsync("/app/");
        await Expect(messenger.Page.GetByLabel("Phone number")).ToBeFocusedAsync();
        await Browser.Screenshot(messenger.Page, $"messenger-{device}-sign-in");
        await messenger.SignIn(consumer);

        await florist.SendOk(new
        {
            to = consumer, category = "promotional", text = "🌷 Spring is here! Show this code in store for 20% off any bouquet.",
            image_url = "https://bloom.example/images/spring.svg", qr = "BLOOM-SPRING-2026-0042",
            button = new { caption = "Shop the collection", action = "https://bloom.example/spring" },
        });
        await parcels.SendOk(new { to = consumer, category = "transactional", text = "Your parcel AB-1234 is out for delivery and arrives between 2 and 4 pm today.", url = "https://acme.example/track/AB-1234" });
        var reminder = await dentist.SendOk(new { to = consumer, category = "transactional", text = "Reminder: your check-up is tomorrow at 9:30 with Dr Patel. Reply YES to confirm." });
        await Expect(messenger.ChatRows).ToHaveCountAsync(3);
        await Browser.Screenshot(messenger.Page, $"messenger-{device}-chats");

        await messenger.OpenChat(dentist.Id);
        await Expect(messenger.Bubble(reminder)).ToBeVisibleAsync();
        await messenger.Composer.FillAsync("YES, see you then 👍");
        await messenger.Composer.PressAsync("Enter");
        await Expect(messenger.Page.GetByRole(AriaRole.Img, new() { Name = "Sent" })).ToBeVisibleAsync();
        await Browser.Screenshot(messenger.Page, $"messenger-{device}-two-way-chat");

        await messenger.Page.GoBackAsync();
        await messenger.OpenChat(florist.Id);
        await Expect(messenger.Page.Locator(".bubble-image")).ToHaveJSPropertyAsync("complete", true);
        await Browser.Screenshot(messenger.Page, $"messenger-{device}-chat");

        await messenger.OpenSettings();
        await Browser.Screenshot(messenger.Page, $"messenger-{device}-settings");
        Assert.Empty(messenger.Errors);
    }
}
