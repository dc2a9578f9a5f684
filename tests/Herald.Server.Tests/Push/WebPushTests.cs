using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Herald.Storage;
using Herald.Server.Tests.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Push;

/// <summary>
/// Web Push end to end: Herald pushes to a stand-in push service that checks VAPID and decrypts every payload with
/// keys the test made (RFC 8291 written in the test); the device acknowledges over HTTP as a service worker would.
/// </summary>
public sealed class WebPushTests
{
    private const string Ann = "+447700900123";
    private const string Bob = "+447700900456";

    [Fact]
    public async Task A_message_for_a_closed_app_is_pushed_encrypted_and_its_http_ack_gives_the_business_a_delivered_callback()
    {
        await using var setup = await PushSetup.Start();
        var (token, endpoint, _) = await setup.SubscribedDevice(Ann);

        var id = await setup.Business.SendOk(new { to = Ann, category = "transactional", text = "Parcel 42 arrives today", ttl_seconds = 3600 });
        var push = await setup.NextPush(endpoint);
        Assert.Equal(201, push.Answered);
        var payload = push.Json;
        Assert.Equal("message", payload.GetProperty("type").GetString());
        Assert.True(payload.GetProperty("notify").GetBoolean());
        var message = payload.GetProperty("message");
        Assert.Equal(id, message.GetProperty("message_id").GetString());
        Assert.Equal("Parcel 42 arrives today", message.GetProperty("text").GetString());
        Assert.Equal(setup.Business.Id, message.GetProperty("sender").GetProperty("business_id").GetString());
        Assert.Equal("high", push.Urgency); // transactional
        Assert.InRange(int.Parse(push.Ttl), 3500, 3600); // the message's remaining TTL
        Assert.Equal("", push.Topic);

        // The push is not the delivery: the message still waits for this device until it says so.
        using var device = setup.Host.Client(token);
        var waiting = await device.GetFromJsonAsync<JsonElement>("/consumer/v1/messages/waiting");
        Assert.Equal(message.GetRawText(), Assert.Single(waiting.GetProperty("messages").EnumerateArray()).GetRawText());
        Assert.Equal("accepted", (await setup.Business.Status(id)).GetProperty("status").GetString());

        var acked = await device.PostAsJsonAsync("/consumer/v1/acks", new { ack = "delivered", message_ids = new[] { id, id } });
        Assert.Equal(HttpStatusCode.OK, acked.StatusCode);
        var answer = await acked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("delivered", answer.GetProperty("ack").GetString());
        Assert.Equal([id], answer.GetProperty("message_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("delivered", (await setup.Business.Status(id)).GetProperty("status").GetString()); // stored when the 200 came
        await setup.Host.Receiver.WaitForEvents(e => e.Any(x => x.GetProperty("type").GetString() == "delivered" && x.GetProperty("message_id").GetString() == id));

        // Opening the app later: nothing comes again over the WebSocket, and nothing waits.
        await using var socket = await setup.Host.Connect(token);
        await socket.Next("ready");
        Assert.Empty(await socket.MessagesWithin(TimeSpan.FromSeconds(1)));
        Assert.Empty((await device.GetFromJsonAsync<JsonElement>("/consumer/v1/messages/waiting")).GetProperty("messages").EnumerateArray());
        Assert.Single(setup.Service.To(endpoint));
    }

    [Fact]
    public async Task A_connected_device_gets_no_push_and_a_muted_senders_promotion_comes_with_notify_false_and_normal_urgency()
    {
        await using var setup = await PushSetup.Start();
        var (token, endpoint, _) = await setup.SubscribedDevice(Ann);
        using var device = setup.Host.Client(token);
        var muted = await device.PostAsync($"/consumer/v1/senders/{setup.Business.Id}/mute", null);
        Assert.Equal(HttpStatusCode.OK, muted.StatusCode);
        Assert.True((await muted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("muted").GetBoolean());

        string? connectedAt;
        await using (var socket = await setup.Host.Connect(token))
        {
            await socket.Next("ready");
            var online = await setup.Business.SendOk(new { to = Ann, category = "promotional", text = "While you look" });
            Assert.Equal(online, (await socket.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
            await Task.Delay(500);
            Assert.Empty(setup.Service.To(endpoint)); // connected here: the WebSocket has it
            connectedAt = (await Current(device)).GetProperty("last_active_at").GetString();
        }
        // Once the disconnect is recorded (last active moves on), the device counts as away.
        await Wait.Until(async () => (await Current(device)).GetProperty("last_active_at").GetString() != connectedAt, TimeSpan.FromSeconds(5), "the disconnect");

        var id = await setup.Business.SendOk(new { to = Ann, category = "promotional", text = "20% off" });
        var push = await setup.NextPush(endpoint);
        Assert.Equal(id, push.Json.GetProperty("message").GetProperty("message_id").GetString());
        Assert.False(push.Json.GetProperty("notify").GetBoolean());
        Assert.Equal("", push.Urgency); // normal is the default and goes without the header
    }

    [Fact]
    public async Task A_410_drops_the_subscription_and_the_message_still_comes_over_the_websocket_with_one_delivered_callback()
    {
        await using var setup = await PushSetup.Start();
        var (token, endpoint, _) = await setup.SubscribedDevice(Ann);
        setup.Service.Script(endpoint, (410, null));

        var first = await setup.Business.SendOk(new { to = Ann, category = "transactional", text = "First" });
        await Wait.Until(() => setup.Service.To(endpoint).Count == 1, TimeSpan.FromSeconds(10), "the push answered 410");
        Assert.Equal(410, setup.Service.To(endpoint)[0].Answered);
        using var device = setup.Host.Client(token);
        await Wait.Until(async () => !(await Current(device)).GetProperty("push").GetBoolean(), TimeSpan.FromSeconds(10), "the subscription dropped");

        var second = await setup.Business.SendOk(new { to = Ann, category = "transactional", text = "Second" });
        await Task.Delay(1000);
        Assert.Single(setup.Service.To(endpoint)); // no subscription, no push

        await using var socket = await setup.Host.Connect(token);
        var messages = await socket.MessagesWithin(TimeSpan.FromSeconds(2));
        Assert.Equal([first, second], messages.Select(m => m.GetProperty("message_id").GetString()));
        await socket.Ack("delivered", first, second);
        await socket.Next("acked");
        await setup.Host.Receiver.WaitForEvents(e => e.Count(x => x.GetProperty("type").GetString() == "delivered") == 2);
        await Task.Delay(500);
        Assert.Equal(2, setup.Host.Receiver.AcknowledgedEvents.Count(x => x.GetProperty("type").GetString() == "delivered"));
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_after_the_delay()
    {
        await using var setup = await PushSetup.Start();
        var (_, endpoint, _) = await setup.SubscribedDevice(Ann);
        setup.Service.Script(endpoint, (429, "2"));

        var id = await setup.Business.SendOk(new { to = Ann, category = "transactional", text = "Code 1234" });
        var retried = await setup.NextPush(endpoint, count: 2);
        var refused = setup.Service.To(endpoint)[0];
        Assert.Equal(429, refused.Answered);
        Assert.Equal(201, retried.Answered);
        Assert.True(retried.At - refused.At >= TimeSpan.FromSeconds(1.9), $"retried after {(retried.At - refused.At).TotalSeconds} s");
        Assert.Equal(id, retried.Json.GetProperty("message").GetProperty("message_id").GetString());
        await Task.Delay(500);
        Assert.Equal(2, setup.Service.To(endpoint).Count);
    }

    [Fact]
    public async Task A_503_without_retry_after_is_retried_with_backoff()
    {
        await using var setup = await PushSetup.Start();
        var (_, endpoint, _) = await setup.SubscribedDevice(Ann);
        setup.Service.Script(endpoint, (503, null), (500, null));

        await setup.Business.SendOk(new { to = Ann, category = "transactional", text = "Code 1234" });
        var delivered = await setup.NextPush(endpoint, count: 3);
        var pushes = setup.Service.To(endpoint);
        Assert.Equal([503, 500, 201], pushes.Select(p => p.Answered));
        Assert.True(pushes[1].At - pushes[0].At >= TimeSpan.FromSeconds(0.9)); // 1 s, then 2 s
        Assert.True(pushes[2].At - pushes[1].At >= TimeSpan.FromSeconds(1.9));
        Assert.Equal("message", delivered.Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_message_too_big_for_push_and_a_413_both_become_a_content_free_wake_up()
    {
        await using var setup = await PushSetup.Start();
        var (token, endpoint, _) = await setup.SubscribedDevice(Ann);

        var big = string.Concat(Enumerable.Repeat("😀", 1000)); // 1000 characters, 4000 bytes of UTF-8
        var bigId = await setup.Business.SendOk(new { to = Ann, category = "promotional", text = big });
        var wake = await setup.NextPush(endpoint);
        Assert.Equal("""{"type":"wake"}""", wake.Plaintext);
        Assert.Equal("wake", wake.Topic);

        setup.Service.Script(endpoint, (413, null));
        var smallId = await setup.Business.SendOk(new { to = Ann, category = "transactional", text = "Small" });
        var afterRefusal = await setup.NextPush(endpoint, count: 3);
        Assert.Equal(413, setup.Service.To(endpoint)[1].Answered);
        Assert.Equal("""{"type":"wake"}""", afterRefusal.Plaintext);

        // Woken, the worker fetches what waits.
        using var device = setup.Host.Client(token);
        var waiting = await device.GetFromJsonAsync<JsonElement>("/consumer/v1/messages/waiting");
        Assert.Equal([bigId, smallId], waiting.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("message_id").GetString()));
        Assert.Equal(big, waiting.GetProperty("messages")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task With_wake_only_no_content_passes_through_the_push_service()
    {
        await using var setup = await PushSetup.Start(new() { ["Herald:Push:WakeOnly"] = "true" });
        var (_, endpoint, _) = await setup.SubscribedDevice(Ann);
        await setup.Business.SendOk(new { to = Ann, category = "transactional", text = "Secret 987654" });
        var push = await setup.NextPush(endpoint);
        Assert.Equal("""{"type":"wake"}""", push.Plaintext);
        Assert.Equal("high", push.Urgency);
    }

    [Fact]
    public async Task Signing_out_and_erasure_remove_subscriptions()
    {
        await using var setup = await PushSetup.Start();
        var (phoneToken, phoneEndpoint, _) = await setup.SubscribedDevice(Ann);
        var (laptopToken, laptopEndpoint, _) = await setup.SubscribedDevice(Ann);
        var (bobToken, bobEndpoint, _) = await setup.SubscribedDevice(Bob);
        Assert.Equal(3, Subscriptions(setup.Host));

        using (var phone = setup.Host.Client(phoneToken))
            Assert.Equal(HttpStatusCode.NoContent, (await phone.DeleteAsync("/consumer/v1/devices/current")).StatusCode);
        Assert.Equal(2, Subscriptions(setup.Host));
        await setup.Business.SendOk(new { to = Ann, category = "transactional", text = "After sign-out" });
        await setup.NextPush(laptopEndpoint);
        await Task.Delay(500);
        Assert.Empty(setup.Service.To(phoneEndpoint));

        using (var laptop = setup.Host.Client(laptopToken))
            Assert.Equal(HttpStatusCode.NoContent, (await laptop.DeleteAsync("/consumer/v1/me")).StatusCode);
        Assert.Equal(1, Subscriptions(setup.Host)); // only Bob's is left
        await setup.Business.SendOk(new { to = Bob, category = "transactional", text = "Bob's" });
        await setup.NextPush(bobEndpoint);

        using var bob = setup.Host.Client(bobToken);
        Assert.Equal(HttpStatusCode.NoContent, (await bob.DeleteAsync("/consumer/v1/push/subscription")).StatusCode);
        Assert.Equal(0, Subscriptions(setup.Host));
    }

    [Fact]
    public async Task Push_endpoints_inside_the_network_or_over_plain_http_are_refused_with_a_code()
    {
        await using var host = await HeraldHost.Start(); // no Herald:Push:AllowPrivateNetworks
        using var anyone = host.Client();
        var key = (await anyone.GetFromJsonAsync<JsonElement>("/consumer/v1/push/key")).GetProperty("public_key").GetString()!;
        Assert.Equal(65, WebEncoders.Base64UrlDecode(key).Length);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.PutAsJsonAsync("/consumer/v1/push/subscription", new { })).StatusCode);

        using var subscriber = new PushSubscriber();
        using var device = host.Client(await host.SignIn(Ann));
        foreach (var hostile in new[] { "http://169.254.169.254/latest/meta-data/", "https://169.254.169.254/push", "https://127.0.0.1/push/1",
                     "https://10.0.0.7/push", "https://[::1]/push", "https://user:pw@push.example/x", "ftp://push.example/x", "/relative" })
        {
            var response = await device.PutAsJsonAsync("/consumer/v1/push/subscription", subscriber.Json(new Uri(hostile, UriKind.RelativeOrAbsolute)));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("push_endpoint_not_allowed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
        var badKeys = await device.PutAsJsonAsync("/consumer/v1/push/subscription",
            new { endpoint = "https://push.example/x", expirationTime = (long?)null, keys = new { p256dh = "AAAA", auth = "not base64url!" } });
        Assert.Equal(HttpStatusCode.BadRequest, badKeys.StatusCode);
        var problem = await badKeys.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("keys.p256dh", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("keys.auth", out _));
        Assert.Equal(0, Subscriptions(host));
    }

    [Fact]
    public async Task The_vapid_key_pair_is_made_once_kept_owner_only_in_the_data_directory_and_survives_a_restart()
    {
        await using var host = await HeraldHost.Start();
        using (var client = host.Client())
        {
            var first = (await client.GetFromJsonAsync<JsonElement>("/consumer/v1/push/key")).GetProperty("public_key").GetString();
            var file = Path.Combine(host.DataDirectory, "vapid.json");
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(first, JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("public_key").GetString());
            await host.Restart();
            using var again = host.Client();
            Assert.Equal(first, (await again.GetFromJsonAsync<JsonElement>("/consumer/v1/push/key")).GetProperty("public_key").GetString());
        }
    }

    [Fact]
    public async Task A_consumer_remembered_without_a_subscription_is_pushed_to_as_soon_as_a_device_subscribes()
    {
        await using var setup = await PushSetup.Start();
        var token = await setup.Host.SignIn(Ann);
        var consumerId = StoreFiles.Query(setup.Host.Services.GetRequiredService<Database>(), "SELECT consumer_id FROM devices", r => r.GetString(0)).Single();
        var pushless = setup.Host.Services.GetRequiredService<Herald.Server.Push.PushlessConsumers>();
        await setup.Business.SendOk(new { to = Ann, category = "transactional", text = "Before the subscription" });
        // The push worker found no subscription and remembers that for a while instead of reading it per message.
        await Wait.Until(() => pushless.Known(consumerId), TimeSpan.FromSeconds(5), "the consumer remembered as without push");

        var (endpoint, subscriber) = setup.Service.Subscribe();
        using var device = setup.Host.Client(token);
        Assert.Equal(HttpStatusCode.NoContent, (await device.PutAsJsonAsync("/consumer/v1/push/subscription", subscriber.Json(endpoint))).StatusCode);
        Assert.False(pushless.Known(consumerId));
        var id = await setup.Business.SendOk(new { to = Ann, category = "transactional", text = "After the subscription" });
        var push = await setup.NextPush(endpoint);
        Assert.Equal(id, push.Json.GetProperty("message").GetProperty("message_id").GetString());
    }

    private static async Task<JsonElement> Current(HttpClient device) =>
        (await device.GetFromJsonAsync<JsonElement>("/consumer/v1/devices")).GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("current").GetBoolean());

    private static long Subscriptions(HeraldHost host) =>
        StoreFiles.Query(host.Services.GetRequiredService<Database>(), "SELECT COUNT(*) FROM devices WHERE push_endpoint IS NOT NULL", r => r.GetInt64(0))[0];
}
