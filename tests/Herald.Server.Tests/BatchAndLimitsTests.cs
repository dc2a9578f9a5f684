using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests;

/// <summary>Batches, Idempotency-Key and the per-business rate limit.</summary>
public sealed class BatchAndLimitsTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_batch_answers_each_message_in_order_and_stores_only_the_valid_ones()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var token = await host.SignIn(Phone);
        using var client = business.Client();
        var response = await client.PostAsJsonAsync("/v1/messages/batch", new
        {
            messages = new object[]
            {
                new { to = Phone, category = "transactional", text = "first" },
                new { to = "not-a-phone", category = "transactional", text = "bad" },
                new { to = Phone, category = "transactional", text = "rich", image_url = "https://acme.example/a.png" },
                new { to = Phone, category = "promotional", text = "third", qr = "Q" },
            },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(4, results.Count);
        var first = results[0].GetProperty("message_id").GetString()!;
        Assert.Equal("invalid_request", results[1].GetProperty("error").GetProperty("code").GetString());
        Assert.True(results[1].GetProperty("error").GetProperty("errors").TryGetProperty("to", out _));
        Assert.Equal("content_not_allowed_for_category", results[2].GetProperty("error").GetProperty("code").GetString());
        var third = results[3].GetProperty("message_id").GetString()!;

        await using var device = await host.Connect(token);
        var received = await device.MessagesWithin(TimeSpan.FromSeconds(1));
        Assert.Equal([first, third], received.Select(m => m.GetProperty("message_id").GetString()));
    }

    [Fact]
    public async Task A_batch_holds_1_to_1000_messages()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        using var client = business.Client();
        var message = new { to = "+15550100999", category = "transactional", text = "x" };
        await AssertProblem(await client.PostAsJsonAsync("/v1/messages/batch", new { messages = Array.Empty<object>() }), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await client.PostAsJsonAsync("/v1/messages/batch", new { messages = Enumerable.Repeat(message, 1001) }), HttpStatusCode.BadRequest, "invalid_request");
        var full = await client.PostAsJsonAsync("/v1/messages/batch", new { messages = Enumerable.Repeat(message, 1000) });
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        var ids = (await full.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("message_id").GetString()).ToList();
        Assert.Equal(1000, ids.Distinct().Count());
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_answers_as_the_first_time_and_sends_once()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var token = await host.SignIn(Phone);
        using var client = business.Client();
        var body = """{"to":"+447700900123","category":"transactional","text":"charged £12"}""";
        async Task<HttpResponseMessage> Post(string key, string json)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        var first = await Post("order-42", body);
        var again = await Post("order-42", body);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        await AssertProblem(await Post("order-42", body.Replace("12", "13", StringComparison.Ordinal)), HttpStatusCode.Conflict, "idempotency_conflict");

        // Many at once with one key: still one message.
        var racing = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Post("order-43", body)));
        Assert.All(racing, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(await Task.WhenAll(racing.Select(r => r.Content.ReadAsStringAsync())).ContinueWith(t => t.Result.Distinct().ToList()));

        await using var device = await host.Connect(token);
        Assert.Equal(2, (await device.MessagesWithin(TimeSpan.FromSeconds(1))).Count);

        // Keys belong to a business: another business may use the same key for its own request.
        var rival = await host.CreateBusiness(name: "Rival");
        using var rivalClient = rival.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "order-42");
        var theirs = await rivalClient.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, theirs.StatusCode);
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await theirs.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Idempotency_keys_are_kept_24_hours()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var business = await host.CreateBusiness(webhook: false);
        using var client = business.Client();
        async Task<string> Post()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = JsonContent.Create(new { to = "+15550100999", category = "transactional", text = "x" }) };
            request.Headers.Add("Idempotency-Key", "k1");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        var first = await Post();
        host.Time!.Advance(TimeSpan.FromHours(23));
        Assert.Equal(first, await Post());
        host.Time.Advance(TimeSpan.FromHours(2));
        Assert.NotEqual(first, await Post());
    }

    [Fact]
    public async Task Past_its_rate_a_business_gets_429_with_retry_after_and_nothing_is_stored()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        using (var admin = host.Operator())
            (await admin.PatchAsJsonAsync($"/admin/v1/businesses/{business.Id}", new { rate_limit_per_second = 5 })).EnsureSuccessStatusCode();
        using var client = business.Client();
        var message = new { to = "+15550100999", category = "transactional", text = "x" };
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
            answers.Add(await client.PostAsJsonAsync("/v1/messages", message));
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(limited.Count, 2, 3); // five a second; a token may come back while the loop runs
        var problem = await AssertProblem(limited[0], HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        await AssertProblem(await client.PostAsJsonAsync("/v1/messages/batch", new { messages = Enumerable.Repeat(message, 6) }), HttpStatusCode.BadRequest, "invalid_request");
        await Task.Delay(1100);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/v1/messages", message)).StatusCode);

        // Another business is not slowed by this one.
        var other = await host.CreateBusiness(name: "Other", webhook: false);
        using var otherClient = other.Client();
        Assert.Equal(HttpStatusCode.OK, (await otherClient.PostAsJsonAsync("/v1/messages/batch", new { messages = Enumerable.Repeat(message, 50) })).StatusCode);
    }
}
