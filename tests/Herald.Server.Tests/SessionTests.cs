using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>
/// Sessions: a consumer's reply opens a 24-hour window in which the business may answer free-form (category
/// <c>session</c>) without a template; outside it the answer is refused with <c>session_closed</c>. The clock is fake,
/// so the window's edges (23 h 59 m, 24 h 01 m) are tested exactly.
/// </summary>
public sealed class SessionTests
{
    private const string Ann = "+447700900123";

    private static object Answer(string text = "Your parcel is at the depot: pick it up today?") => new
    {
        to = Ann, category = "session", text, image_url = "https://acme.example/parcel.png",
        button = new { caption = "Choose a time", action = "https://acme.example/slots" },
    };

    [Fact]
    public async Task A_reply_opens_a_24_hour_window_for_free_form_answers_and_only_for_that_business()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var acme = await host.CreateBusiness(twoWay: true);
        var other = await host.CreateBusiness(twoWay: true, name: "Other");
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");

        await AssertSessionClosed(await acme.Send(Answer())); // the consumer has not written yet

        await device.Send(new { type = "reply", business_id = acme.Id, text = "Where is my parcel?" });
        await device.Next("reply_sent");

        var answered = await acme.SendOk(Answer());
        var pushed = (await device.Next("message")).GetProperty("message");
        Assert.Equal("session", pushed.GetProperty("category").GetString());
        Assert.Equal("Choose a time", pushed.GetProperty("button").GetProperty("caption").GetString());
        Assert.Equal("session", (await acme.Status(answered)).GetProperty("category").GetString());
        await AssertSessionClosed(await other.Send(Answer())); // Ann wrote to Acme, not to Other

        host.Time!.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));
        await acme.SendOk(Answer("Still there?"));

        host.Time.Advance(TimeSpan.FromMinutes(2)); // 24 h 01 m after the reply
        await AssertSessionClosed(await acme.Send(Answer("Too late")));
        await acme.SendOk(new { to = Ann, category = "transactional", text = "Your parcel is ready." }); // the usual rules still work

        await device.Send(new { type = "reply", business_id = acme.Id, text = "Sorry, I was away" });
        await device.Next("reply_sent");
        await acme.SendOk(Answer("No problem!")); // a new reply opens a new window
    }

    [Fact]
    public async Task Status_callbacks_say_session_and_the_funnel_counts_sessions_on_their_own()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        await device.Send(new { type = "reply", business_id = acme.Id, text = "Hello" });
        await device.Next("reply_sent");

        var session = await acme.SendOk(Answer());
        var promo = await acme.SendOk(new { to = Ann, category = "promotional", text = "20% off" });
        await device.Next("message");
        await device.Next("message");
        await device.Ack("seen", session, promo);

        var events = await host.Receiver.WaitForEvents(e => e.Count(x => x.GetProperty("type").GetString() == "seen") == 2);
        foreach (var e in events.Where(e => e.GetProperty("type").GetString() is "delivered" or "seen"))
            Assert.Equal(e.GetProperty("message_id").GetString() == session ? "session" : "promotional", e.GetProperty("category").GetString());
        Assert.All(events.Where(e => e.GetProperty("type").GetString() == "reply"), e => Assert.False(e.TryGetProperty("category", out _)));

        using var client = acme.Client();
        var today = (await client.GetFromJsonAsync<JsonElement>("/v1/stats/daily?days=1&category=session")).GetProperty("days")[0];
        Assert.Equal(1, today.GetProperty("accepted").GetInt32());
        Assert.Equal(1, today.GetProperty("seen").GetInt32());
        var all = (await client.GetFromJsonAsync<JsonElement>("/v1/stats/daily?days=1")).GetProperty("days")[0];
        Assert.Equal(2, all.GetProperty("accepted").GetInt32());

        var bad = await client.GetAsync("/v1/stats/daily?category=spam");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.Contains("session", problem.GetProperty("errors").GetProperty("category").GetString());
    }

    [Fact]
    public async Task Blocks_and_the_opt_out_from_all_business_messages_still_win_over_an_open_session()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var token = await host.SignIn(Ann);
        await using var device = await host.Connect(token);
        await device.Next("ready");
        await device.Send(new { type = "reply", business_id = acme.Id, text = "Hi" });
        await device.Next("reply_sent");
        using var me = host.Client(token);

        // Turning promotional messages off does not stop answers in a conversation the consumer started.
        (await me.PutAsJsonAsync("/consumer/v1/settings", new { promotional = false })).EnsureSuccessStatusCode();
        var answered = await acme.SendOk(Answer());
        await device.Next("message");
        await device.Ack("delivered", answered);
        await acme.WaitForStatus(answered, "delivered");

        (await me.PutAsJsonAsync("/consumer/v1/settings", new { business_messages = false })).EnsureSuccessStatusCode();
        var optedOut = await acme.SendOk(Answer());
        await acme.WaitForStatus(optedOut, "failed");
        Assert.Equal("opted_out", (await acme.Status(optedOut)).GetProperty("reason").GetString());

        (await me.PutAsJsonAsync("/consumer/v1/settings", new { business_messages = true })).EnsureSuccessStatusCode();
        (await me.PostAsync($"/consumer/v1/senders/{acme.Id}/block", null)).EnsureSuccessStatusCode();
        var blocked = await acme.SendOk(Answer());
        await acme.WaitForStatus(blocked, "failed");
        Assert.Equal("blocked", (await acme.Status(blocked)).GetProperty("reason").GetString());
        Assert.Equal("delivered", (await acme.Status(answered)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_export_lists_open_sessions_and_erasure_closes_them()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var token = await host.SignIn(Ann);
        await using (var device = await host.Connect(token))
        {
            await device.Next("ready");
            await device.Send(new { type = "reply", business_id = acme.Id, text = "Hi" });
            await device.Next("reply_sent");
        }
        using var me = host.Client(token);
        var export = await me.GetFromJsonAsync<JsonElement>("/consumer/v1/me/export");
        Assert.Equal(acme.Id, Assert.Single(export.GetProperty("sessions").EnumerateArray()).GetProperty("business_id").GetString());

        (await me.DeleteAsync("/consumer/v1/me")).EnsureSuccessStatusCode();
        // Ann signs up again as a new consumer: the old conversation is gone with the old account.
        await host.SignIn(Ann);
        await AssertSessionClosed(await acme.Send(Answer()));
    }

    private static async Task AssertSessionClosed(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("session_closed", problem.GetProperty("code").GetString());
    }
}
