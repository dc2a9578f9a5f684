using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>
/// A device's <c>delivered</c> and <c>seen</c> are confirmed with an <c>acked</c> frame naming the ids, and only
/// once committed: an ack the store refused gets none (the device keeps it and sends it again), and an ack sent again
/// for a message already in that state is confirmed again without a second callback.
/// </summary>
public sealed class AckConfirmationTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task An_acked_frame_names_the_ids_of_a_committed_ack_and_none_comes_for_an_ack_the_store_refused()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var device = await host.Connect(await host.SignIn(Phone));
        await device.Next("ready");
        var (a, b, c) = (await business.SendOk(Text("a")), await business.SendOk(Text("b")), await business.SendOk(Text("c")));
        for (var i = 0; i < 3; i++)
            await device.Next("message");

        await device.Send(new { type = "delivered", message_ids = new[] { a, b, a, "msg_not-a-message" }, @ref = "d1" });
        var acked = await device.Next("acked");
        Assert.Equal(("delivered", "d1"), (acked.GetProperty("ack").GetString(), acked.GetProperty("ref").GetString()));
        Assert.Equal([a, b, "msg_not-a-message"], Ids(acked)); // each once, also the one that changed nothing
        // Confirmed means committed: the business already reads the new status.
        Assert.Equal("delivered", (await business.Status(a)).GetProperty("status").GetString());
        Assert.Equal("delivered", (await business.Status(b)).GetProperty("status").GetString());

        await using (await SeenRefusal.Start(host))
        {
            await device.Ack("seen", a);
            await device.Ack("delivered", c); // a fence: acks are answered in order, so a seen confirmation would come first
            acked = await device.Next("acked");
            AssertAcked(acked, "delivered", c);
            Assert.Equal("delivered", (await business.Status(a)).GetProperty("status").GetString());
            Assert.Null(device.CloseStatus); // the connection stays
        }

        await device.Ack("seen", a, b);
        acked = await device.Next("acked");
        AssertAcked(acked, "seen", a, b);
        Assert.False(acked.TryGetProperty("ref", out _));
        Assert.Equal("seen", (await business.Status(a)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Acks_sent_again_are_confirmed_again_and_cause_no_second_callback()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var device = await host.Connect(await host.SignIn(Phone));
        await device.Next("ready");
        var (a, fence) = (await business.SendOk(Text("a")), await business.SendOk(Text("fence")));
        await device.Next("message");
        await device.Next("message");
        await device.Ack("delivered", a);
        await device.Ack("seen", a);
        await device.Next("acked");
        await device.Next("acked");

        // As after a reconnect, when the device does not know whether these were stored.
        await device.Ack("delivered", a);
        await device.Ack("seen", a);
        AssertAcked(await device.Next("acked"), "delivered", a);
        AssertAcked(await device.Next("acked"), "seen", a);
        await device.Ack("seen", fence);
        await device.Next("acked");

        // Events go out in the order they were stored: once the fence's are in, a's duplicates would have come.
        var events = await host.Receiver.WaitForEvents(e => e.Any(x => Is(x, "seen", fence)));
        Assert.Single(events.Where(x => Is(x, "delivered", a)).Select(x => x.GetProperty("event_id").GetString()).Distinct());
        Assert.Single(events.Where(x => Is(x, "seen", a)).Select(x => x.GetProperty("event_id").GetString()).Distinct());
        Assert.Equal("seen", (await business.Status(a)).GetProperty("status").GetString());
    }

    private static object Text(string text) => new { to = Phone, category = "transactional", text };

    private static void AssertAcked(JsonElement acked, string ack, params string[] ids)
    {
        Assert.Equal(ack, acked.GetProperty("ack").GetString());
        Assert.Equal(ids, Ids(acked));
    }

    private static List<string> Ids(JsonElement acked) => [.. acked.GetProperty("message_ids").EnumerateArray().Select(x => x.GetString()!)];

    private static bool Is(JsonElement e, string type, string messageId) =>
        e.GetProperty("type").GetString() == type && e.GetProperty("message_id").GetString() == messageId;
}
