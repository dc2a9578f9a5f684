using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests;

/// <summary>
/// The consumer's data-subject rights over the real server: export (Art. 15/20), erasure (Art. 17) and restriction
/// (Art. 18). Each is automatic, takes effect when the answer comes back, and touches only the consumer who asked.
/// </summary>
public sealed class ConsumerRightsTests
{
    private const string Ann = "+447700900123";
    private const string Bob = "+447700900456";

    // ---------------------------------------------------------------------------------------------------------
    // Export

    [Fact]
    public async Task Export_is_a_json_download_of_the_account_settings_devices_blocks_and_message_metadata_with_content_only_while_waiting()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var rival = await host.CreateBusiness(name: "Rival");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var phoneToken = await host.SignIn(Ann);
        var laptopToken = await host.SignIn(Ann);
        var phoneDevice = await DeviceIdOf(host, phoneToken);
        var laptopDevice = await DeviceIdOf(host, laptopToken);
        using (var laptop = host.Client(laptopToken))
            Assert.Equal(HttpStatusCode.NoContent, (await laptop.DeleteAsync("/consumer/v1/devices/current")).StatusCode);
        using var ann = host.Client(phoneToken);
        await ann.PutAsJsonAsync("/consumer/v1/settings", new { promotional = false });
        await ann.PostAsync($"/consumer/v1/senders/{rival.Id}/block", null);

        await using (var device = await host.Connect(phoneToken))
        {
            await device.Next("ready");
            var delivered = await acme.SendOk(new { to = Ann, category = "transactional", text = "already read" });
            await device.Next("message");
            await device.Ack("delivered", delivered);
            await acme.WaitForStatus(delivered, "delivered");
        }
        var waiting = await acme.SendOk(new { to = Ann, category = "transactional", text = "still waiting for you", url = "https://acme.example/t/1" });
        var refused = await acme.SendOk(new { to = Ann, category = "promotional", text = "a promo she opted out of" });
        await host.SignIn(Bob);
        await acme.SendOk(new { to = Bob, category = "transactional", text = "Bob's business" });

        var response = await ann.GetAsync("/consumer/v1/me/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var raw = await response.Content.ReadAsStringAsync();
        var export = JsonDocument.Parse(raw).RootElement;

        Assert.Equal(Ann, export.GetProperty("phone").GetString());
        var createdAt = export.GetProperty("created_at");
        Assert.EndsWith("Z", createdAt.GetString());
        Assert.InRange(createdAt.GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));

        var settings = export.GetProperty("settings");
        Assert.True(settings.GetProperty("business_messages").GetBoolean());
        Assert.False(settings.GetProperty("promotional").GetBoolean());
        Assert.False(settings.TryGetProperty("restricted_at", out _));

        var devices = export.GetProperty("devices").EnumerateArray().ToDictionary(d => d.GetProperty("device_id").GetString()!);
        Assert.Equal(new[] { phoneDevice, laptopDevice }.Order(), devices.Keys.Order());
        Assert.All(devices.Values, d => Assert.True(d.TryGetProperty("signed_in_at", out _)));
        Assert.False(devices[phoneDevice].TryGetProperty("signed_out_at", out _));
        Assert.True(devices[laptopDevice].TryGetProperty("signed_out_at", out _));

        var block = Assert.Single(export.GetProperty("blocked_senders").EnumerateArray());
        Assert.Equal(rival.Id, block.GetProperty("business_id").GetString());
        Assert.True(block.TryGetProperty("blocked_at", out _));

        var messages = export.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(3, messages.Count); // Ann's three, not Bob's
        Assert.All(messages, m => Assert.Equal(acme.Id, m.GetProperty("business_id").GetString()));
        var first = messages[0];
        Assert.Equal("delivered", first.GetProperty("status").GetString());
        Assert.True(first.TryGetProperty("delivered_at", out _));
        Assert.False(first.TryGetProperty("content", out _)); // delivered: the content is gone
        var second = messages[1];
        Assert.Equal(waiting, second.GetProperty("message_id").GetString());
        Assert.Equal("accepted", second.GetProperty("status").GetString());
        Assert.Equal("transactional", second.GetProperty("category").GetString());
        Assert.Equal("still waiting for you", second.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal("https://acme.example/t/1", second.GetProperty("content").GetProperty("url").GetString());
        var third = messages[2];
        Assert.Equal(refused, third.GetProperty("message_id").GetString());
        Assert.Equal("failed", third.GetProperty("status").GetString());
        Assert.Equal("opted_out", third.GetProperty("reason").GetString());
        Assert.Equal("promotional", third.GetProperty("category").GetString());
        Assert.False(third.TryGetProperty("content", out _));

        // Nothing that works as a credential, and nothing of Bob's.
        Assert.DoesNotContain(phoneToken, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(laptopToken, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("token", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Bob, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Bob's business", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_consumer_exports_only_their_own_data()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var ann = host.Client(await host.SignIn(Ann));
        using var bob = host.Client(await host.SignIn(Bob));
        await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);
        await ann.PutAsJsonAsync("/consumer/v1/settings", new { business_messages = false });
        var forBob = await acme.SendOk(new { to = Bob, category = "transactional", text = "for Bob only" });

        var annExport = await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export");
        var bobExport = await bob.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export");
        Assert.Equal(Ann, annExport.GetProperty("phone").GetString());
        Assert.Empty(annExport.GetProperty("messages").EnumerateArray());
        Assert.Single(annExport.GetProperty("blocked_senders").EnumerateArray());

        Assert.Equal(Bob, bobExport.GetProperty("phone").GetString());
        Assert.Empty(bobExport.GetProperty("blocked_senders").EnumerateArray());
        Assert.True(bobExport.GetProperty("settings").GetProperty("business_messages").GetBoolean());
        Assert.Single(bobExport.GetProperty("devices").EnumerateArray());
        var message = Assert.Single(bobExport.GetProperty("messages").EnumerateArray());
        Assert.Equal(forBob, message.GetProperty("message_id").GetString());
        Assert.Equal("for Bob only", message.GetProperty("content").GetProperty("text").GetString());
        Assert.NotEqual(annExport.GetProperty("devices")[0].GetProperty("device_id").GetString(),
            bobExport.GetProperty("devices")[0].GetProperty("device_id").GetString());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Erasure

    [Fact]
    public async Task Erasure_fails_every_waiting_message_with_not_registered_tells_each_sender_and_keeps_delivered_ones_as_they_were()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var bank = await host.CreateBusiness(name: "Bank");
        var token = await host.SignIn(Ann);
        string delivered;
        await using (var device = await host.Connect(token))
        {
            await device.Next("ready");
            delivered = await acme.SendOk(new { to = Ann, category = "transactional", text = "read" });
            await device.Next("message");
            await device.Ack("delivered", delivered);
            await acme.WaitForStatus(delivered, "delivered");
        }
        var fromAcme = await acme.SendOk(new { to = Ann, category = "promotional", text = "waiting 1", tracking_data = "acme-t" });
        var fromBank = await bank.SendOk(new { to = Ann, category = "transactional", text = "waiting 2", tracking_data = "bank-t" });
        Assert.NotNull(LifecycleTests.ContentOf(host, fromAcme));

        using var ann = host.Client(token);
        Assert.Equal(HttpStatusCode.NoContent, (await ann.DeleteAsync("/consumer/v1/me")).StatusCode);

        foreach (var (business, id) in new[] { (acme, fromAcme), (bank, fromBank) })
        {
            var status = await business.Status(id); // failed when the erasure was answered
            Assert.Equal("failed", status.GetProperty("status").GetString());
            Assert.Equal("not_registered", status.GetProperty("reason").GetString());
            Assert.Null(LifecycleTests.ContentOf(host, id));
        }
        Assert.Equal("delivered", (await acme.Status(delivered)).GetProperty("status").GetString());

        var events = await host.Receiver.WaitForEvents(e => e.Count(x => TypeOf(x) == "failed") >= 2);
        var failed = events.Where(e => TypeOf(e) == "failed").ToDictionary(e => e.GetProperty("message_id").GetString()!);
        Assert.Equal(new[] { fromAcme, fromBank }.Order(), failed.Keys.Order());
        Assert.All(failed.Values, e => Assert.Equal("not_registered", e.GetProperty("reason").GetString()));
        Assert.All(failed.Values, e => Assert.Equal(Ann, e.GetProperty("to").GetString()));
        Assert.Equal("acme-t", failed[fromAcme].GetProperty("tracking_data").GetString());
        Assert.Equal("bank-t", failed[fromBank].GetProperty("tracking_data").GetString());
        Assert.True(Signed(acme, host.Receiver.Posts.Single(p => p.Events.Any(e => e.GetProperty("message_id").GetString() == fromAcme && TypeOf(e) == "failed"))));
        Assert.True(Signed(bank, host.Receiver.Posts.Single(p => p.Events.Any(e => e.GetProperty("message_id").GetString() == fromBank))));
    }

    [Fact]
    public async Task After_erasure_every_device_token_of_the_consumer_is_refused_everywhere()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var phoneToken = await host.SignIn(Ann);
        var laptopToken = await host.SignIn(Ann);
        using (var phone = host.Client(phoneToken))
            Assert.Equal(HttpStatusCode.NoContent, (await phone.DeleteAsync("/consumer/v1/me")).StatusCode);

        foreach (var token in new[] { phoneToken, laptopToken })
        {
            using var replayed = host.Client(token);
            await AssertProblem(await replayed.GetAsync("/consumer/v1/settings"), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await replayed.PutAsJsonAsync("/consumer/v1/settings", new { promotional = false }), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await replayed.GetAsync("/consumer/v1/senders"), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await replayed.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await replayed.GetAsync("/consumer/v1/me/export"), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await replayed.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true }), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await replayed.DeleteAsync("/consumer/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await replayed.DeleteAsync("/consumer/v1/devices/current"), HttpStatusCode.Unauthorized, "unauthorized");

            var refused = await Assert.ThrowsAnyAsync<Exception>(() => host.Connect(token));
            Assert.Contains("401", refused.Message + refused.InnerException?.Message);

            await using var browser = await TestDevice.Connect(host.BaseAddress, token, tokenInFrame: true);
            Assert.Equal("unauthorized", (await browser.Next("error")).GetProperty("code").GetString());
            await browser.WaitClosed(TimeSpan.FromSeconds(5));
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, browser.CloseStatus);
        }
        Assert.Empty(host.Receiver.AcknowledgedEvents); // the refused block did not reach the sender either
    }

    [Fact]
    public async Task Erasure_closes_every_open_connection_of_the_consumer_and_no_one_elses()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        var annToken = await host.SignIn(Ann);
        await using var annPhone = await host.Connect(annToken);
        await using var annLaptop = await host.Connect(await host.SignIn(Ann));
        await using var bob = await host.Connect(await host.SignIn(Bob));
        foreach (var device in new[] { annPhone, annLaptop, bob })
            await device.Next("ready");

        using (var ann = host.Client(annToken))
            Assert.Equal(HttpStatusCode.NoContent, (await ann.DeleteAsync("/consumer/v1/me")).StatusCode);
        foreach (var device in new[] { annPhone, annLaptop })
        {
            await device.WaitClosed(TimeSpan.FromSeconds(5));
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, device.CloseStatus);
        }

        Assert.Null(bob.CloseStatus);
        var id = await acme.SendOk(new { to = Bob, category = "transactional", text = "Bob is still here" });
        Assert.Equal(id, (await bob.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        await bob.Ack("delivered", id);
        await acme.WaitForStatus(id, "delivered");
    }

    [Fact]
    public async Task An_erased_consumers_connection_cannot_reply_even_if_it_ignores_the_close()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var token = await host.SignIn(Ann);
        await using var device = await host.Connect(token);
        await device.Next("ready");
        await using var bob = await host.Connect(await host.SignIn(Bob));
        await bob.Next("ready");

        using (var ann = host.Client(token))
            Assert.Equal(HttpStatusCode.NoContent, (await ann.DeleteAsync("/consumer/v1/me")).StatusCode);
        // A hostile client does not answer the server's close and keeps sending.
        try
        {
            await device.Send(new { type = "reply", business_id = acme.Id, text = "written after my erasure" });
        }
        catch (WebSocketException)
        {
            // refused at the socket: as good as refused by the server
        }

        // Barrier: an event the sender gets after the frame above was handled.
        var id = await acme.SendOk(new { to = Bob, category = "transactional", text = "hi Bob" });
        await bob.Next("message");
        await bob.Ack("delivered", id);
        await host.Receiver.WaitForEvents(e => e.Any(x => TypeOf(x) == "delivered"));
        await Task.Delay(300);
        Assert.DoesNotContain(host.Receiver.AcknowledgedEvents, e => TypeOf(e) == "reply");
    }

    [Fact]
    public async Task After_erasure_sends_fail_not_registered_and_the_number_can_return_as_a_new_consumer_with_nothing_of_the_old_one()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var oldToken = await host.SignIn(Ann);
        string oldMessage;
        using (var old = host.Client(oldToken))
        {
            oldMessage = await acme.SendOk(new { to = Ann, category = "transactional", text = "before erasure" });
            await old.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);
            await old.PutAsJsonAsync("/consumer/v1/settings", new { promotional = false });
            await old.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true });
            var oldCreated = (await old.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export")).GetProperty("created_at").GetDateTimeOffset();
            Assert.Equal(HttpStatusCode.NoContent, (await old.DeleteAsync("/consumer/v1/me")).StatusCode);

            var later = await acme.SendOk(new { to = Ann, category = "promotional", text = "anyone?" });
            var status = await acme.Status(later);
            Assert.Equal("failed", status.GetProperty("status").GetString());
            Assert.Equal("not_registered", status.GetProperty("reason").GetString());

            var newToken = await host.SignIn(Ann);
            using var again = host.Client(newToken);
            var export = await again.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export");
            Assert.Equal(Ann, export.GetProperty("phone").GetString());
            Assert.True(export.GetProperty("created_at").GetDateTimeOffset() >= oldCreated);
            Assert.Empty(export.GetProperty("messages").EnumerateArray());
            Assert.Empty(export.GetProperty("blocked_senders").EnumerateArray());
            Assert.Single(export.GetProperty("devices").EnumerateArray());
            var settings = await again.GetFromJsonAsync<JsonElement>("/consumer/v1/settings");
            Assert.True(settings.GetProperty("business_messages").GetBoolean());
            Assert.True(settings.GetProperty("promotional").GetBoolean());
            Assert.False(settings.GetProperty("restricted").GetBoolean());
            Assert.Empty((await again.GetFromJsonAsync<JsonElement>("/consumer/v1/senders")).EnumerateArray());

            // The old block and restriction are gone with the old consumer: the sender reaches the new one.
            await using var device = await host.Connect(newToken);
            await device.Next("ready");
            var welcome = await acme.SendOk(new { to = Ann, category = "promotional", text = "welcome" });
            Assert.Equal([welcome], (await device.MessagesWithin(TimeSpan.FromMilliseconds(800))).Select(m => m.GetProperty("message_id").GetString()));

            // The new consumer cannot reply about the erased consumer's message: it is not theirs.
            await device.Send(new { type = "reply", business_id = acme.Id, message_id = oldMessage, text = "about the old one", @ref = "old" });
            var error = await device.Next("error");
            Assert.Equal("not_found", error.GetProperty("code").GetString());
            Assert.Equal("old", error.GetProperty("ref").GetString());

            // The old tokens stay dead after the number came back.
            await AssertProblem(await old.GetAsync("/consumer/v1/settings"), HttpStatusCode.Unauthorized, "unauthorized");
        }
    }

    [Fact]
    public async Task Erasing_one_consumer_leaves_another_untouched()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        var rival = await host.CreateBusiness(name: "Rival", webhook: false);
        using var ann = host.Client(await host.SignIn(Ann));
        var bobToken = await host.SignIn(Bob);
        using var bob = host.Client(bobToken);
        await bob.PostAsync($"/consumer/v1/senders/{rival.Id}/block", null);
        var waitingForBob = await acme.SendOk(new { to = Bob, category = "transactional", text = "for Bob" });

        Assert.Equal(HttpStatusCode.NoContent, (await ann.DeleteAsync("/consumer/v1/me")).StatusCode);

        Assert.Equal("accepted", (await acme.Status(waitingForBob)).GetProperty("status").GetString());
        var export = await bob.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export");
        Assert.Equal(rival.Id, Assert.Single(export.GetProperty("blocked_senders").EnumerateArray()).GetProperty("business_id").GetString());
        Assert.Equal("for Bob", Assert.Single(export.GetProperty("messages").EnumerateArray()).GetProperty("content").GetProperty("text").GetString());
        await using var device = await host.Connect(bobToken);
        Assert.Equal([waitingForBob], (await device.MessagesWithin(TimeSpan.FromMilliseconds(800))).Select(m => m.GetProperty("message_id").GetString()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Restriction

    [Fact]
    public async Task Restriction_fails_waiting_messages_at_once_and_refuses_new_sends_with_restricted()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var bank = await host.CreateBusiness(name: "Bank");
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        var waitingAcme = await acme.SendOk(new { to = Ann, category = "promotional", text = "waiting", tracking_data = "ta" });
        var waitingBank = await bank.SendOk(new { to = Ann, category = "transactional", text = "waiting too", tracking_data = "tb" });

        var answer = await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.True((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("restricted").GetBoolean());

        foreach (var (business, id) in new[] { (acme, waitingAcme), (bank, waitingBank) })
        {
            var status = await business.Status(id);
            Assert.Equal("failed", status.GetProperty("status").GetString());
            Assert.Equal("restricted", status.GetProperty("reason").GetString());
            Assert.Null(LifecycleTests.ContentOf(host, id));
        }
        var newTransactional = await acme.SendOk(new { to = Ann, category = "transactional", text = "new" });
        var newPromotional = await bank.SendOk(new { to = Ann, category = "promotional", text = "new promo" });
        Assert.Equal("restricted", (await acme.Status(newTransactional)).GetProperty("reason").GetString());
        Assert.Equal("restricted", (await bank.Status(newPromotional)).GetProperty("reason").GetString());
        Assert.Null(LifecycleTests.ContentOf(host, newTransactional));

        var events = await host.Receiver.WaitForEvents(e => e.Count >= 4);
        Assert.All(events, e =>
        {
            Assert.Equal("failed", TypeOf(e));
            Assert.Equal("restricted", e.GetProperty("reason").GetString());
            Assert.Equal(Ann, e.GetProperty("to").GetString());
        });
        Assert.Equal("ta", events.Single(e => e.GetProperty("message_id").GetString() == waitingAcme).GetProperty("tracking_data").GetString());
        Assert.Equal("tb", events.Single(e => e.GetProperty("message_id").GetString() == waitingBank).GetProperty("tracking_data").GetString());

        Assert.True((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/settings")).GetProperty("restricted").GetBoolean());
        Assert.True((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export")).GetProperty("settings").TryGetProperty("restricted_at", out _));

        // Nothing is pushed to a device that connects while restricted.
        await using var device = await host.Connect(token);
        await device.Next("ready");
        Assert.Empty(await device.MessagesWithin(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Restricting_while_connected_stops_pushes_and_a_late_ack_does_not_revive_the_failed_message()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        await using var device = await host.Connect(token);
        await device.Next("ready");
        var shown = await acme.SendOk(new { to = Ann, category = "transactional", text = "pushed, not yet acknowledged" });
        Assert.Equal(shown, (await device.Next("message")).GetProperty("message").GetProperty("message_id").GetString());

        await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true });
        Assert.Equal("restricted", (await acme.Status(shown)).GetProperty("reason").GetString());
        await device.Ack("delivered", shown);
        await device.Ack("seen", shown);
        var refused = await acme.SendOk(new { to = Ann, category = "transactional", text = "while restricted" });
        await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.Empty(await device.MessagesWithin(TimeSpan.FromMilliseconds(500)));

        // Barrier: lift, send, ack: the only delivered event is for the new message.
        await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = false });
        var after = await acme.SendOk(new { to = Ann, category = "transactional", text = "after" });
        Assert.Equal(after, (await device.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        await device.Ack("delivered", after);
        var events = await host.Receiver.WaitForEvents(e => e.Any(x => TypeOf(x) == "delivered"));
        await Task.Delay(300);
        events = host.Receiver.AcknowledgedEvents;
        Assert.Equal([("failed", shown), ("failed", refused), ("delivered", after)],
            events.Select(e => (TypeOf(e), e.GetProperty("message_id").GetString())));
        var status = await acme.Status(shown);
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.False(status.TryGetProperty("delivered_at", out _));
        Assert.False(status.TryGetProperty("seen_at", out _));
    }

    [Fact]
    public async Task A_restricted_consumer_cannot_reply_until_the_restriction_is_lifted()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        await using var device = await host.Connect(token);
        await device.Next("ready");
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "question" });
        await device.Next("message");
        await device.Ack("delivered", id);
        await acme.WaitForStatus(id, "delivered");

        await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true });
        await device.Send(new { type = "reply", business_id = acme.Id, text = "while restricted", @ref = "r1" });
        var refused = await device.Next("error");
        Assert.Equal("restricted", refused.GetProperty("code").GetString());
        Assert.Equal("r1", refused.GetProperty("ref").GetString());
        await device.Send(new { type = "reply", business_id = acme.Id, message_id = id, text = "about the question, while restricted", @ref = "r2" });
        Assert.Equal("restricted", (await device.Next("error")).GetProperty("code").GetString());

        await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = false });
        await device.Send(new { type = "reply", business_id = acme.Id, message_id = id, text = "now I can", @ref = "r3" });
        Assert.Equal("r3", (await device.Next("reply_sent")).GetProperty("ref").GetString());
        await host.Receiver.WaitForEvents(e => e.Any(x => TypeOf(x) == "reply"));
        await Task.Delay(300);
        var reply = Assert.Single(host.Receiver.AcknowledgedEvents, e => TypeOf(e) == "reply");
        Assert.Equal("now I can", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Lifting_the_restriction_lets_new_messages_through_but_does_not_revive_the_ones_it_failed()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        var failed = await acme.SendOk(new { to = Ann, category = "transactional", text = "failed by the restriction" });
        await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true });

        var lifted = await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = false });
        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        Assert.False((await lifted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("restricted").GetBoolean());
        Assert.False((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/settings")).GetProperty("restricted").GetBoolean());
        Assert.False((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export")).GetProperty("settings").TryGetProperty("restricted_at", out _));

        var fresh = await acme.SendOk(new { to = Ann, category = "promotional", text = "fresh" });
        Assert.Equal("accepted", (await acme.Status(fresh)).GetProperty("status").GetString());
        await using var device = await host.Connect(token);
        var pushed = await device.MessagesWithin(TimeSpan.FromMilliseconds(800));
        Assert.Equal([fresh], pushed.Select(m => m.GetProperty("message_id").GetString()));
        await device.Ack("delivered", fresh);
        await acme.WaitForStatus(fresh, "delivered");
        Assert.Equal("restricted", (await acme.Status(failed)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Restricting_or_lifting_twice_changes_nothing_the_second_time()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        var waiting = await acme.SendOk(new { to = Ann, category = "transactional", text = "waiting" });

        Assert.Equal(HttpStatusCode.OK, (await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = false })).StatusCode);

        await using var device = await host.Connect(token);
        await device.Next("ready");
        var after = await acme.SendOk(new { to = Ann, category = "transactional", text = "after" });
        Assert.Equal(after, (await device.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        await device.Ack("delivered", after);
        await host.Receiver.WaitForEvents(e => e.Any(x => TypeOf(x) == "delivered"));
        await Task.Delay(300);
        Assert.Equal([("failed", waiting), ("delivered", after)],
            host.Receiver.AcknowledgedEvents.Select(e => (TypeOf(e), e.GetProperty("message_id").GetString())));
    }

    [Fact]
    public async Task The_restriction_needs_a_boolean_and_a_refused_request_restricts_nothing()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        var token = await host.SignIn(Ann);
        using var ann = host.Client(token);
        var waiting = await acme.SendOk(new { to = Ann, category = "transactional", text = "waiting" });

        await AssertProblem(await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { }), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await ann.PutAsync("/consumer/v1/me/restriction", new StringContent("{\"restricted\":null}", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = "yes" }), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = 1 }), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true, phone = Bob }), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await ann.PutAsync("/consumer/v1/me/restriction", new StringContent("{\"restricted\":tru", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await ann.PutAsync("/consumer/v1/me/restriction", new StringContent("restricted=true", Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        Assert.False((await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/settings")).GetProperty("restricted").GetBoolean());
        Assert.Equal("accepted", (await acme.Status(waiting)).GetProperty("status").GetString());
        await using var device = await host.Connect(token);
        Assert.Equal([waiting], (await device.MessagesWithin(TimeSpan.FromMilliseconds(800))).Select(m => m.GetProperty("message_id").GetString()));
    }

    [Fact]
    public async Task One_consumers_restriction_leaves_another_receiving_and_replying()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        using (var ann = host.Client(await host.SignIn(Ann)))
            await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true });
        var bobToken = await host.SignIn(Bob);
        await using var bob = await host.Connect(bobToken);
        await bob.Next("ready");

        var id = await acme.SendOk(new { to = Bob, category = "transactional", text = "for Bob" });
        Assert.Equal(id, (await bob.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        await bob.Send(new { type = "reply", business_id = acme.Id, message_id = id, text = "thanks" });
        await bob.Next("reply_sent");
        using var bobClient = host.Client(bobToken);
        Assert.False((await bobClient.GetFromJsonAsync<JsonElement>("/consumer/v1/settings")).GetProperty("restricted").GetBoolean());
        var toAnn = await acme.SendOk(new { to = Ann, category = "transactional", text = "for Ann" });
        Assert.Equal("restricted", (await acme.Status(toAnn)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_restricted_consumer_can_still_sign_in_export_and_erase_and_restriction_outranks_blocks_and_opt_outs()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        using var ann = host.Client(await host.SignIn(Ann));
        await ann.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null);
        await ann.PutAsJsonAsync("/consumer/v1/settings", new { business_messages = false });
        await ann.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true });
        var id = await acme.SendOk(new { to = Ann, category = "promotional", text = "sale" });
        Assert.Equal("restricted", (await acme.Status(id)).GetProperty("reason").GetString());

        using var newDevice = host.Client(await host.SignIn(Ann));
        var export = await newDevice.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export");
        Assert.Equal(2, export.GetProperty("devices").GetArrayLength());
        Assert.True(export.GetProperty("settings").TryGetProperty("restricted_at", out _));
        Assert.Equal(HttpStatusCode.NoContent, (await newDevice.DeleteAsync("/consumer/v1/me")).StatusCode);
        await AssertProblem(await ann.GetAsync("/consumer/v1/me/export"), HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("not_registered", (await acme.Status(await acme.SendOk(new { to = Ann, category = "transactional", text = "x" }))).GetProperty("reason").GetString());
    }

    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Only_a_signed_in_device_token_can_export_erase_or_restrict()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        var token = await host.SignIn(Ann);
        var signedOut = await host.SignIn(Ann);
        using (var leaving = host.Client(signedOut))
            Assert.Equal(HttpStatusCode.NoContent, (await leaving.DeleteAsync("/consumer/v1/devices/current")).StatusCode);

        using var anonymous = host.Client();
        using var withApiKey = host.Client(acme.ApiKey);
        using var withOperatorToken = host.Operator();
        using var withGarbage = host.Client("hdt_not-a-real-token");
        using var withSignedOutToken = host.Client(signedOut);
        using var withTokenInQuery = host.Client();
        foreach (var client in new[] { anonymous, withApiKey, withOperatorToken, withGarbage, withSignedOutToken })
        {
            await AssertProblem(await client.GetAsync("/consumer/v1/me/export"), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await client.DeleteAsync("/consumer/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await client.PutAsJsonAsync("/consumer/v1/me/restriction", new { restricted = true }), HttpStatusCode.Unauthorized, "unauthorized");
        }
        await AssertProblem(await withTokenInQuery.DeleteAsync($"/consumer/v1/me?access_token={token}"), HttpStatusCode.Unauthorized, "unauthorized");

        // Nothing happened to Ann.
        using var ann = host.Client(token);
        var settings = await ann.GetFromJsonAsync<JsonElement>("/consumer/v1/settings");
        Assert.False(settings.GetProperty("restricted").GetBoolean());
        var id = await acme.SendOk(new { to = Ann, category = "transactional", text = "still here" });
        Assert.Equal("accepted", (await acme.Status(id)).GetProperty("status").GetString());
    }

    private static async Task<string> DeviceIdOf(HeraldHost host, string token)
    {
        await using var device = await host.Connect(token);
        return (await device.Next("ready")).GetProperty("device_id").GetString()!;
    }

    private static string? TypeOf(JsonElement e) => e.GetProperty("type").GetString();

    private static bool Signed(TestBusiness business, ReceivedPost post) =>
        post.VerifiesWith(business.WebhookSecret!);
}
