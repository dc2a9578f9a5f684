using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>
/// The replies inbox: a business chooses where replies go (webhook, inbox, both); each destination gets every reply;
/// the inbox holds a reply, encrypted, until the Console takes it, streams new ones live, and forgets after 14 days.
/// </summary>
public sealed class InboxTests
{
    private const string Ann = "+447700900123";

    [Fact]
    public async Task Replies_go_where_the_business_chose_and_each_destination_gets_every_reply()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        using var api = acme.Client();
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");

        var settings = await api.GetFromJsonAsync<JsonElement>("/v1/inbox");
        Assert.Equal("webhook", settings.GetProperty("replies_to").GetString()); // as before the inbox existed
        var toWebhook = await Reply(device, acme, "first, to the webhook");

        await SetDestinations(api, "inbox");
        var toInbox = await Reply(device, acme, "second, to the inbox only");
        await SetDestinations(api, "both");
        var toBoth = await Reply(device, acme, "third, to both");

        // Events reach the webhook in order, so once the third is there the second would have been too.
        var events = await host.Receiver.WaitForEvents(e => e.Any(x => x.GetProperty("event_id").GetString() == toBoth));
        Assert.Equal([toWebhook, toBoth], events.Where(e => e.GetProperty("type").GetString() == "reply").Select(e => e.GetProperty("event_id").GetString()));

        var waiting = (await api.GetFromJsonAsync<JsonElement>("/v1/inbox/replies")).GetProperty("replies").EnumerateArray().ToList();
        Assert.Equal([toInbox, toBoth], waiting.Select(r => r.GetProperty("reply_id").GetString()));
        Assert.Equal("second, to the inbox only", waiting[0].GetProperty("text").GetString());
        Assert.Equal(Ann, waiting[0].GetProperty("from").GetString());
        Assert.Equal(2, (await api.GetFromJsonAsync<JsonElement>("/v1/inbox")).GetProperty("waiting").GetInt32());

        // Paging by seq: after the first, only the second.
        var after = waiting[0].GetProperty("seq").GetInt64();
        var rest = (await api.GetFromJsonAsync<JsonElement>($"/v1/inbox/replies?after={after}")).GetProperty("replies");
        Assert.Equal(toBoth, Assert.Single(rest.EnumerateArray()).GetProperty("reply_id").GetString());
    }

    [Fact]
    public async Task Taking_replies_deletes_them_only_for_their_own_business_and_the_text_never_stands_in_clear()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        var other = await host.CreateBusiness(twoWay: true, name: "Other");
        using var api = acme.Client();
        using var otherApi = other.Client();
        await SetDestinations(api, "inbox");
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        const string marker = "inbox-secret-7d1c2a";
        var id = await Reply(device, acme, $"my door code is {marker}");
        host.AssertNoClearText(marker);

        Assert.Empty((await otherApi.GetFromJsonAsync<JsonElement>("/v1/inbox/replies")).GetProperty("replies").EnumerateArray());
        var stolen = await otherApi.PostAsJsonAsync("/v1/inbox/replies/ack", new { reply_ids = new[] { id } });
        Assert.Equal(0, (await stolen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("taken").GetInt32());

        var taken = await api.PostAsJsonAsync("/v1/inbox/replies/ack", new { reply_ids = new[] { id } });
        Assert.Equal(1, (await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("taken").GetInt32());
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>("/v1/inbox/replies")).GetProperty("replies").EnumerateArray());
        var again = await api.PostAsJsonAsync("/v1/inbox/replies/ack", new { reply_ids = new[] { id } });
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("taken").GetInt32());

        await AssertInvalid(await api.PutAsJsonAsync("/v1/inbox", new { replies_to = "email" }), "replies_to");
        await AssertInvalid(await api.PostAsJsonAsync("/v1/inbox/replies/ack", new { reply_ids = Array.Empty<string>() }), "reply_ids");
        await AssertInvalid(await api.GetAsync("/v1/inbox/replies?limit=0"), "limit");
    }

    [Fact]
    public async Task The_stream_sends_waiting_replies_then_new_ones_live_and_resumes_after_the_last_event_id()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        using var api = acme.Client();
        await SetDestinations(api, "inbox");
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        var first = await Reply(device, acme, "waiting before the stream");

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await api.GetAsync("/v1/inbox/stream", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync(cancel.Token);
        var items = SseParser.Create(body).EnumerateAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        var (event1, reply1) = await NextReply(items);
        Assert.Equal(first, reply1.GetProperty("reply_id").GetString());

        var live = await Reply(device, acme, "sent while the stream is open");
        var started = DateTime.UtcNow;
        var (_, reply2) = await NextReply(items);
        Assert.Equal(live, reply2.GetProperty("reply_id").GetString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), "the reply came by the wake-up, not the 5-second look");

        // A new stream from the first event's id starts after it.
        using var resumed = new HttpRequestMessage(HttpMethod.Get, "/v1/inbox/stream");
        resumed.Headers.Add("Last-Event-ID", event1);
        using var second = await api.SendAsync(resumed, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        await using var secondBody = await second.Content.ReadAsStreamAsync(cancel.Token);
        var (_, again) = await NextReply(SseParser.Create(secondBody).EnumerateAsync(cancel.Token).GetAsyncEnumerator(cancel.Token));
        Assert.Equal(live, again.GetProperty("reply_id").GetString());
    }

    [Fact]
    public async Task A_reply_no_console_takes_is_deleted_after_14_days()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var acme = await host.CreateBusiness(twoWay: true);
        using var api = acme.Client();
        await SetDestinations(api, "inbox");
        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        await Reply(device, acme, "anyone there?");

        host.Time!.Advance(TimeSpan.FromDays(13));
        await Task.Delay(1500);
        Assert.Single((await api.GetFromJsonAsync<JsonElement>("/v1/inbox/replies")).GetProperty("replies").EnumerateArray());

        host.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(2)); // past 14 days, and past the hourly retention run
        await Wait.Until(async () => (await api.GetFromJsonAsync<JsonElement>("/v1/inbox/replies")).GetProperty("replies").GetArrayLength() == 0,
            TimeSpan.FromSeconds(15), "the inbox forgets after 14 days");
    }

    private static async Task<(string EventId, JsonElement Reply)> NextReply(IAsyncEnumerator<SseItem<string>> items)
    {
        Assert.True(await items.MoveNextAsync());
        Assert.Equal("reply", items.Current.EventType);
        return (items.Current.EventId!, JsonDocument.Parse(items.Current.Data).RootElement);
    }

    private static async Task<string> Reply(TestDevice device, TestBusiness business, string text)
    {
        await device.Send(new { type = "reply", business_id = business.Id, text });
        return (await device.Next("reply_sent")).GetProperty("reply_id").GetString()!;
    }

    private static async Task SetDestinations(HttpClient api, string destinations)
    {
        var answer = await api.PutAsJsonAsync("/v1/inbox", new { replies_to = destinations });
        answer.EnsureSuccessStatusCode();
        Assert.Equal(destinations, (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replies_to").GetString());
    }

    private static async Task AssertInvalid(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors.{field}");
    }
}
