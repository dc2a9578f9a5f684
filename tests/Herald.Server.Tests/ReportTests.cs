using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>GET /v1/stats/daily and GET /v1/webhook/deliveries: a business's own traffic, from metadata, and nobody else's.</summary>
public sealed class ReportTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task The_daily_funnel_counts_what_became_of_each_days_messages_and_only_the_callers()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var acme = await host.CreateBusiness(name: "Acme");
        var other = await host.CreateBusiness(name: "Other");
        var token = await host.SignIn(Phone);
        await using var device = await host.Connect(token);
        await device.Next("ready");

        var seen = await acme.SendOk(new { to = Phone, category = "transactional", text = "one" });
        var delivered = await acme.SendOk(new { to = Phone, category = "transactional", text = "two" });
        await acme.SendOk(new { to = "+447700900999", category = "transactional", text = "nobody" }); // failed: not registered
        var expiring = await acme.SendOk(new { to = Phone, category = "transactional", text = "late", ttl_seconds = 30 });
        await other.SendOk(new { to = Phone, category = "transactional", text = "another tenant" });
        await device.Ack("seen", seen);
        await device.Ack("delivered", delivered);
        await acme.WaitForStatus(delivered, "delivered");
        await acme.WaitForStatus(seen, "seen");
        // The device stays connected but never acks the short-lived one, so it expires.
        host.Time!.Advance(TimeSpan.FromSeconds(31));
        await acme.WaitForStatus(expiring, "expired");

        var days = await Days(acme, 3);
        Assert.Equal(3, days.Count);
        var today = DateOnly.FromDateTime(host.Time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(today, days[2].GetProperty("date").GetString());
        Assert.Equal((4, 2, 1, 1, 1), Counts(days[2]));
        Assert.Equal((0, 0, 0, 0, 0), Counts(days[0]));
        Assert.True(string.CompareOrdinal(days[0].GetProperty("date").GetString(), days[1].GetProperty("date").GetString()) < 0);

        var others = await Days(other, 1);
        Assert.Equal((1, 0, 0, 0, 0), Counts(others[0]));
    }

    [Fact]
    public async Task The_webhook_log_shows_attempts_next_retry_and_error_then_the_delivery_and_only_the_callers_events()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(name: "Acme");
        var other = await host.CreateBusiness(name: "Other");
        host.Receiver.Down = true;
        var failing = await acme.SendOk(new { to = "+447700900999", category = "transactional", text = "nobody" });
        var otherMessage = await other.SendOk(new { to = "+447700900998", category = "transactional", text = "nobody either" });

        JsonElement entry = default;
        await Wait.Until(async () =>
        {
            entry = (await Log(acme)).GetProperty("deliveries").EnumerateArray().SingleOrDefault(d => d.GetProperty("message_id").GetString() == failing);
            return entry.ValueKind == JsonValueKind.Object && entry.GetProperty("attempts").GetInt32() >= 1;
        }, TimeSpan.FromSeconds(10), "a failed attempt in the log");
        Assert.Equal("pending", entry.GetProperty("status").GetString());
        Assert.Equal("failed", entry.GetProperty("type").GetString());
        Assert.StartsWith("evt_", entry.GetProperty("event_id").GetString(), StringComparison.Ordinal);
        Assert.True(entry.GetProperty("next_attempt_at").GetDateTimeOffset() > entry.GetProperty("created_at").GetDateTimeOffset());
        Assert.Contains("503", entry.GetProperty("last_error").GetString(), StringComparison.Ordinal);

        var log = await Log(acme);
        Assert.Equal(host.Receiver.WebhookUrl.ToString(), log.GetProperty("url").GetString());
        Assert.DoesNotContain(log.GetProperty("deliveries").EnumerateArray(), d => d.GetProperty("message_id").GetString() == otherMessage);
        Assert.DoesNotContain(log.GetProperty("deliveries").EnumerateArray(), d => d.TryGetProperty("payload", out _));

        host.Receiver.Down = false;
        await Wait.Until(async () => (await Log(acme)).GetProperty("deliveries").EnumerateArray()
            .Any(d => d.GetProperty("message_id").GetString() == failing && d.GetProperty("status").GetString() == "sent"), TimeSpan.FromSeconds(15), "the retry to succeed");
        var sent = (await Log(acme)).GetProperty("deliveries").EnumerateArray().Single(d => d.GetProperty("message_id").GetString() == failing);
        Assert.True(sent.GetProperty("attempts").GetInt32() >= 2);
        Assert.False(sent.TryGetProperty("next_attempt_at", out _));
        Assert.True(sent.TryGetProperty("sent_at", out _));
    }

    [Fact]
    public async Task The_webhook_log_pages_back_newest_first()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        for (var i = 0; i < 5; i++)
            await acme.SendOk(new { to = "+447700900999", category = "transactional", text = $"m{i}" });
        using var client = acme.Client();
        var first = await client.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries?limit=3");
        var seqs = first.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(3, seqs.Count);
        Assert.Equal(seqs.OrderDescending(), seqs);
        var next = await client.GetFromJsonAsync<JsonElement>($"/v1/webhook/deliveries?limit=3&before={seqs[^1]}");
        var rest = next.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(2, rest.Count);
        Assert.All(rest, s => Assert.True(s < seqs[^1]));
    }

    [Theory]
    [InlineData("/v1/stats/daily?days=0", "days")]
    [InlineData("/v1/stats/daily?days=91", "days")]
    [InlineData("/v1/webhook/deliveries?limit=0", "limit")]
    [InlineData("/v1/webhook/deliveries?limit=501", "limit")]
    public async Task Out_of_range_parameters_are_invalid_requests(string path, string field)
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var client = acme.Client();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Reports_need_a_valid_key_from_an_allowed_address()
    {
        await using var host = await HeraldHost.Start();
        var outside = await host.CreateBusiness(allowedIps: ["203.0.113.7"], webhook: false);
        using var anonymous = host.Client("hk_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/stats/daily")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/webhook/deliveries")).StatusCode);
        using var client = outside.Client();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/stats/daily")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/webhook/deliveries")).StatusCode);
    }

    private static async Task<List<JsonElement>> Days(TestBusiness business, int days)
    {
        using var client = business.Client();
        var answer = await client.GetFromJsonAsync<JsonElement>($"/v1/stats/daily?days={days}");
        return [.. answer.GetProperty("days").EnumerateArray()];
    }

    private static async Task<JsonElement> Log(TestBusiness business)
    {
        using var client = business.Client();
        return await client.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries");
    }

    private static (int, int, int, int, int) Counts(JsonElement day) => (
        day.GetProperty("accepted").GetInt32(), day.GetProperty("delivered").GetInt32(), day.GetProperty("seen").GetInt32(),
        day.GetProperty("expired").GetInt32(), day.GetProperty("failed").GetInt32());
}
