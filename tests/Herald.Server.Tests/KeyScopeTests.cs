using Herald.Core.Accounts;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Core.Businesses;
using Herald.Server.BusinessApi;
using Herald.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests;

/// <summary>Named, scoped, expiring API keys (#18): each scope allowed and refused, expiry, "last used", tenants.</summary>
public sealed class KeyScopeTests
{
    /// <summary>One route of each scope, and the answer it gives once the key may call it (no body, no such id).</summary>
    private static readonly (string Scope, HttpMethod Method, string Path, HttpStatusCode Allowed)[] s_routes =
    [
        (ApiScopes.Send, HttpMethod.Post, "/v1/messages", HttpStatusCode.UnsupportedMediaType),
        (ApiScopes.Status, HttpMethod.Get, "/v1/messages/msg_none", HttpStatusCode.NotFound),
        (ApiScopes.Status, HttpMethod.Get, "/v1/profile", HttpStatusCode.OK),
        (ApiScopes.Templates, HttpMethod.Get, "/v1/templates", HttpStatusCode.OK),
        (ApiScopes.Webhook, HttpMethod.Get, "/v1/webhook/deliveries", HttpStatusCode.OK),
        (ApiScopes.Campaigns, HttpMethod.Get, "/v1/campaigns", HttpStatusCode.OK),
        (ApiScopes.Inbox, HttpMethod.Get, "/v1/inbox", HttpStatusCode.OK),
    ];

    public static TheoryData<string> Scopes => [.. ApiScopes.All];

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task A_key_may_call_its_scopes_routes_and_gets_403_scope_required_elsewhere(string scope)
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        var key = await Issue(host, business.Id, new { name = "only " + scope, scopes = new[] { scope } });
        Assert.Equal([scope], key.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        using var client = host.Client(key.GetProperty("api_key").GetString());
        foreach (var (routeScope, method, path, allowed) in s_routes)
        {
            var response = await client.SendAsync(new HttpRequestMessage(method, path));
            if (routeScope == scope)
            {
                Assert.True(response.StatusCode == allowed, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                continue;
            }
            var problem = await AssertProblem(response, HttpStatusCode.Forbidden, "scope_required");
            Assert.Equal(routeScope, problem.GetProperty("errors").GetProperty("scope").GetString());
            Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"{routeScope}\"", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task A_key_issued_without_scopes_holds_them_all_and_every_business_route_names_one()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false); // issued with no body, as before scopes existed
        using var client = business.Client();
        foreach (var (_, method, path, allowed) in s_routes)
            Assert.Equal(allowed, (await client.SendAsync(new HttpRequestMessage(method, path))).StatusCode);
        using var admin = host.Operator();
        var listed = Assert.Single(await admin.GetFromJsonAsync<JsonElement[]>($"/admin/v1/businesses/{business.Id}/keys") ?? []);
        Assert.Equal(ApiScopes.All, listed.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var routes = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1/", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count >= 25, $"{routes.Count} business routes");
        Assert.All(routes, e => Assert.True(e.Metadata.GetMetadata<RequiredScope>() is { } s
            && (ApiScopes.All.Contains(s.Scope) || s.Scope is BusinessRoles.Members or BusinessRoles.Keys), e.RoutePattern.RawText));

        using var anonymous = host.Client();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var send = document.GetProperty("paths").GetProperty("/v1/messages").GetProperty("post");
        Assert.Equal("send", send.GetProperty("x-herald-scope").GetString());
        Assert.Contains("scope_required", send.GetProperty("responses").GetProperty("403").GetProperty("description").GetString());
    }

    [Fact]
    public async Task An_expired_key_gets_401_invalid_token()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var business = await host.CreateBusiness(webhook: false);
        var expiresAt = host.Time!.GetUtcNow().AddHours(1);
        var key = await Issue(host, business.Id, new { name = "one hour", expires_at = expiresAt });
        using var client = host.Client(key.GetProperty("api_key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);

        host.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(1)); // exactly at expires_at: expired
        var response = await client.GetAsync("/v1/profile");
        var problem = await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("expired", problem.GetProperty("detail").GetString());
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());

        using var admin = host.Operator();
        var listed = (await admin.GetFromJsonAsync<JsonElement[]>($"/admin/v1/businesses/{business.Id}/keys"))!
            .Single(k => k.GetProperty("key_id").GetString() == key.GetProperty("key_id").GetString());
        Assert.Equal(expiresAt.ToUnixTimeMilliseconds(), listed.GetProperty("expires_at").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal("one hour", listed.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Last_used_is_recorded_at_most_once_a_minute()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var business = await host.CreateBusiness(webhook: false);
        using var admin = host.Operator();
        Assert.Equal(JsonValueKind.Undefined, (await LastUsed(admin, business)).ValueKind);

        using var client = business.Client();
        var first = host.Time!.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);
        await Wait.Until(async () => (await LastUsed(admin, business)).ValueKind != JsonValueKind.Undefined, TimeSpan.FromSeconds(10), "last_used_at");
        Assert.Equal(first.ToUnixTimeMilliseconds(), (await LastUsed(admin, business)).GetDateTimeOffset().ToUnixTimeMilliseconds());

        host.Time.Advance(TimeSpan.FromSeconds(59));
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);
        // A write queued behind any the uses made: once it is done, theirs would be too.
        await Issue(host, business.Id, new { name = "barrier" });
        Assert.Equal(first.ToUnixTimeMilliseconds(), (await LastUsed(admin, business)).GetDateTimeOffset().ToUnixTimeMilliseconds());

        host.Time.Advance(TimeSpan.FromSeconds(2));
        var later = host.Time.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);
        await Wait.Until(async () => (await LastUsed(admin, business)) is { ValueKind: JsonValueKind.String } at && at.GetDateTimeOffset().ToUnixTimeMilliseconds() == later.ToUnixTimeMilliseconds(),
            TimeSpan.FromSeconds(10), "last_used_at a minute later");
    }

    [Fact]
    public async Task Another_businesss_key_ids_are_refused()
    {
        await using var host = await HeraldHost.Start();
        var mine = await host.CreateBusiness(webhook: false);
        var theirs = await host.CreateBusiness(webhook: false, name: "Other");
        using var admin = host.Operator();
        await AssertProblem(await admin.DeleteAsync($"/admin/v1/businesses/{mine.Id}/keys/{theirs.KeyId}"), HttpStatusCode.NotFound, "not_found");
        var listed = await admin.GetFromJsonAsync<JsonElement[]>($"/admin/v1/businesses/{mine.Id}/keys");
        Assert.DoesNotContain(listed!, k => k.GetProperty("key_id").GetString() == theirs.KeyId);
        using var client = theirs.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);
    }

    [Theory]
    [InlineData("""{"scopes":[]}""", "scopes")]
    [InlineData("""{"scopes":["send","admin"]}""", "scopes")]
    [InlineData("""{"expires_at":"2001-01-01T00:00:00Z"}""", "expires_at")]
    [InlineData("""{"name":"  "}""", "name")]
    [InlineData("""{"name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""", "name")]
    [InlineData("""{"scope":"send"}""", "scope")]
    public async Task A_bad_key_request_is_invalid_request(string body, string field)
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        using var admin = host.Operator();
        var response = await admin.PostAsync($"/admin/v1/businesses/{business.Id}/keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private static async Task<JsonElement> Issue(HeraldHost host, string businessId, object body)
    {
        using var admin = host.Operator();
        var response = await admin.PostAsJsonAsync($"/admin/v1/businesses/{businessId}/keys", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> LastUsed(HttpClient admin, TestBusiness business) =>
        (await admin.GetFromJsonAsync<JsonElement[]>($"/admin/v1/businesses/{business.Id}/keys"))!
            .Single(k => k.GetProperty("key_id").GetString() == business.KeyId).TryGetProperty("last_used_at", out var at) ? at : default;
}
