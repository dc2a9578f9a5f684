using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Push;

/// <summary>
/// A consumer's devices in step: acks and waiting messages over HTTP, the device list and signing out any one device,
/// mute, <c>read</c> frames (live and on connect) and <c>reply_echo</c>; other consumers' ids change nothing.
/// </summary>
public sealed class DeviceSyncTests
{
    private const string Ann = "+447700900123";
    private const string Bob = "+447700900456";
    private const string AndroidChrome = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    private const string WindowsFirefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

    [Fact]
    public async Task Acks_over_http_are_checked_and_ignore_other_consumers_messages()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var ann = host.Client(await host.SignIn(Ann));
        using var bob = host.Client(await host.SignIn(Bob));
        var bobs = await acme.SendOk(new { to = Bob, category = "transactional", text = "Bob's" });

        var foreign = await ann.PostAsJsonAsync("/consumer/v1/acks", new { ack = "seen", message_ids = new[] { bobs } });
        Assert.Equal(HttpStatusCode.OK, foreign.StatusCode); // confirmed like any id: acknowledging it again would change nothing either
        Assert.Equal("accepted", (await acme.Status(bobs)).GetProperty("status").GetString());
        Assert.Single((await bob.GetFromJsonAsync<JsonElement>("/consumer/v1/messages/waiting")).GetProperty("messages").EnumerateArray());
        Assert.Empty((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/messages/waiting")).GetProperty("messages").EnumerateArray());

        foreach (var bad in new object[]
                 {
                     new { ack = "read", message_ids = new[] { bobs } }, new { ack = "seen", message_ids = Array.Empty<string>() },
                     new { ack = "seen", message_ids = Enumerable.Range(0, 1001).Select(i => $"msg_{i}").ToArray() }, new { ack = "seen" },
                 })
        {
            var response = await ann.PostAsJsonAsync("/consumer/v1/acks", bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
        using var anyone = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.PostAsJsonAsync("/consumer/v1/acks", new { ack = "seen", message_ids = new[] { bobs } })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.GetAsync("/consumer/v1/messages/waiting")).StatusCode);

        var seen = await bob.PostAsJsonAsync("/consumer/v1/acks", new { ack = "seen", message_ids = new[] { bobs } });
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        Assert.Equal("seen", (await acme.Status(bobs)).GetProperty("status").GetString());
        await host.Receiver.WaitForEvents(e => e.Count(x => x.GetProperty("message_id").GetString() == bobs) == 2); // delivered, then seen
    }

    [Fact]
    public async Task The_device_list_names_devices_and_one_device_signs_out_another_but_not_someone_elses()
    {
        await using var host = await HeraldHost.Start();
        var phoneToken = await SignIn(host, Ann, AndroidChrome);
        var laptopToken = await SignIn(host, Ann, WindowsFirefox);
        var bobToken = await SignIn(host, Bob, null);
        using var phone = host.Client(phoneToken);
        using var bob = host.Client(bobToken);

        var devices = (await phone.GetFromJsonAsync<JsonElement>("/consumer/v1/devices")).GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal(["Chrome on Android", "Firefox on Windows"], devices.Select(d => d.GetProperty("name").GetString()));
        Assert.Equal([true, false], devices.Select(d => d.GetProperty("current").GetBoolean()));
        Assert.All(devices, d => Assert.False(d.GetProperty("push").GetBoolean()));
        var laptopId = devices[1].GetProperty("device_id").GetString();
        var bobsDevice = Assert.Single((await bob.GetFromJsonAsync<JsonElement>("/consumer/v1/devices")).GetProperty("devices").EnumerateArray());
        Assert.Equal("Unknown device", bobsDevice.GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await phone.DeleteAsync($"/consumer/v1/devices/{bobsDevice.GetProperty("device_id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/consumer/v1/devices")).StatusCode); // Bob is still signed in

        await using var laptopSocket = await host.Connect(laptopToken);
        await laptopSocket.Next("ready");
        Assert.Equal(HttpStatusCode.NoContent, (await phone.DeleteAsync($"/consumer/v1/devices/{laptopId}")).StatusCode);
        await laptopSocket.WaitClosed(TimeSpan.FromSeconds(5));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, laptopSocket.CloseStatus);
        using var laptop = host.Client(laptopToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.GetAsync("/consumer/v1/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await phone.DeleteAsync($"/consumer/v1/devices/{laptopId}")).StatusCode); // already out
        Assert.Single((await phone.GetFromJsonAsync<JsonElement>("/consumer/v1/devices")).GetProperty("devices").EnumerateArray());
    }

    [Fact]
    public async Task Mute_is_separate_from_block_and_shows_in_the_senders_list()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var ann = host.Client(await host.SignIn(Ann));

        var muted = await (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/mute", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(muted.GetProperty("muted").GetBoolean());
        Assert.False(muted.GetProperty("blocked").GetBoolean());
        var listed = Assert.Single((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/senders")).EnumerateArray());
        Assert.True(listed.GetProperty("muted").GetBoolean());

        // Muted messages still arrive; the business is told nothing.
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "Still here" });
        Assert.Single((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/messages/waiting")).GetProperty("messages").EnumerateArray());
        Assert.Equal("accepted", (await acme.Status(id)).GetProperty("status").GetString());
        Assert.DoesNotContain(host.Receiver.AcknowledgedEvents, e => e.GetProperty("type").GetString() is "unsubscribed" or "subscribed");

        var unmuted = await (await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/unmute", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(unmuted.GetProperty("muted").GetBoolean());
        Assert.False(Assert.Single((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/senders")).EnumerateArray()).GetProperty("muted").GetBoolean());
        var unknown = await ann.PostAsync("/consumer/v1/senders/biz_nope/mute", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Seen_on_one_device_reaches_the_others_live_and_on_their_next_connect_and_never_another_consumer()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var phoneToken = await host.SignIn(Ann);
        var laptopToken = await host.SignIn(Ann);
        var bobToken = await host.SignIn(Bob);
        var first = await acme.SendOk(new { to = Ann, category = "transactional", text = "One" });
        var second = await acme.SendOk(new { to = Ann, category = "transactional", text = "Two" });
        var bobs = await acme.SendOk(new { to = Bob, category = "transactional", text = "Bob's" });

        await using var bobSocket = await host.Connect(bobToken);
        await bobSocket.Next("ready");
        await using var phone = await host.Connect(phoneToken);
        await phone.Next("ready");
        var laptop = await host.Connect(laptopToken);
        await laptop.Next("ready");

        await phone.Ack("seen", first, bobs);
        await phone.Next("acked");
        var read = await laptop.Next("read");
        Assert.Equal([first], read.GetProperty("message_ids").EnumerateArray().Select(e => e.GetString())); // not Bob's id
        await laptop.DisposeAsync();

        // Seen over HTTP while the laptop is away: it learns it when it connects again.
        using (var phoneHttp = host.Client(phoneToken))
            (await phoneHttp.PostAsJsonAsync("/consumer/v1/acks", new { ack = "seen", message_ids = new[] { second } })).EnsureSuccessStatusCode();
        await using var laptopAgain = await host.Connect(laptopToken);
        var missed = (await laptopAgain.Next("read")).GetProperty("message_ids").EnumerateArray().Select(e => e.GetString()).ToList();
        // What was read while it was connected may come again (reading twice changes nothing); Bob's never.
        Assert.Equal(new[] { first, second }.Order(), missed.Order());
        Assert.DoesNotContain(bobs, missed);

        // The device that sent seen gets no read frame of its own, and Bob hears nothing.
        var frames = new List<string?>();
        foreach (var socket in new[] { phone, bobSocket })
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                while (await socket.NextFrame(cancel.Token) is { } frame)
                    frames.Add(frame.GetProperty("type").GetString());
            }
            catch (OperationCanceledException)
            {
            }
        }
        Assert.DoesNotContain("read", frames);
    }

    [Fact]
    public async Task A_reply_from_one_device_is_echoed_to_the_consumers_other_devices_only()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var phone = await host.Connect(await host.SignIn(Ann));
        await phone.Next("ready");
        await using var laptop = await host.Connect(await host.SignIn(Ann));
        await laptop.Next("ready");
        await using var bob = await host.Connect(await host.SignIn(Bob));
        await bob.Next("ready");

        await phone.Send(new { type = "reply", business_id = acme.Id, text = "Leave it with the neighbour 📦" });
        var sent = await phone.Next("reply_sent");
        var echo = await laptop.Next("reply_echo");
        Assert.Equal(sent.GetProperty("reply_id").GetString(), echo.GetProperty("reply_id").GetString());
        Assert.Equal(acme.Id, echo.GetProperty("business_id").GetString());
        Assert.Equal("Leave it with the neighbour 📦", echo.GetProperty("text").GetString());
        Assert.True(echo.TryGetProperty("sent_at", out _));
        await Assert.ThrowsAsync<TimeoutException>(() => phone.Next("reply_echo", TimeSpan.FromMilliseconds(500)));
        await Assert.ThrowsAsync<TimeoutException>(() => bob.Next("reply_echo", TimeSpan.FromMilliseconds(500)));
    }

    private static async Task<string> SignIn(HeraldHost host, string phone, string? userAgent)
    {
        using var client = host.Client();
        if (userAgent is not null)
            client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        (await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone })).EnsureSuccessStatusCode();
        var response = await client.PostAsJsonAsync("/consumer/v1/sign-in", new { phone, code = host.Receiver.CodeFor(phone) });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
