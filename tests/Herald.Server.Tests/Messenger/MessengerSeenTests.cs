using Herald.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// "Seen" tells a business a person read its message, so the Messenger sends it only for what was on screen, in the
/// open chat. Checked at the business's webhook: for one message Herald's events come in the order they happened.
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerSeenTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_message_is_delivered_when_stored_and_seen_only_once_its_chat_shows_it()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);

        var first = await business.SendOk(new { to = Phone, category = "transactional", text = "First" });
        await host.Receiver.WaitFor("delivered", first);
        // A later message's delivery is a marker: a seen ack sent at receipt for the first would have come before it.
        var second = await business.SendOk(new { to = Phone, category = "transactional", text = "Second" });
        await host.Receiver.WaitFor("delivered", second);
        await Expect(messenger.ChatRow(business.Id).GetByLabel("2 unread")).ToBeVisibleAsync();
        Assert.DoesNotContain(host.Receiver.AcknowledgedEvents, e => e.Is("seen"));

        await messenger.OpenChat(business.Id);

        await host.Receiver.WaitFor("seen", first);
        await host.Receiver.WaitFor("seen", second);
        await Expect(messenger.ChatRow(business.Id).GetByLabel("2 unread")).ToHaveCountAsync(0);
        var third = await business.SendOk(new { to = Phone, category = "transactional", text = "Third, while the chat is open" });
        await host.Receiver.WaitFor("seen", third);
        Assert.Equal(1, host.Receiver.AcknowledgedEvents.Count(e => e.Is("seen", first)));
    }

    [Fact]
    public async Task Only_the_messages_scrolled_into_view_are_seen()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var messenger = await MessengerPage.Open(browser, host, phone: true);
        await messenger.SignIn(Phone);
        var ids = new List<string>();
        for (var i = 1; i <= 30; i++)
            ids.Add(await business.SendOk(new { to = Phone, category = "transactional", text = $"Update number {i} about your parcel" }));
        await Expect(messenger.ChatRow(business.Id).GetByLabel("30 unread")).ToBeVisibleAsync();

        // An unread chat opens at its first unread message: the oldest are on screen, the newest below the fold.
        await messenger.OpenChat(business.Id);
        await host.Receiver.WaitFor("seen", ids[0]);
        await Expect(messenger.Bubble(ids[^1])).Not.ToBeInViewportAsync();
        Assert.Equal("delivered", (await business.Status(ids[^1])).GetProperty("status").GetString());

        await messenger.Bubble(ids[^1]).ScrollIntoViewIfNeededAsync();

        await host.Receiver.WaitFor("seen", ids[^1]);
    }
}
