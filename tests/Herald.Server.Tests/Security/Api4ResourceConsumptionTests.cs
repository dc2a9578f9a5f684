using System.Net.WebSockets;
using Herald.Server.Consumer;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Security;

/// <summary>
/// OWASP API4:2023, unrestricted resource consumption: what one client can make the server do is bounded. More in
/// BatchAndLimitsTests (body size, batch size, send rate), LifecycleTests (frame size), Api2AuthenticationTests (codes).
/// </summary>
public sealed class Api4ResourceConsumptionTests
{
    [Fact]
    public async Task A_device_flooding_frames_is_cut_off_and_others_are_served()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var flooder = await host.Connect(await host.SignIn("+447700900401"));
        await using var calm = await host.Connect(await host.SignIn("+447700900402"));
        await flooder.Next("ready");
        await calm.Next("ready");

        try
        {
            // Frames the server answers without touching the database, so it reads them as fast as they come.
            for (var i = 0; i < DeviceSession.FrameBurst * 4; i++)
                await flooder.SendRaw("{\"type\":\"flood\"}");
        }
        catch (WebSocketException)
        {
            // the server may cut the connection while frames are still being written
        }
        await flooder.WaitClosed(TimeSpan.FromSeconds(10));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, flooder.CloseStatus);
        var id = await business.SendOk(new { to = "+447700900402", category = "transactional", text = "still here" });
        Assert.Equal(id, (await calm.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
    }
}
