using System.Net.WebSockets;
using Herald.Server.Consumer;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>
/// A WebSocket that never authenticates gets what docs/protocol.md promises after 10 s: the <c>unauthorized</c>
/// error frame and a 1008 close. It used to be cut off with no close frame (the device saw 1006), because the time
/// limit cancelled the receive and a cancelled receive aborts the socket. Fake time: the test does not wait 10 s.
/// </summary>
public sealed class GatewayAuthTimeoutTests
{
    [Fact]
    public async Task A_socket_that_never_authenticates_gets_the_unauthorized_frame_and_a_1008_close_after_the_timeout()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        await using var silent = await TestDevice.Connect(host.BaseAddress, token: null);
        Assert.Null(await FrameWithin(silent, TimeSpan.FromMilliseconds(300))); // nothing before the timeout

        // Advanced until the frame comes: the server's timer may start just after the upgrade answer.
        System.Text.Json.JsonElement? error = null;
        await Wait.Until(async () =>
        {
            host.Time!.Advance(GatewayEndpoint.AuthTimeout);
            error = await FrameWithin(silent, TimeSpan.FromMilliseconds(200));
            return error is not null;
        }, TimeSpan.FromSeconds(10), "the unauthorized frame");
        Assert.Equal(("error", "unauthorized"), (error!.Value.GetProperty("type").GetString(), error.Value.GetProperty("code").GetString()));
        await silent.WaitClosed(TimeSpan.FromSeconds(5));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, silent.CloseStatus);
    }

    [Fact]
    public async Task A_device_that_authenticates_before_the_timeout_stays_connected_after_it()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        await using var device = await TestDevice.Connect(host.BaseAddress, await host.SignIn("+447700900123"), tokenInFrame: true);
        await device.Next("ready");
        host.Time!.Advance(GatewayEndpoint.AuthTimeout * 2);
        await device.Send(new { type = "delivered", message_ids = new[] { "msg_none" } });
        Assert.Equal("acked", (await device.Next("acked")).GetProperty("type").GetString());
        Assert.Null(device.CloseStatus);
    }

    private static async Task<System.Text.Json.JsonElement?> FrameWithin(TestDevice device, TimeSpan window)
    {
        using var cancel = new CancellationTokenSource(window);
        try
        {
            return await device.NextFrame(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
