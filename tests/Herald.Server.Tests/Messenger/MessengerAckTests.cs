using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// The Messenger keeps each ack in IndexedDB until Herald's <c>acked</c> frame confirms it, so an ack Herald did not
/// store (a crash before the commit, a full disk) is sent again on the next connection, even after a reload.
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerAckTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_seen_ack_Herald_did_not_store_is_kept_on_the_device_and_sent_again_after_a_reload()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        var id = await business.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });
        await host.Receiver.WaitFor("delivered", id);
        await Wait.Until(async () => await KeptAck(messenger.Page, id) is null, TimeSpan.FromSeconds(10), "the delivered ack confirmed and forgotten");

        await using (await SeenRefusal.Start(host))
        {
            await messenger.OpenChat(business.Id);
            await Wait.Until(() => host.Logs.Lines.Any(l => l.Contains("Could not store a device's ack", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), "Herald to refuse the seen ack");
            Assert.Equal("seen", await KeptAck(messenger.Page, id)); // sent, not confirmed: kept
            Assert.Equal("delivered", (await business.Status(id)).GetProperty("status").GetString());
        }

        // The page's own seen watcher has nothing left to report (the message is marked seen on the device): only the
        // kept ack can tell Herald.
        await messenger.Page.ReloadAsync();
        await messenger.ExpectOnline();
        await host.Receiver.WaitFor("seen", id);
        await Wait.Until(async () => await KeptAck(messenger.Page, id) is null, TimeSpan.FromSeconds(10), "the seen ack confirmed and forgotten");
        Assert.Equal(1, host.Receiver.AcknowledgedEvents.Count(e => e.Is("seen", id)));
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task Seen_acks_an_older_Messenger_left_unsent_are_kept_through_the_database_upgrade_and_sent()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        string id;
        await using (var other = await host.Connect(await host.SignIn(Phone))) // delivered by another device of the consumer
        {
            await other.Next("ready");
            id = await business.SendOk(new { to = Phone, category = "transactional", text = "Read on the old version" });
            await other.Next("message");
            await other.Ack("delivered", id);
            await other.Next("acked");
        }
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.Page.GotoAsync("/app/");
        // The database as version 1 of the Messenger left it: a seen ack waiting in seen_outbox.
        await messenger.Page.EvaluateAsync("""
            (id) => new Promise((resolve, reject) => {
              const request = indexedDB.open('herald-messenger', 1);
              request.onupgradeneeded = () => {
                const db = request.result;
                const messages = db.createObjectStore('messages', { keyPath: 'id' });
                messages.createIndex('chat', ['business_id', 'at']);
                messages.createIndex('pending', 'pending');
                db.createObjectStore('senders', { keyPath: 'business_id' });
                db.createObjectStore('seen_outbox', { keyPath: 'id' }).put({ id });
              };
              request.onsuccess = () => { request.result.close(); resolve(); };
              request.onerror = () => reject(request.error);
            })
            """, id);
        Assert.Equal("delivered", (await business.Status(id)).GetProperty("status").GetString());

        await messenger.SignIn(Phone);

        await host.Receiver.WaitFor("seen", id);
        await Wait.Until(async () => await KeptAck(messenger.Page, id) is null, TimeSpan.FromSeconds(10), "the migrated seen ack confirmed and forgotten");
        Assert.Empty(messenger.Errors);
    }

    /// <summary>The ack the Messenger keeps for a message until Herald confirms it (delivered or seen), or null.</summary>
    private static Task<string?> KeptAck(IPage page, string messageId) => page.EvaluateAsync<string?>("""
        async (id) => {
          const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
          const db = await request(indexedDB.open('herald-messenger'));
          try {
            return (await request(db.transaction('acks').objectStore('acks').get(id)))?.ack ?? null;
          } finally {
            db.close();
          }
        }
        """, messageId);
}
