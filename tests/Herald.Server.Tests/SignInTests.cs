using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests;

/// <summary>Consumer sign-in by phone and one-time code, and signing a device out.</summary>
public sealed class SignInTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task The_code_goes_to_the_sms_hook_and_is_good_once()
    {
        await using var host = await HeraldHost.Start();
        using var client = host.Client();
        var sent = await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = Phone });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var code = host.Receiver.CodeFor(Phone);
        Assert.Matches("^[0-9]{6}$", code);

        var first = await client.PostAsJsonAsync("/consumer/v1/sign-in", new { phone = Phone, code });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("hdt_", body.GetProperty("token").GetString());
        Assert.StartsWith("dev_", body.GetProperty("device_id").GetString());

        await AssertProblem(await client.PostAsJsonAsync("/consumer/v1/sign-in", new { phone = Phone, code }), HttpStatusCode.Unauthorized, "invalid_code");
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(code!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Five_wrong_codes_burn_the_code()
    {
        await using var host = await HeraldHost.Start();
        using var client = host.Client();
        await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = Phone });
        var code = host.Receiver.CodeFor(Phone)!;
        var wrong = code == "000000" ? "000001" : "000000";
        for (var i = 0; i < 5; i++)
            await AssertProblem(await client.PostAsJsonAsync("/consumer/v1/sign-in", new { phone = Phone, code = wrong }), HttpStatusCode.Unauthorized, "invalid_code");
        await AssertProblem(await client.PostAsJsonAsync("/consumer/v1/sign-in", new { phone = Phone, code }), HttpStatusCode.Unauthorized, "invalid_code");
    }

    [Fact]
    public async Task A_code_expires()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        using var client = host.Client();
        await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = Phone });
        host.Time!.Advance(TimeSpan.FromMinutes(11));
        await AssertProblem(await client.PostAsJsonAsync("/consumer/v1/sign-in", new { phone = Phone, code = host.Receiver.CodeFor(Phone) }),
            HttpStatusCode.Unauthorized, "invalid_code");
    }

    [Fact]
    public async Task A_bad_phone_number_is_400()
    {
        await using var host = await HeraldHost.Start();
        using var client = host.Client();
        var problem = await AssertProblem(await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = "07700 900123" }), HttpStatusCode.BadRequest, "invalid_request");
        Assert.True(problem.GetProperty("errors").TryGetProperty("phone", out _));
    }

    [Fact]
    public async Task In_development_without_a_hook_the_code_is_written_to_the_log()
    {
        await using var host = await HeraldHost.Start(new() { ["Herald:Consumers:CodeHookUrl"] = "" }, environment: "Development");
        using var client = host.Client();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = Phone })).StatusCode);
        var line = Assert.Single(host.Logs.Lines, l => l.Contains("sign-in code", StringComparison.Ordinal));
        var code = line.Split(": ")[^1].Trim();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/consumer/v1/sign-in", new { phone = Phone, code })).StatusCode);
    }

    [Fact]
    public async Task Outside_development_without_a_hook_codes_cannot_be_sent()
    {
        await using var host = await HeraldHost.Start(new() { ["Herald:Consumers:CodeHookUrl"] = "" });
        using var client = host.Client();
        await AssertProblem(await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = Phone }), HttpStatusCode.ServiceUnavailable, "code_delivery_unavailable");
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("sign-in code", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_out_device_can_no_longer_connect_and_no_longer_holds_back_the_purge()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var kept = await host.SignIn(Phone);
        var lost = await host.SignIn(Phone);
        await using var open = await host.Connect(lost);
        await open.Next("ready");
        using (var client = host.Client(lost))
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/consumer/v1/devices/current")).StatusCode);
        await open.WaitClosed(TimeSpan.FromSeconds(5)); // its open connection ends with the sign-out
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, open.CloseStatus);
        await Assert.ThrowsAnyAsync<Exception>(() => host.Connect(lost));

        var id = await business.SendOk(new { to = Phone, category = "transactional", text = "only one device now" });
        await using var device = await host.Connect(kept);
        await device.Next("message");
        await device.Ack("delivered", id);
        await Wait.Until(() => LifecycleTests.ContentOf(host, id) is null, TimeSpan.FromSeconds(5), "purge after the only active device acked");
    }
}
