using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>Authentication, allowlists, tenants and validation on the business API.</summary>
public sealed class BusinessApiTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task Requests_without_a_valid_key_are_401_problems()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var none = host.Client();
        using var wrong = host.Client("hk_nope");
        foreach (var client in new[] { none, wrong })
        {
            var response = await client.GetAsync("/v1/profile");
            await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
        }

        using var admin = host.Operator();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/v1/businesses/{business.Id}/keys/{business.KeyId}")).StatusCode);
        using var revoked = business.Client();
        await AssertProblem(await revoked.GetAsync("/v1/profile"), HttpStatusCode.Unauthorized, "unauthorized");
        await AssertProblem(await admin.DeleteAsync($"/admin/v1/businesses/{business.Id}/keys/{business.KeyId}"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task The_operator_api_needs_the_operator_token_and_an_api_key_is_not_one()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var asBusiness = host.Client(business.ApiKey);
        await AssertProblem(await asBusiness.GetAsync("/admin/v1/businesses"), HttpStatusCode.Unauthorized, "unauthorized");
        using var anonymous = host.Client();
        await AssertProblem(await anonymous.PostAsJsonAsync("/admin/v1/businesses", new { name = "x" }), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData(new string[0], false)]                     // empty allowlist admits nobody
    [InlineData(new[] { "10.0.0.0/8" }, false)]
    [InlineData(new[] { "203.0.113.7", "127.0.0.0/8" }, true)]
    [InlineData(new[] { "127.0.0.1" }, true)]
    public async Task The_allowlist_decides_who_may_use_a_key(string[] allowedIps, bool admitted)
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(allowedIps, webhook: false);
        using var client = business.Client();
        var response = await client.GetAsync("/v1/profile");
        if (admitted)
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else
            await AssertProblem(response, HttpStatusCode.Forbidden, "ip_not_allowed");
    }

    [Fact]
    public async Task An_ipv6_client_is_matched_against_ipv6_ranges()
    {
        await using var host = await HeraldHost.Start(urls: "http://[::1]:0");
        var v6 = await host.CreateBusiness(["::1/128"], webhook: false);
        var v4Only = await host.CreateBusiness(["127.0.0.1"], webhook: false);
        using var a = v6.Client();
        using var b = v4Only.Client();
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/v1/profile")).StatusCode);
        await AssertProblem(await b.GetAsync("/v1/profile"), HttpStatusCode.Forbidden, "ip_not_allowed");
    }

    [Fact]
    public async Task A_spoofed_x_forwarded_for_is_ignored_unless_it_comes_from_a_trusted_proxy()
    {
        await using (var host = await HeraldHost.Start())
        {
            var business = await host.CreateBusiness(["203.0.113.7"], webhook: false);
            using var client = business.Client();
            client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
            await AssertProblem(await client.GetAsync("/v1/profile"), HttpStatusCode.Forbidden, "ip_not_allowed");
        }

        await using (var proxied = await HeraldHost.Start(new() { ["Herald:Network:TrustedProxies:0"] = "127.0.0.1" }))
        {
            var business = await proxied.CreateBusiness(["203.0.113.7"], webhook: false);
            using var client = business.Client();
            client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);

            // The client wrote the left-most hop itself; the proxy appended the real address on the right.
            using var spoofer = business.Client();
            spoofer.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7, 198.51.100.9");
            await AssertProblem(await spoofer.GetAsync("/v1/profile"), HttpStatusCode.Forbidden, "ip_not_allowed");
        }
    }

    [Fact]
    public async Task Host_names_in_an_allowlist_are_refused_by_the_operator_api()
    {
        await using var host = await HeraldHost.Start();
        using var admin = host.Operator();
        var response = await admin.PostAsJsonAsync("/admin/v1/businesses", new { name = "Acme", allowed_ips = new[] { "acme.example", "10.0.0.0/33" } });
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "invalid_request");
        var error = problem.GetProperty("errors").GetProperty("allowed_ips").GetString();
        Assert.Contains("acme.example", error);
        Assert.Contains("10.0.0.0/33", error);
    }

    [Fact]
    public async Task Another_businesses_message_id_is_not_found()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var rival = await host.CreateBusiness(name: "Rival");
        var id = await acme.SendOk(new { to = Phone, category = "transactional", text = "private" });
        using var client = rival.Client();
        await AssertProblem(await client.GetAsync($"/v1/messages/{id}"), HttpStatusCode.NotFound, "not_found");
        using var own = acme.Client();
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/v1/messages/{id}")).StatusCode);
    }

    [Fact]
    public async Task The_profile_is_the_sender_as_consumers_see_it()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(twoWay: true);
        using var client = business.Client();
        var profile = await client.GetFromJsonAsync<JsonElement>("/v1/profile");
        Assert.Equal(business.Id, profile.GetProperty("business_id").GetString());
        Assert.Equal("Acme Parcels", profile.GetProperty("name").GetString());
        Assert.True(profile.GetProperty("verified").GetBoolean());
        Assert.True(profile.GetProperty("two_way").GetBoolean());
        Assert.False(profile.TryGetProperty("allowed_ips", out _));
    }

    public static TheoryData<string, string> InvalidMessages => new()
    {
        { """{"category":"transactional","text":"hi"}""", "to" },
        { """{"to":"07700900123","category":"transactional","text":"hi"}""", "to" },
        { """{"to":"+447700900123","category":"spam","text":"hi"}""", "category" },
        { """{"to":"+447700900123","category":"transactional"}""", "text" },
        { $$"""{"to":"+447700900123","category":"transactional","text":"{{new string('a', 1001)}}"}""", "text" },
        { """{"to":"+447700900123","category":"transactional","text":"hi","url":"http://acme.example"}""", "url" },
        { """{"to":"+447700900123","category":"transactional","text":"hi","ttl_seconds":29}""", "ttl_seconds" },
        { """{"to":"+447700900123","category":"transactional","text":"hi","ttl_seconds":1209601}""", "ttl_seconds" },
        { """{"to":"+447700900123","category":"promotional","button":{"caption":"This caption is far too long to fit","action":"https://a.example"}}""", "button.caption" },
        { """{"to":"+447700900123","category":"promotional","button":{"caption":"Go","action":"javascript:alert(1)"}}""", "button.action" },
        { $$"""{"to":"+447700900123","category":"transactional","text":"hi","tracking_data":"{{new string('t', 4097)}}"}""", "tracking_data" },
        { """{"to":"+447700900123","category":"transactional","text":"hi","colour":"red"}""", "colour" },
        { """{"to":"+447700900123","category":"transactional","text":42}""", "text" },
        { """{"to":"+447700900123",""", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public async Task Invalid_messages_are_400_with_the_field_named(string body, string field)
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var client = business.Client();
        var response = await client.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("""{"image_url":"https://acme.example/a.png"}""", "image_url")]
    [InlineData("""{"button":{"caption":"Track","action":"https://acme.example/t"}}""", "button")]
    [InlineData("""{"qr":"PARCEL-42"}""", "qr")]
    public async Task Transactional_messages_may_not_carry_rich_content(string extra, string field)
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var client = business.Client();
        var body = """{"to":"+447700900123","category":"transactional","text":"Your parcel",""" + extra.TrimStart('{');
        var problem = await AssertProblem(await client.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "content_not_allowed_for_category");
        Assert.Contains(field, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Oversized_bodies_are_413_payload_too_large()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var client = business.Client();
        var huge = "{\"to\":\"+447700900123\",\"category\":\"transactional\",\"text\":\"" + new string('a', 70_000) + "\"}";
        await AssertProblem(await client.PostAsync("/v1/messages", new StringContent(huge, Encoding.UTF8, "application/json")),
            HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        // Without Content-Length (chunked), the limit is enforced while reading.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await AssertProblem(await client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task A_body_is_read_whole_with_or_without_content_length()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var client = business.Client();
        // Just under the limit, so a read that stops at a buffer's edge would cut the JSON and fail.
        var text = new string('é', 1000);
        var body = "{\"to\":\"+447700900123\",\"category\":\"transactional\",\"text\":\"" + text + "\"," + new string(' ', 60_000) + "\"ttl_seconds\":60}";
        foreach (var chunked in new[] { false, true })
        {
            var content = new TrickleContent(Encoding.UTF8.GetBytes(body), chunked);
            content.Headers.ContentType = new("application/json");
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = content };
            request.Headers.TransferEncodingChunked = chunked;
            Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode);
        }
    }

    /// <summary>A body sent in pieces of 1000 bytes with pauses, so the server reads it in many parts.</summary>
    private sealed class TrickleContent(byte[] body, bool chunked) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < body.Length; i += 1000)
            {
                await stream.WriteAsync(body.AsMemory(i, Math.Min(1000, body.Length - i)));
                await stream.FlushAsync();
                await Task.Delay(2);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return !chunked;
        }
    }

    [Fact]
    public async Task Callback_urls_inside_the_network_are_refused_unless_the_operator_allows_them()
    {
        await using var host = await HeraldHost.Start(new() { ["Herald:Webhooks:AllowPrivateNetworks"] = "false" });
        var business = await host.CreateBusiness(webhook: false);
        using var client = business.Client();
        foreach (var url in new[] { "https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest", "https://[::1]/hook",
                     "https://[fd00::1]/hook", "https://localhost/hook", "http://8.8.8.8/hook", "https://user:pw@8.8.8.8/hook", "not a url" })
        {
            var problem = await AssertProblem(await client.PutAsJsonAsync("/v1/webhook", new { url }), HttpStatusCode.BadRequest, "invalid_request");
            Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), url);
        }
        var ok = await client.PutAsJsonAsync("/v1/webhook", new { url = "https://8.8.8.8/hook" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("whsec_", body.GetProperty("secret").GetString());
        // The secret survives a URL change, so receivers keep verifying.
        var again = await (await client.PutAsJsonAsync("/v1/webhook", new { url = "https://8.8.4.4/hook" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(body.GetProperty("secret").GetString(), again.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task A_business_cannot_reach_the_operator_fields_through_its_own_api()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        using var client = business.Client();
        var response = await client.PutAsJsonAsync("/v1/webhook", new { url = host.Receiver.WebhookUrl.ToString(), verified = true });
        await AssertProblem(response, HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await client.PatchAsJsonAsync($"/admin/v1/businesses/{business.Id}", new { verified = true }), HttpStatusCode.Unauthorized, "unauthorized");
    }

    internal static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }
}
