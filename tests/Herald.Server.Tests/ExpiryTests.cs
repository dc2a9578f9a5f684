using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>TTL expiry, driven by a fake clock: the sweeper runs on TimeProvider, so no test sleeps for the TTL.</summary>
public sealed class ExpiryTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task An_undelivered_message_expires_when_its_ttl_passes_and_is_never_pushed_after()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var business = await host.CreateBusiness();
        var token = await host.SignIn(Phone);
        var shortLived = await business.SendOk(new { to = Phone, category = "transactional", text = "Your code: 123456", ttl_seconds = 30, tracking_data = "otp" });
        var longLived = await business.SendOk(new { to = Phone, category = "transactional", text = "Receipt", ttl_seconds = 3600 });

        host.Time!.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.Equal("accepted", (await business.Status(shortLived)).GetProperty("status").GetString());

        host.Time.Advance(TimeSpan.FromSeconds(2));
        await business.WaitForStatus(shortLived, "expired");
        var status = await business.Status(shortLived);
        Assert.True(status.TryGetProperty("expired_at", out _));
        Assert.Null(LifecycleTests.ContentOf(host, shortLived)); // content is gone with the expiry
        Assert.Equal("accepted", (await business.Status(longLived)).GetProperty("status").GetString());

        var events = await host.Receiver.WaitForEvents(e => e.Count >= 1);
        Assert.Equal("expired", events[0].GetProperty("type").GetString());
        Assert.Equal("otp", events[0].GetProperty("tracking_data").GetString());

        await using var device = await host.Connect(token);
        var received = await device.MessagesWithin(TimeSpan.FromMilliseconds(800));
        Assert.Equal([longLived], received.Select(m => m.GetProperty("message_id").GetString()));

        // An ack for the expired message is too late: it stays expired and no delivered event follows.
        await device.Ack("delivered", shortLived);
        await device.Ack("delivered", longLived);
        await business.WaitForStatus(longLived, "delivered");
        Assert.Equal("expired", (await business.Status(shortLived)).GetProperty("status").GetString());
        await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.Equal(["expired", "delivered"], host.Receiver.AcknowledgedEvents.Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_message_delivered_to_one_of_two_devices_keeps_its_status_and_loses_its_content_at_ttl()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var business = await host.CreateBusiness();
        var phoneToken = await host.SignIn(Phone);
        var tabletToken = await host.SignIn(Phone);
        await using var phone = await host.Connect(phoneToken);
        await phone.Next("ready");
        var id = await business.SendOk(new { to = Phone, category = "transactional", text = "hello", ttl_seconds = 60 });
        await phone.Next("message");
        await phone.Ack("delivered", id);
        await business.WaitForStatus(id, "delivered");
        Assert.NotNull(LifecycleTests.ContentOf(host, id));

        host.Time!.Advance(TimeSpan.FromSeconds(61));
        await Wait.Until(() => LifecycleTests.ContentOf(host, id) is null, TimeSpan.FromSeconds(5), "content purge at TTL");
        Assert.Equal("delivered", (await business.Status(id)).GetProperty("status").GetString());
        await using var tablet = await host.Connect(tabletToken);
        Assert.Empty(await tablet.MessagesWithin(TimeSpan.FromMilliseconds(500)));
    }
}
