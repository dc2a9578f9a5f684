using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>What in a message's text becomes a link, and how a link that is not secure is guarded.</summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerLinksTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task Phone_numbers_and_email_addresses_are_linked_and_order_numbers_dates_and_amounts_are_not()
    {
        await using var host = await HeraldHost.Start();
        var business = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        const string text = "Order 123456789 of 05-12-2026 (£1,250.00): call +44 20 7946 0958 or 020 7946 0959, " +
            "write to help@acme.example?subject=x or see https://acme.example/help@desk.";
        var id = await business.SendOk(new { to = Phone, category = "transactional", text });
        await messenger.OpenChat(business.Id);

        var paragraph = messenger.Bubble(id).Locator(".bubble-text");
        await Expect(paragraph).ToHaveTextAsync(text);
        var links = await paragraph.Locator("a").EvaluateAllAsync<string[][]>("links => links.map(a => [a.textContent, a.getAttribute('href')])");
        Assert.Equal(
        [
            ["+44 20 7946 0958", "tel:+442079460958"],
            ["020 7946 0959", "tel:02079460959"],
            ["help@acme.example", "mailto:help@acme.example"], // the query after it is not part of the address
            ["https://acme.example/help@desk", "https://acme.example/help@desk"],
        ], links);
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task An_http_link_is_marked_not_secure_and_opens_only_after_the_consumer_confirms()
    {
        await using var host = await HeraldHost.Start();
        var business = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        var id = await business.SendOk(new { to = Phone, category = "transactional", text = "Old tracking page: http://acme.example/track/42 and the new one https://acme.example/t/42" });
        await messenger.OpenChat(business.Id);

        var insecure = messenger.Bubble(id).GetByRole(AriaRole.Link, new() { NameRegex = new(@"^http:\/\/acme\.example\/track\/42") });
        await Expect(insecure.GetByRole(AriaRole.Img, new() { Name = "Not secure" })).ToBeVisibleAsync();
        var secure = messenger.Bubble(id).GetByRole(AriaRole.Link, new() { Name = "https://acme.example/t/42" });
        await Expect(secure.GetByRole(AriaRole.Img)).ToHaveCountAsync(0);

        var popups = 0;
        messenger.Context.Page += (_, _) => popups++;
        await insecure.ClickAsync();
        await Expect(messenger.Dialog).ToContainTextAsync("Open a link that is not secure?");
        await Expect(messenger.Dialog).ToContainTextAsync("http://acme.example/track/42");
        await messenger.Confirm("Cancel");
        await messenger.Page.WaitForTimeoutAsync(300);
        Assert.Equal(0, popups);

        await insecure.ClickAsync();
        var opened = await messenger.Page.RunAndWaitForPopupAsync(() => messenger.Confirm("Open anyway"));
        Assert.Equal("http://acme.example/track/42", opened.Url);
        Assert.Null(await opened.EvaluateAsync<string?>("() => window.opener")); // the page cannot reach back
        await opened.CloseAsync();

        // An https link opens at once, with no question.
        var direct = await messenger.Page.RunAndWaitForPopupAsync(() => secure.ClickAsync());
        Assert.Equal("https://acme.example/t/42", direct.Url);
        await Expect(messenger.Dialog).ToHaveCountAsync(0);
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task An_unverified_sender_is_marked_in_the_chat_header_on_a_phone_and_a_verified_one_is_not()
    {
        await using var host = await HeraldHost.Start();
        var shop = await Senders.Create(host, "Corner Shop", "corner.example", verified: false);
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var messenger = await MessengerPage.Open(browser, host, phone: true);
        await messenger.SignIn(Phone);
        await shop.SendOk(new { to = Phone, category = "transactional", text = "Your order is ready" });
        await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });

        await messenger.OpenChat(shop.Id);
        var header = messenger.Page.Locator(".chat-header");
        await Expect(header.GetByText("Not verified", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(header.GetByRole(AriaRole.Img, new() { Name = "Verified" })).ToHaveCountAsync(0);

        await messenger.OpenChat(parcels.Id);
        await Expect(header.GetByRole(AriaRole.Img, new() { Name = "Verified" })).ToBeVisibleAsync();
        await Expect(header.GetByText("Not verified")).ToHaveCountAsync(0);
    }
}
