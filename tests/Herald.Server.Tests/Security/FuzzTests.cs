using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using Herald.Fuzzing;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Security;

/// <summary>
/// API4/API8 against a real server: bodies mutated from valid ones (see <see cref="JsonMutations"/>) posted to every
/// endpoint that reads JSON. Each answer is a 2xx or a 4xx problem+json with a <c>code</c>, never a 5xx; nothing is
/// logged as an error; and afterwards the server is healthy and a message accepted before the fuzzing is delivered.
/// </summary>
public sealed class FuzzTests
{
    private const string Phone = "+447700900123"; // has a message waiting through all of it
    private const string OtherPhone = "+447700900456";

    private sealed record Target(HttpMethod Method, string Path, string? Bearer, string[] Seeds)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    private sealed record Attempt(Target Target, byte[] Body, string ContentType, string? IdempotencyKey);

    [Fact]
    public async Task Mutated_bodies_get_a_2xx_or_a_4xx_problem_with_a_code_never_a_5xx()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(twoWay: true);
        var other = await host.CreateBusiness(name: "Patched by the fuzzer");
        using var admin = host.Operator();
        (await admin.PatchAsJsonAsync($"/admin/v1/businesses/{business.Id}", new { rate_limit_per_second = 1_000_000 })).EnsureSuccessStatusCode();
        var approved = (await TemplateTests.Submit(business, "welcome", "Hi {{name}}, order {{order}}")).GetProperty("id").GetString()!;
        (await admin.PostAsync($"/admin/v1/templates/{approved}/approve", null)).EnsureSuccessStatusCode();
        var pending = (await TemplateTests.Submit(business, "pending", "Hello {{name}}")).GetProperty("id").GetString()!;
        var token = await host.SignIn(Phone);
        var otherToken = await host.SignIn(OtherPhone);
        var waiting = await business.SendOk(new { to = Phone, category = "transactional", text = "Sent before the fuzzing" });

        var message = """{"to":"+447700900789","category":"promotional","text":"Hi 😀","url":"https://acme.example/t","image_url":"https://img.example/a.png","button":{"caption":"Open","action":"app://orders/42"},"qr":"QR-1","ttl_seconds":3600,"tracking_data":"order-42"}""";
        var templated = """{"to":"+447700900789","category":"transactional","template":{"id":"ID","params":{"name":"Ann","order":"42"}}}""".Replace("ID", approved, StringComparison.Ordinal);
        Target[] targets =
        [
            new(HttpMethod.Post, "/v1/messages", business.ApiKey, [message, templated]),
            new(HttpMethod.Post, "/v1/messages/batch", business.ApiKey, [$$"""{"messages":[{{message}},{{templated}}]}"""]),
            new(HttpMethod.Post, "/v1/templates", business.ApiKey, ["""{"name":"welcome","text":"Hi {{name}}"}"""]),
            new(HttpMethod.Post, "/consumer/v1/sign-in/code", null, ["""{"phone":"+447700900999"}"""]),
            new(HttpMethod.Post, "/consumer/v1/sign-in", null, ["""{"phone":"+447700900999","code":"123456"}"""]),
            new(HttpMethod.Put, "/consumer/v1/settings", otherToken, ["""{"business_messages":true,"promotional":false}"""]),
            new(HttpMethod.Put, "/consumer/v1/me/restriction", otherToken, ["""{"restricted":false}"""]),
            new(HttpMethod.Post, "/admin/v1/businesses", HeraldHost.OperatorToken,
                ["""{"business_id":"fuzzed","name":"Acme","logo_url":"https://acme.example/l.png","description":"d","learn_more_url":"https://acme.example/","verified":true,"allowed_ips":["127.0.0.1","10.0.0.0/8","::1"],"two_way":false,"rate_limit_per_second":100}"""]),
            new(HttpMethod.Patch, $"/admin/v1/businesses/{other.Id}", HeraldHost.OperatorToken, ["""{"name":"Acme","allowed_ips":["127.0.0.1"],"rate_limit_per_second":5,"two_way":true}"""]),
            new(HttpMethod.Put, "/admin/v1/policies/998", HeraldHost.OperatorToken, ["""{"transactional_requires_template":true}"""]),
            new(HttpMethod.Post, $"/admin/v1/templates/{pending}/reject", HeraldHost.OperatorToken, ["""{"reason":"Misleading"}"""]),
        ];

        var attempts = Gen.OneOf(targets.Select(t => JsonMutations.Of(t.Seeds).Select(body => (t, body))).ToArray())
            .Select(Gen.Frequency((18, Gen.Const("application/json")), (1, Gen.Const("application/json; charset=utf-16")), (1, Gen.Const("text/plain"))),
                Gen.Frequency((3, Gen.Const((string?)null)), (1, Gen.OneOf("k1", "k2", new string('k', 256)).Select(k => (string?)k))))
            .Select((tb, type, key) => new Attempt(tb.t, tb.body, type, key));
        using var client = host.Client();
        await attempts.FuzzAsync(a => Check(client, a), 2_000, a => $"{a.Target} {a.ContentType} key={a.IdempotencyKey}: {FuzzText.Hex(a.Body)}");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.DoesNotContain(host.Logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal));
        await using var device = await host.Connect(token);
        while ((await device.Next("message")).GetProperty("message").GetProperty("message_id").GetString() != waiting)
        {
        }
    }

    private static async Task Check(HttpClient client, Attempt attempt)
    {
        using var request = new HttpRequestMessage(attempt.Target.Method, attempt.Target.Path) { Content = new ByteArrayContent(attempt.Body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(attempt.ContentType);
        if (attempt.Target.Bearer is { } bearer)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (attempt.IdempotencyKey is { } key)
            request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status is >= 200 and < 500, $"{attempt.Target} answered {status}: {text}");
        if (status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(JsonValueKind.String, JsonDocument.Parse(text).RootElement.GetProperty("code").ValueKind);
        }
        else if (text.Length > 0)
        {
            JsonDocument.Parse(Encoding.UTF8.GetBytes(text)).Dispose();
        }
    }
}
