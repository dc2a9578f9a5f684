using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>
/// Acks a device sends back to back are stored in one transaction (docs/protocol.md, "Acks"): a <c>delivered</c> and a
/// <c>seen</c> for the same message become one update with both callback events, each frame is still confirmed with
/// its own <c>acked</c>, and a frame the store refuses does not take the frames beside it down.
/// </summary>
public sealed class AckFoldingTests
{
    private const string Phone = "+447700900124";

    [Fact]
    public async Task A_delivered_and_a_seen_arriving_together_are_stored_at_once_with_both_events_and_both_confirmations()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var device = await TestDevice.Connect(host.BaseAddress, await host.SignIn(Phone), corkable: true);
        var (a, b) = await TwoMessagesPushed(business, device);

        device.Connection!.Cork();
        await device.Send(new { type = "delivered", message_ids = new[] { a, b }, @ref = "d" });
        await device.Send(new { type = "seen", message_ids = new[] { a }, @ref = "s" });
        await device.Connection.Uncork(); // both frames in one write: the server reads the second before storing the first

        var first = await device.Next("acked");
        var second = await device.Next("acked");
        Assert.Equal(("delivered", "d"), (first.GetProperty("ack").GetString(), first.GetProperty("ref").GetString()));
        Assert.Equal([a, b], Ids(first));
        Assert.Equal(("seen", "s"), (second.GetProperty("ack").GetString(), second.GetProperty("ref").GetString()));
        Assert.Equal([a], Ids(second));

        var statusA = await business.Status(a);
        Assert.Equal("seen", statusA.GetProperty("status").GetString());
        // Stored in one go: the message was delivered and seen at the same instant.
        Assert.Equal(statusA.GetProperty("delivered_at").GetString(), statusA.GetProperty("seen_at").GetString());
        Assert.Equal("delivered", (await business.Status(b)).GetProperty("status").GetString());

        var events = await host.Receiver.WaitForEvents(e => e.Count(x => x.GetProperty("message_id").GetString() is var id && (id == a || id == b)) >= 3);
        var ofA = events.Where(x => x.GetProperty("message_id").GetString() == a).Select(x => x.GetProperty("type").GetString()).ToList();
        Assert.Equal(["delivered", "seen"], ofA); // both events, in lifecycle order, once each
        Assert.Equal(["delivered"], events.Where(x => x.GetProperty("message_id").GetString() == b).Select(x => x.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_refused_frame_among_frames_that_arrive_together_leaves_the_others_stored_and_confirmed()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var device = await TestDevice.Connect(host.BaseAddress, await host.SignIn(Phone), corkable: true);
        var (a, c) = await TwoMessagesPushed(business, device);

        await using (await SeenRefusal.Start(host))
        {
            device.Connection!.Cork();
            await device.Send(new { type = "seen", message_ids = new[] { a }, @ref = "refused" });
            await device.Send(new { type = "delivered", message_ids = new[] { c }, @ref = "stored" });
            await device.Connection.Uncork();

            var acked = await device.Next("acked");
            Assert.Equal(("delivered", "stored"), (acked.GetProperty("ack").GetString(), acked.GetProperty("ref").GetString()));
            Assert.Equal("delivered", (await business.Status(c)).GetProperty("status").GetString());
            Assert.Equal("accepted", (await business.Status(a)).GetProperty("status").GetString());
            // The refused one is not confirmed: a fence ack's confirmation comes next, not a 'seen' one.
            await device.Ack("delivered", c);
            acked = await device.Next("acked");
            Assert.Equal("delivered", acked.GetProperty("ack").GetString());
            Assert.Null(device.CloseStatus);
        }
    }

    private static async Task<(string, string)> TwoMessagesPushed(TestBusiness business, TestDevice device)
    {
        await device.Next("ready");
        var ids = (await business.SendOk(Text("first")), await business.SendOk(Text("second")));
        await device.Next("message");
        await device.Next("message");
        return ids;
    }

    private static object Text(string text) => new { to = Phone, category = "transactional", text };

    private static string[] Ids(JsonElement acked) => [.. acked.GetProperty("message_ids").EnumerateArray().Select(x => x.GetString()!)];
}
