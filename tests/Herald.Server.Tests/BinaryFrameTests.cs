using System.Net.WebSockets;
using System.Text;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>
/// The device protocol is JSON text: a binary frame, even one holding a valid frame's JSON, closes the connection with
/// 1003 (RFC 6455 §7.4.1, data the server cannot accept), before or after sign-in, and nothing in it is acted on.
/// </summary>
public sealed class BinaryFrameTests
{
    private const string Ann = "+447700900231";

    [Fact]
    public async Task A_binary_ack_closes_with_1003_and_is_not_applied()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        var token = await host.SignIn(Ann);
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "hello" });
        await using var device = await host.Connect(token);
        await device.Next("message");

        Assert.True(await device.SendFragments(Encoding.UTF8.GetBytes($$"""{"type":"delivered","message_ids":["{{id}}"]}"""), binary: true, [], CancellationToken.None));

        await device.WaitClosed(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, device.CloseStatus);
        Assert.Contains("binary", device.CloseStatusDescription, StringComparison.Ordinal);
        Assert.Equal("accepted", (await acme.Status(id)).GetProperty("status").GetString());

        // The same ack as text, on a new connection, is taken: the refusal was about the frame type only.
        await using var again = await host.Connect(token);
        await again.Next("message");
        await again.Ack("delivered", id);
        await again.Next("acked");
        Assert.Equal("delivered", (await acme.Status(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_binary_auth_frame_closes_with_1003_without_signing_in()
    {
        await using var host = await HeraldHost.Start();
        var token = await host.SignIn(Ann);
        await using var device = await TestDevice.Connect(host.BaseAddress, token: null);

        Assert.True(await device.SendFragments(Encoding.UTF8.GetBytes($$"""{"type":"auth","token":"{{token}}"}"""), binary: true, [], CancellationToken.None));

        await device.WaitClosed(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, device.CloseStatus);
        Assert.Null(await device.NextFrame(CancellationToken.None)); // no ready, no frame at all
    }
}
