using System.Net;
using System.Net.Http.Json;
using System.Text;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests.Security;

/// <summary>Requests that once answered 500, found by the fuzz tests and kept exactly (see docs/fuzzing.md).</summary>
public sealed class FoundByFuzzingTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>FuzzTests and ApiJsonFuzzTests (seed dx6B34nGH5t2): a null allowlist entry threw NullReferenceException.</summary>
    [Fact]
    public async Task A_null_allowlist_entry_is_a_400_on_allowed_ips()
    {
        await using var host = await HeraldHost.Start();
        using var admin = host.Operator();
        var created = await admin.PostAsync("/admin/v1/businesses", Json("""
            {"business_id":"acme","name":"Acme","logo_url":"https://acme.example/l.png","description":"d","learn_more_url":"https://acme.example/",
             "verified":true,"allowed_ips":[null,"10.0.0.0/8","::1"],"two_way":false}
            """));
        var problem = await AssertProblem(created, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("null", problem.GetProperty("errors").GetProperty("allowed_ips").GetString(), StringComparison.Ordinal);

        var business = await host.CreateBusiness();
        await AssertProblem(await admin.PatchAsync($"/admin/v1/businesses/{business.Id}", Json("""{"allowed_ips":["127.0.0.1",null]}""")),
            HttpStatusCode.BadRequest, "invalid_request");
    }

    /// <summary>TemplateTextFuzz (seed 8FEF26ouGZY1): a null template parameter threw NullReferenceException.</summary>
    [Fact]
    public async Task A_null_template_parameter_is_a_400_on_that_parameter()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var id = (await TemplateTests.Submit(business, "welcome", "Hi {{name}}")).GetProperty("id").GetString()!;
        using var admin = host.Operator();
        (await admin.PostAsync($"/admin/v1/templates/{id}/approve", null)).EnsureSuccessStatusCode();
        using var client = business.Client();
        var message = """{"to":"+447700900123","category":"transactional","template":{"id":"ID","params":{"name":null}}}""".Replace("ID", id, StringComparison.Ordinal);
        var sent = await client.PostAsync("/v1/messages", Json(message));
        var problem = await AssertProblem(sent, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("must be a string", problem.GetProperty("errors").GetProperty("template.params.name").GetString());
        var batch = await client.PostAsync("/v1/messages/batch", Json($$"""{"messages":[{{message}}]}"""));
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal("invalid_request", (await batch.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("results")[0].GetProperty("error").GetProperty("code").GetString());
    }

    /// <summary>
    /// Found by hand while widening the fuzz inputs, and the generator now makes such strings often: on PostgreSQL, whose
    /// text type cannot hold U+0000, a NUL in a stored or looked-up string failed the query (a 500; SQLite took it).
    /// Every API now refuses it, on every store.
    /// </summary>
    [Fact]
    public async Task A_NUL_character_in_a_string_is_a_400_on_every_store()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var admin = host.Operator();
        using var client = business.Client();
        var problem = await AssertProblem(await admin.PostAsync("/admin/v1/businesses", Json("""{"name":"a\u0000b"}""")), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("NUL", problem.GetProperty("errors").GetProperty("body").GetString(), StringComparison.Ordinal);
        await AssertProblem(await client.PostAsync("/v1/templates", Json("""{"name":"a\u0000b","text":"x"}""")), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await client.PostAsync("/v1/messages", Json("""{"to":"+447700900123","category":"transactional","template":{"id":"a\u0000b"}}""")),
            HttpStatusCode.BadRequest, "invalid_request");
        // An escaped backslash before "u0000" is text, not NUL.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/v1/messages", Json("""{"to":"+447700900123","category":"transactional","text":"C:\\u0000"}"""))).StatusCode);
    }

    /// <summary>
    /// MessageRulesFuzz (seed 8x1c0skuYcZ6): Uri.TryCreate throws on .NET 10 for "//\u202E" and the like, so every URL
    /// field was a 500: a message's url, an operator's logo_url, a business's webhook.
    /// </summary>
    [Fact]
    public async Task A_url_the_runtime_cannot_parse_is_a_400()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var client = business.Client();
        using var admin = host.Operator();
        await AssertProblem(await client.PostAsync("/v1/messages", Json("""{"to":"+447700900123","category":"transactional","text":"x","url":"//\u202E"}""")),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await admin.PostAsync("/admin/v1/businesses", Json("""{"name":"Acme","logo_url":"file://\u202E"}""")), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await client.PutAsync("/v1/webhook", Json("""{"url":"//\u202E"}""")), HttpStatusCode.BadRequest, "invalid_request");
    }

    /// <summary>
    /// WebSocketFuzzTests, seed 8NLVF0Cw5P85: a frame of exactly 64 KiB whose last fragment was empty filled the buffer
    /// before the end of the message showed, and was refused with 1009 as if it were larger.
    /// </summary>
    [Fact]
    public async Task A_frame_of_exactly_64_KiB_ending_in_an_empty_fragment_is_read_and_one_byte_more_closes()
    {
        await using var host = await HeraldHost.Start();
        var token = await host.SignIn("+447700900123");
        const string head = """{"type":"seen","message_ids":["x""";
        byte[] Ack(int size) => Encoding.ASCII.GetBytes(head + new string('x', size - head.Length - 3) + "\"]}");

        await using (var socket = await TestDevice.Connect(host.BaseAddress, token))
        {
            Assert.True(await socket.SendFragments(Ack(Consumer.DeviceSession.MaxFrameBytes), false, [int.MaxValue], CancellationToken.None));
            Assert.True(await socket.SendFragments(Encoding.UTF8.GetBytes("""{"type":"probe","ref":"p"}"""), false, [], CancellationToken.None));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await socket.NextFrame(timeout.Token) is { } frame && !(frame.TryGetProperty("ref", out var r) && r.GetString() == "p"))
            {
            }
            Assert.Null(socket.CloseStatus);
        }
        await using (var socket = await TestDevice.Connect(host.BaseAddress, token))
        {
            Assert.True(await socket.SendFragments(Ack(Consumer.DeviceSession.MaxFrameBytes + 1), false, [int.MaxValue], CancellationToken.None));
            await socket.WaitClosed(TimeSpan.FromSeconds(10));
            Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
        }
    }

    /// <summary>
    /// While WebSocketFuzzTests was made: a frame over the limit still arriving was left unread when the server hung up,
    /// so TCP reset the connection and the device could lose the 1009 that says why. The server now reads and drops the
    /// rest until the device's close (2 s at most), as it does after refusing a first-frame sign-in (1008).
    /// </summary>
    [Fact]
    public async Task An_oversized_frame_still_arriving_gets_its_1009_every_time()
    {
        await using var host = await HeraldHost.Start();
        var token = await host.SignIn("+447700900123");
        for (var i = 0; i < 5; i++)
        {
            await using var socket = await TestDevice.Connect(host.BaseAddress, token);
            Assert.True(await socket.SendFragments(new byte[1_000_000], binary: true, [100_000, 500_000], CancellationToken.None));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.WaitClosed(TimeSpan.FromSeconds(10));
            Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
        }
    }
}
