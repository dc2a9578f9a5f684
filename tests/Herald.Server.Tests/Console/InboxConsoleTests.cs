using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Herald.Server.Tests.Messenger;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Console;

/// <summary>
/// Two-way in people's hands: the consumer replies in the Messenger (one browser context), the business reads it live in
/// the Console's inbox and answers within the session (another context), and the answer reaches the Messenger.
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class InboxConsoleTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_business_answers_a_reply_from_the_inbox_and_the_answer_reaches_the_consumers_messenger()
    {
        await using var host = await HeraldHost.Start();
        var dentist = await Senders.Create(host, "City Dental", "citydental.example", twoWay: true);
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        await dentist.SendOk(new { to = Phone, category = "transactional", text = "Your check-up is on Friday at 9:00" });

        await using var console = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(console, dentist.ApiKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Inbox" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await page.GetByLabel("Replies go to").SelectOptionAsync("inbox");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved." })).ToBeVisibleAsync();
        await Expect(page.GetByText("Live.")).ToBeVisibleAsync();

        await messenger.OpenChat(dentist.Id);
        await messenger.Composer.FillAsync("Could we make it 10:00 instead?");
        await messenger.Composer.PressAsync("Enter");

        // Live: the conversation appears without a reload, with one unread reply.
        var row = page.Locator(".inbox-row").Filter(new() { HasText = Phone });
        await Expect(row).ToContainTextAsync("Could we make it 10:00 instead?");
        await Expect(row.GetByLabel("1 unread")).ToBeVisibleAsync();
        await row.ClickAsync();
        await Expect(page.Locator(".inbox-entries .incoming")).ToContainTextAsync("Could we make it 10:00 instead?");
        await Expect(row.GetByLabel("1 unread")).ToHaveCountAsync(0); // opened, so read
        await Expect(page.GetByText("Session open")).ToBeVisibleAsync();
        await page.GetByLabel("Answer").FillAsync("Of course: see you on Friday at 10:00 🦷");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        await Expect(page.Locator(".inbox-entries .outgoing")).ToContainTextAsync("see you on Friday at 10:00");
        await Expect(row).ToContainTextAsync("You: Of course"); // the list shows the latest of both sides

        await Expect(messenger.Bubbles.Filter(new() { HasText = "Of course: see you on Friday at 10:00 🦷" })).ToBeVisibleAsync();
        await Browser.Screenshot(page, "console-inbox");

        // The inbox took the reply: Herald holds nothing more, and the webhook got nothing (the inbox was the only destination).
        using var api = dentist.Client();
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>("/v1/inbox")).GetProperty("waiting").GetInt32());
        Assert.DoesNotContain(host.Receiver.AcknowledgedEvents, e => e.Is("reply"));

        // The history is the browser's: it is still there after a reload.
        await page.ReloadAsync();
        await Expect(page.Locator(".inbox-entries .incoming")).ToContainTextAsync("Could we make it 10:00 instead?");
        ConsolePage.AssertNoErrors(page);
        Assert.Empty(messenger.Errors);
    }
}
