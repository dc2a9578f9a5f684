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
}
