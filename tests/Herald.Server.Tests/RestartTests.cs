using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>What was accepted survives a restart: waiting messages and waiting callbacks.</summary>
public sealed class RestartTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task Pending_messages_and_pending_callbacks_survive_a_restart()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var token = await host.SignIn(Phone);
        var waiting = await business.SendOk(new { to = Phone, category = "transactional", text = "sent before the restart", tracking_data = "r1" });
        host.Receiver.Down = true;
        var failed = await business.SendOk(new { to = "+15550100999", category = "transactional", text = "nobody" });
        await Wait.Until(() => host.Receiver.Posts.Count >= 1, TimeSpan.FromSeconds(10), "a failed callback attempt");

        await host.Restart();
        host.Receiver.Down = false;

        var events = await host.Receiver.WaitForEvents(e => e.Count >= 1, TimeSpan.FromSeconds(20));
        Assert.Equal(failed, events.Single().GetProperty("message_id").GetString());

        await using var device = await host.Connect(token); // the device token survives too
        var received = await device.MessagesWithin(TimeSpan.FromSeconds(1));
        Assert.Equal([waiting], received.Select(m => m.GetProperty("message_id").GetString()));
        Assert.Equal("sent before the restart", received[0].GetProperty("text").GetString());
        await device.Ack("delivered", waiting);
        events = await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.Equal("r1", events[1].GetProperty("tracking_data").GetString());
    }

    [Fact]
    public async Task The_operator_token_is_created_once_and_kept()
    {
        await using var host = await HeraldHost.Start();
        await host.Restart();
        using var admin = host.Operator();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync("/admin/v1/businesses")).StatusCode);
        Assert.True(File.Exists(Path.Combine(host.DataDirectory, "content.key")));
    }

    [Fact]
    public async Task A_stopping_server_tells_connected_devices_it_is_going_away()
    {
        await using var host = await HeraldHost.Start();
        await using var device = await host.Connect(await host.SignIn(Phone));
        await device.Next("ready");
        var stop = host.Stop();
        await device.WaitClosed(TimeSpan.FromSeconds(5));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, device.CloseStatus);
        await stop.WaitAsync(TimeSpan.FromSeconds(10)); // not held for the 30 s shutdown timeout by an open socket
    }
}
