using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Accounts;

/// <summary>Named operator tokens over HTTP: roles enforced, never above the creator's, expiry, revocation, last use, audit.</summary>
public sealed class OperatorTokenTests
{
    [Fact]
    public async Task A_token_may_do_what_its_role_may_and_the_audit_log_names_it()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        using var bootstrap = host.Operator();
        var reader = await Create(bootstrap, "ci-read", "viewer");
        var deployer = await Create(bootstrap, "ci-deploy", "admin");
        var reviewer = await Create(bootstrap, "review-bot", "reviewer");

        using (var viewer = host.Client(reader))
        {
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/admin/v1/businesses")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/admin/v1/tokens")).StatusCode);
            await AssertProblem(await viewer.PostAsJsonAsync("/admin/v1/businesses", new { name = "Not allowed" }), HttpStatusCode.Forbidden, "forbidden");
            await AssertProblem(await viewer.PostAsJsonAsync("/admin/v1/tokens", new { name = "sneaky", role = "viewer" }), HttpStatusCode.Forbidden, "forbidden");
            await AssertProblem(await viewer.DeleteAsync("/admin/v1/tokens/ci-deploy"), HttpStatusCode.Forbidden, "forbidden");
        }
        using (var review = host.Client(reviewer))
        {
            Assert.Equal(HttpStatusCode.OK, (await review.GetAsync("/admin/v1/templates")).StatusCode);
            await AssertProblem(await review.GetAsync("/admin/v1/businesses"), HttpStatusCode.Forbidden, "forbidden");
        }

        using var admin = host.Client(deployer);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/admin/v1/businesses", new { name = "Acme", business_id = "acme" })).StatusCode);
        // An admin token makes no owner token and revokes none; it may make one of its own rank or lower.
        await AssertProblem(await admin.PostAsJsonAsync("/admin/v1/tokens", new { name = "escalate", role = "owner" }), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblem(await admin.DeleteAsync("/admin/v1/tokens/bootstrap"), HttpStatusCode.Forbidden, "forbidden");
        var child = await Create(admin, "child", "viewer");

        // Revoked (by name) and expired tokens are refused at once: 401, as an unknown token is.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/admin/v1/tokens/ci-read")).StatusCode);
        await AssertProblem(await admin.DeleteAsync("/admin/v1/tokens/ci-read"), HttpStatusCode.NotFound, "not_found");
        using (var revoked = host.Client(reader))
            Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("/admin/v1/businesses")).StatusCode);
        await AssertProblem(await admin.PostAsJsonAsync("/admin/v1/tokens", new { name = "ci-read", role = "viewer" }), HttpStatusCode.Conflict, "conflict");
        var shortLived = await Create(bootstrap, "short", "viewer", AccountApi.Now(host).AddHours(1));
        using (var soon = host.Client(shortLived))
        {
            Assert.Equal(HttpStatusCode.OK, (await soon.GetAsync("/admin/v1/businesses")).StatusCode);
            host.Time!.Advance(TimeSpan.FromHours(1));
            Assert.Equal(HttpStatusCode.Unauthorized, (await soon.GetAsync("/admin/v1/businesses")).StatusCode);
        }

        var listed = await bootstrap.GetStringAsync("/admin/v1/tokens");
        var tokens = JsonDocument.Parse(listed).RootElement.EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(["bootstrap", "ci-read", "ci-deploy", "review-bot", "child", "short"], tokens.Keys);
        Assert.Equal("owner", tokens["bootstrap"].GetProperty("role").GetString());
        Assert.Equal("token:ci-deploy", tokens["child"].GetProperty("created_by").GetString());
        Assert.Equal("token:bootstrap", tokens["ci-deploy"].GetProperty("created_by").GetString());
        Assert.True(tokens["ci-read"].TryGetProperty("revoked_at", out _));
        foreach (var secret in new[] { reader, deployer, reviewer, child, shortLived, HeraldHost.OperatorToken })
        {
            Assert.DoesNotContain(secret, listed);
            host.AssertNoClearText(secret);
        }

        var byDeployer = await Audit(bootstrap, "?actor=token:ci-deploy");
        Assert.Equal(["token.revoke:token:ci-read", "token.create:token:child", "business.create:acme"], byDeployer.Select(e => $"{e.Action}:{e.Target}"));
        Assert.Equal(["token:bootstrap"], (await Audit(bootstrap, "?action=token.create&target=token:ci-deploy")).Select(e => e.Actor));
    }

    [Fact]
    public async Task A_person_s_tokens_never_exceed_their_role_and_bad_requests_are_refused()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        using var admin = await AccountApi.Person(host, "ad@example.com", "admin");
        using var viewer = await AccountApi.Person(host, "vi@example.com", "viewer");
        await AssertProblem(await admin.Send(HttpMethod.Post, "/admin/v1/tokens", new { name = "mine", role = "owner" }), HttpStatusCode.Forbidden, "forbidden");
        var created = await admin.Send(HttpMethod.Post, "/admin/v1/tokens", new { name = "mine", role = "admin" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("hop_", body.GetProperty("token").GetString());
        await AssertProblem(await viewer.Send(HttpMethod.Post, "/admin/v1/tokens", new { name = "theirs", role = "viewer" }), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await viewer.Get("/admin/v1/tokens")).StatusCode);
        var list = await (await viewer.Get("/admin/v1/tokens")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ad@example.com", list.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "mine").GetProperty("created_by").GetString());
        Assert.Equal(["token.create"], (await Audit(host.Operator(), "?actor=ad@example.com&action=token.create")).Select(e => e.Action));

        var invalid = await admin.Send(HttpMethod.Post, "/admin/v1/tokens", new { name = "Bad_Name", role = "boss", expires_at = AccountApi.Now(host).AddMinutes(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["expires_at", "name", "role"], errors.EnumerateObject().Select(p => p.Name).Order());
        await AssertProblem(await admin.Send(HttpMethod.Post, "/admin/v1/tokens", new { name = new string('a', 65), role = "viewer" }), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await admin.Send(HttpMethod.Post, "/admin/v1/tokens", new { name = "op_lookalike", role = "viewer" }), HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblem(await admin.Send(HttpMethod.Delete, "/admin/v1/tokens/op_nobody"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_token_s_last_use_is_at_most_a_minute_behind()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        using var bootstrap = host.Operator();
        using var ci = host.Client(await Create(bootstrap, "ci", "viewer"));
        Assert.Equal(JsonValueKind.Undefined, (await LastUsed(bootstrap, "ci")).ValueKind);
        var first = host.Time!.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync("/admin/v1/businesses")).StatusCode);
        await Wait.Until(async () => (await LastUsed(bootstrap, "ci")).ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(10), "last_used_at");
        Assert.Equal(first.ToUnixTimeMilliseconds(), (await LastUsed(bootstrap, "ci")).GetDateTimeOffset().ToUnixTimeMilliseconds());

        host.Time.Advance(TimeSpan.FromSeconds(59));
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync("/admin/v1/businesses")).StatusCode);
        await Create(bootstrap, "barrier", "viewer"); // a write queued behind any the uses made
        Assert.Equal(first.ToUnixTimeMilliseconds(), (await LastUsed(bootstrap, "ci")).GetDateTimeOffset().ToUnixTimeMilliseconds());

        host.Time.Advance(TimeSpan.FromSeconds(2));
        var later = host.Time.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync("/admin/v1/businesses")).StatusCode);
        await Wait.Until(async () => await LastUsed(bootstrap, "ci") is { ValueKind: JsonValueKind.String } at
            && at.GetDateTimeOffset().ToUnixTimeMilliseconds() == later.ToUnixTimeMilliseconds(), TimeSpan.FromSeconds(10), "last_used_at a minute later");
    }

    internal static async Task<string> Create(HttpClient client, string name, string role, DateTimeOffset? expiresAt = null)
    {
        var response = await client.PostAsJsonAsync("/admin/v1/tokens", new { name, role, expires_at = expiresAt });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(name, body.GetProperty("name").GetString());
        Assert.Equal(role, body.GetProperty("role").GetString());
        return body.GetProperty("token").GetString()!;
    }

    internal static async Task<List<(string Actor, string Action, string Target, string? Details)>> Audit(HttpClient client, string query) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("/admin/v1/audit" + query)).EnumerateArray().Select(e => (e.GetProperty("actor").GetString()!,
            e.GetProperty("action").GetString()!, e.GetProperty("target").GetString()!, e.TryGetProperty("details", out var d) ? d.GetString() : null))];

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
        Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
    }

    private static async Task<JsonElement> LastUsed(HttpClient admin, string name) =>
        (await admin.GetFromJsonAsync<JsonElement[]>("/admin/v1/tokens"))!
            .Single(t => t.GetProperty("name").GetString() == name).TryGetProperty("last_used_at", out var at) ? at : default;
}
