using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>Messages arriving live, and every content kind as the consumer sees it; hostile content stays inert.</summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerContentTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_live_message_lands_in_its_senders_chat_with_logo_name_tick_and_unread_count()
    {
        await using var host = await HeraldHost.Start();
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        var unverified = await Senders.Create(host, "Corner Shop", "corner.example", verified: false);
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);

        var first = await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });
        await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel arrives at 2 pm" });
        await unverified.SendOk(new { to = Phone, category = "transactional", text = "Your order is ready" });

        var row = messenger.ChatRow(parcels.Id);
        await Expect(row).ToContainTextAsync("Acme Parcels");
        await Expect(row).ToContainTextAsync("Your parcel arrives at 2 pm");
        await Expect(row.GetByLabel("2 unread")).ToHaveTextAsync("2");
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Verified" })).ToBeVisibleAsync();
        await Expect(row.Locator("img.avatar")).ToHaveAttributeAsync("src", "https://acme.example/logo.svg");
        await Expect(row.Locator("img.avatar")).ToHaveJSPropertyAsync("naturalWidth", 96);
        var other = messenger.ChatRow(unverified.Id);
        await Expect(other).ToContainTextAsync("Your order is ready");
        await Expect(other.GetByRole(AriaRole.Img, new() { Name = "Verified" })).ToHaveCountAsync(0);
        await Expect(messenger.ChatRows).ToHaveCountAsync(2);
        await Expect(messenger.Page).ToHaveTitleAsync("(3) Herald Messenger");

        // Acknowledged as delivered once stored on the device, not seen: nobody has opened the chat.
        await host.Receiver.WaitFor("delivered", first);
        Assert.Equal("delivered", (await parcels.Status(first)).GetProperty("status").GetString());

        await messenger.OpenChat(parcels.Id);
        await Expect(messenger.Bubbles).ToHaveCountAsync(2);
        await Expect(row.GetByLabel("2 unread")).ToHaveCountAsync(0);
        await Expect(messenger.Page).ToHaveTitleAsync("(1) Herald Messenger");
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task Every_content_kind_is_rendered_text_links_images_buttons_deep_links_qr_codes_emoji_and_times()
    {
        await using var host = await HeraldHost.Start();
        var shop = await Senders.Create(host, "Bloom Florists", "bloom.example");
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        var receipt = await shop.SendOk(new
        {
            to = Phone, category = "transactional", text = "Order 42 is confirmed. Track it at https://bloom.example/t/42.",
            url = "https://bloom.example/orders/42?view=full",
        });
        var offer = await shop.SendOk(new
        {
            to = Phone, category = "promotional", text = "Spring sale 🌷 20% off!", image_url = "https://bloom.example/images/spring.svg",
            qr = "bloom://coupon/spring-2026?code=AB12", button = new { caption = "Shop now", action = "https://bloom.example/spring" },
        });
        var app = await shop.SendOk(new { to = Phone, category = "promotional", text = "🎉🎁", button = new { caption = "Open in the app", action = "bloom://orders/42" } });
        await messenger.OpenChat(shop.Id);
        await Expect(messenger.Bubbles).ToHaveCountAsync(3);

        var textLink = messenger.Bubble(receipt).Locator(".bubble-text a");
        await Expect(textLink).ToHaveTextAsync("https://bloom.example/t/42"); // the full stop after it is not part of it
        await Expect(textLink).ToHaveAttributeAsync("href", "https://bloom.example/t/42");
        await Expect(textLink).ToHaveAttributeAsync("target", "_blank");
        await Expect(textLink).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");
        await Expect(messenger.Bubble(receipt).Locator(".link-card")).ToHaveAttributeAsync("href", "https://bloom.example/orders/42?view=full");
        await Expect(messenger.Bubble(receipt).Locator(".link-card")).ToContainTextAsync("bloom.example");
        await Expect(messenger.Bubble(receipt).GetByText("Promotion")).ToHaveCountAsync(0);

        var bubble = messenger.Bubble(offer);
        await Expect(bubble.GetByText("Promotion", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(bubble.Locator(".bubble-text")).ToHaveTextAsync("Spring sale 🌷 20% off!");
        var image = bubble.GetByRole(AriaRole.Img, new() { Name = "Image from Bloom Florists" });
        await Expect(image).ToHaveAttributeAsync("src", "https://bloom.example/images/spring.svg");
        await Expect(image).ToHaveJSPropertyAsync("naturalWidth", 640);
        var qr = bubble.GetByRole(AriaRole.Img, new() { Name = "QR code" });
        Assert.Equal(QrReference.Rows("bloom://coupon/spring-2026?code=AB12"), await QrReference.Drawn(qr));
        var shopNow = bubble.GetByRole(AriaRole.Link, new() { Name = "Shop now" });
        var opened = await messenger.Page.RunAndWaitForPopupAsync(() => shopNow.ClickAsync());
        Assert.Equal("https://bloom.example/spring", opened.Url);
        await opened.CloseAsync();

        // A deep link is handed to the app registered for its scheme: a plain link, not a new tab.
        var deepLink = messenger.Bubble(app).GetByRole(AriaRole.Link, new() { Name = "Open in the app" });
        await Expect(deepLink).ToHaveAttributeAsync("href", "bloom://orders/42");
        Assert.Null(await deepLink.GetAttributeAsync("target"));
        await Expect(messenger.Bubble(app)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("emoji-only"));
        await Expect(messenger.Bubble(app).Locator(".bubble-text")).ToHaveTextAsync("🎉🎁");

        foreach (var id in new[] { receipt, offer, app })
        {
            var time = messenger.Bubble(id).Locator("time");
            await Expect(time).ToHaveAttributeAsync("datetime", (await shop.Status(id)).GetProperty("accepted_at").GetString()!);
            await Expect(time).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{1,2}:\d{2}(\s?[AP]M)?$"));
        }

        await bubble.GetByRole(AriaRole.Button, new() { Name = "QR code: show larger" }).ClickAsync();
        Assert.Equal(QrReference.Rows("bloom://coupon/spring-2026?code=AB12"), await QrReference.Drawn(messenger.Dialog.GetByRole(AriaRole.Img, new() { Name = "QR code" })));
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task Markup_in_a_message_or_a_senders_name_is_shown_as_text_and_never_runs()
    {
        await using var host = await HeraldHost.Start();
        const string name = "<img src=x onerror=\"window.pwned='name'\">Evil & Co";
        var business = await Senders.Create(host, name, "evil.example", description: "<script>window.pwned='description'</script>");
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        const string text = "<script>window.pwned='script'</script><img src=x onerror=\"window.pwned='img'\"> <b>bold</b> " +
            "javascript:window.pwned='link' <a href=\"javascript:window.pwned='a'\">click</a> https://evil.example/\"><svg/onload=window.pwned=1>";
        var id = await business.SendOk(new { to = Phone, category = "transactional", text });

        await Expect(messenger.ChatRow(business.Id)).ToContainTextAsync(name);
        await messenger.OpenChat(business.Id);
        var paragraph = messenger.Bubble(id).Locator(".bubble-text");
        await Expect(paragraph).ToHaveTextAsync(text);
        // Only the one https address became a link, and it stops where the markup begins.
        Assert.Equal(["A"], await paragraph.Locator("*").EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.tagName)"));
        await Expect(paragraph.Locator("a")).ToHaveAttributeAsync("href", "https://evil.example/");
        await Expect(messenger.ChatHeading).ToHaveTextAsync(name);
        await messenger.Button("Learn more").ClickAsync();
        await Expect(messenger.Dialog).ToContainTextAsync("<script>window.pwned='description'</script>");
        Assert.Equal(0, await messenger.Page.Locator("script:not([src]), svg[onload], img[onerror]").CountAsync());
        Assert.Null(await messenger.Page.EvaluateAsync<string?>("() => window.pwned ?? null"));

        // Herald refuses dangerous button actions; the app would refuse them too, should one ever get through.
        var actions = await messenger.Page.EvaluateAsync<bool[]>("""
            async () => {
              const { buttonAction, httpsUrl } = await import('/app/js/ui/links.js');
              return [buttonAction('javascript:alert(1)'), buttonAction('JavaScript://%0aalert(1)'), buttonAction('data:text/html,x'),
                      buttonAction('http://plain.example'), buttonAction('file:///etc/passwd'), httpsUrl('http://plain.example'),
                      buttonAction('bloom://orders/42'), buttonAction('https://bloom.example/')].map(a => a !== null);
            }
            """);
        Assert.Equal([false, false, false, false, false, false, true, true], actions);
        Assert.Empty(messenger.Errors);
    }
}
