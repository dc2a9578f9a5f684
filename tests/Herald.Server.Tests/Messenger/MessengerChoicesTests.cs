using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>What the consumer decides in the Messenger, checked where it counts: on Herald and at the business.</summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerChoicesTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task Unsubscribe_blocks_the_sender_and_resubscribe_lets_it_message_again()
    {
        await using var host = await HeraldHost.Start();
        var business = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var messenger = await MessengerPage.Open(browser, host, phone: true);
        await messenger.SignIn(Phone);
        await business.SendOk(new { to = Phone, category = "promotional", text = "Deals of the week" });
        await messenger.OpenChat(business.Id);

        await messenger.Button("Unsubscribe").ClickAsync();
        await Expect(messenger.Dialog).ToContainTextAsync("Unsubscribe from Acme Parcels?");
        await messenger.Confirm("Unsubscribe");
        await host.Receiver.WaitFor("unsubscribed");
        await Expect(messenger.Page.GetByText("You unsubscribed from Acme Parcels.")).ToBeVisibleAsync();
        // On a phone the note about it stays clear of the button that undoes it.
        var toast = messenger.Page.Locator(".toast", new() { HasText = "Unsubscribed from Acme Parcels." });
        await Expect(toast).ToBeVisibleAsync();
        var note = await toast.BoundingBoxAsync();
        var resubscribe = await messenger.ChatFooter.GetByRole(AriaRole.Button, new() { Name = "Resubscribe" }).BoundingBoxAsync();
        Assert.True(note!.Y + note.Height <= resubscribe!.Y || resubscribe.Y + resubscribe.Height <= note.Y,
            $"the toast ({note.Y}–{note.Y + note.Height}) covers Resubscribe ({resubscribe.Y}–{resubscribe.Y + resubscribe.Height})");
        var refused = await business.SendOk(new { to = Phone, category = "transactional", text = "Will not arrive" });
        await business.WaitForStatus(refused, "failed");
        Assert.Equal("blocked", (await business.Status(refused)).GetProperty("reason").GetString());
        await messenger.Page.GetByRole(AriaRole.Link, new() { Name = "Back to chats" }).ClickAsync();
        await Expect(messenger.ChatRow(business.Id)).ToContainTextAsync("Unsubscribed");

        await messenger.OpenChat(business.Id);
        await messenger.ChatFooter.GetByRole(AriaRole.Button, new() { Name = "Resubscribe" }).ClickAsync();
        await host.Receiver.WaitFor("subscribed");
        await Expect(messenger.Button("Unsubscribe")).ToBeVisibleAsync();
        var welcome = await business.SendOk(new { to = Phone, category = "transactional", text = "Welcome back" });
        await Expect(messenger.Bubble(welcome)).ToContainTextAsync("Welcome back");
        Assert.DoesNotContain(await messenger.Bubbles.AllInnerTextsAsync(), t => t.Contains("Will not arrive", StringComparison.Ordinal));
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task A_two_way_chat_has_a_reply_box_that_reaches_the_business_and_a_one_way_chat_has_none()
    {
        await using var host = await HeraldHost.Start();
        var dentist = await Senders.Create(host, "City Dental", "citydental.example", twoWay: true);
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        await dentist.SendOk(new { to = Phone, category = "transactional", text = "Reply YES to confirm your check-up" });
        await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });

        await messenger.OpenChat(parcels.Id);
        await Expect(messenger.Page.GetByText("Acme Parcels sends messages only; it does not receive replies.")).ToBeVisibleAsync();
        await Expect(messenger.Page.GetByRole(AriaRole.Textbox)).ToHaveCountAsync(0);

        await messenger.OpenChat(dentist.Id);
        await Expect(messenger.Button("Send")).ToBeDisabledAsync(); // nothing written yet
        await messenger.Composer.FillAsync("YES, see you then 👍");
        await messenger.Composer.PressAsync("Enter");

        var reply = await host.Receiver.WaitFor("reply");
        Assert.Equal("YES, see you then 👍", reply.GetProperty("text").GetString());
        Assert.Equal(Phone, reply.GetProperty("to").GetString());
        var sent = messenger.Bubbles.Filter(new() { HasText = "YES, see you then 👍" });
        await Expect(sent.GetByRole(AriaRole.Img, new() { Name = "Sent" })).ToBeVisibleAsync();
        await Expect(messenger.Composer).ToHaveValueAsync("");
        await Expect(messenger.ChatRow(dentist.Id)).ToContainTextAsync("You: YES, see you then 👍");

        await messenger.Page.ReloadAsync(); // the reply is part of the history on the device
        await Expect(sent.GetByRole(AriaRole.Img, new() { Name = "Sent" })).ToBeVisibleAsync();
        Assert.Single(host.Receiver.AcknowledgedEvents, e => e.Is("reply"));
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task Learn_more_shows_the_senders_description_and_site()
    {
        await using var host = await HeraldHost.Start();
        var business = await Senders.Create(host, "Acme Parcels", "acme.example", description: "Parcel delivery across the UK, tracked to your door.");
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        await business.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });
        await messenger.OpenChat(business.Id);

        await messenger.Button("Learn more").ClickAsync();

        await Expect(messenger.Dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Acme Parcels");
        await Expect(messenger.Dialog).ToContainTextAsync("Verified business");
        await Expect(messenger.Dialog).ToContainTextAsync("Parcel delivery across the UK, tracked to your door.");
        await Expect(messenger.Dialog).ToContainTextAsync("cannot receive replies");
        var site = messenger.Dialog.GetByRole(AriaRole.Link, new() { Name = "Learn more at acme.example" });
        var opened = await messenger.Page.RunAndWaitForPopupAsync(() => site.ClickAsync());
        Assert.Equal("https://acme.example/about", opened.Url);
        await opened.CloseAsync();
        await messenger.Page.Keyboard.PressAsync("Escape");
        await Expect(messenger.Dialog).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_opt_outs_in_settings_take_effect_on_Herald_at_once()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var messenger = await MessengerPage.Open(browser, host, phone: true);
        await messenger.SignIn(Phone);
        await messenger.OpenSettings();
        await Expect(messenger.Switch("Business messages")).ToBeCheckedAsync();
        await Expect(messenger.Switch("Promotional messages")).ToBeCheckedAsync();
        await Expect(messenger.Switch("Stop processing my data")).Not.ToBeCheckedAsync();

        await messenger.SetSwitch("Promotional messages", false);
        Assert.Equal("opted_out", await FailureOf(business, "promotional"));
        await Arrives(business, "transactional");

        await messenger.SetSwitch("Business messages", false);
        await Expect(messenger.Switch("Promotional messages")).ToBeDisabledAsync();
        Assert.Equal("opted_out", await FailureOf(business, "transactional"));

        await messenger.SetSwitch("Business messages", true);
        await messenger.SetSwitch("Promotional messages", true);
        await messenger.Page.ReloadAsync(); // what the page shows is what Herald has
        await Expect(messenger.Switch("Promotional messages")).ToBeEnabledAsync();
        await Expect(messenger.Switch("Business messages")).ToBeCheckedAsync();
        await Expect(messenger.Switch("Promotional messages")).ToBeCheckedAsync();
        await Arrives(business, "promotional");

        await messenger.Switch("Stop processing my data").ClickAsync();
        await Expect(messenger.Dialog).ToContainTextAsync("Stop processing your data?");
        await messenger.Confirm("Stop processing");
        await Expect(messenger.Switch("Stop processing my data")).ToBeCheckedAsync();
        await Expect(messenger.Switch("Stop processing my data")).ToBeEnabledAsync();
        Assert.Equal("restricted", await FailureOf(business, "transactional"));

        await messenger.SetSwitch("Stop processing my data", false);
        await Arrives(business, "transactional");
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task Download_my_data_saves_what_Herald_holds_as_JSON()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        var sent = await business.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });
        await business.WaitForStatus(sent, "delivered");
        await messenger.OpenSettings();

        var download = await messenger.Page.RunAndWaitForDownloadAsync(() => messenger.Button("Download my data").ClickAsync());

        Assert.Matches(@"^herald-my-data-\d{4}-\d{2}-\d{2}\.json$", download.SuggestedFilename);
        using var export = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync()));
        Assert.Equal(Phone, export.RootElement.GetProperty("phone").GetString());
        var message = Assert.Single(export.RootElement.GetProperty("messages").EnumerateArray());
        Assert.Equal(sent, message.GetProperty("message_id").GetString());
        Assert.Single(export.RootElement.GetProperty("devices").EnumerateArray());
        Assert.Empty(messenger.Errors);
    }

    /// <summary>Sends a message of that category and returns why Herald refused it.</summary>
    private static async Task<string?> FailureOf(TestBusiness business, string category)
    {
        var id = await business.SendOk(new { to = Phone, category, text = $"A {category} message" });
        await business.WaitForStatus(id, "failed");
        return (await business.Status(id)).GetProperty("reason").GetString();
    }

    /// <summary>Sends a message of that category and waits until the Messenger has acknowledged it.</summary>
    private static async Task Arrives(TestBusiness business, string category)
    {
        var id = await business.SendOk(new { to = Phone, category, text = $"A {category} message" });
        await business.WaitForStatus(id, "delivered");
    }
}
