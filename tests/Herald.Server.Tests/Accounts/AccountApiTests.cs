using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Core.Accounts;
using Herald.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Accounts;

/// <summary>Operator accounts over HTTP: invitation, second factor, roles, antiforgery, throttling, session ends, audit.</summary>
public sealed class AccountApiTests
{
    [Fact]
    public async Task An_owner_invited_by_the_token_enrols_an_authenticator_signs_in_once_per_code_and_the_audit_log_names_them()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var (_, token) = await AccountApi.Invite(host, "Ana@Example.com", "owner");
        using var anonymous = host.Client();
        var link = await (await anonymous.PostAsJsonAsync("/auth/v1/links/lookup", new { token })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ana@example.com", link.GetProperty("email").GetString());
        Assert.True(link.GetProperty("second_factor_required").GetBoolean());
        Assert.StartsWith("otpauth://totp/Herald:ana%40example.com?", link.GetProperty("otpauth_uri").GetString());
        Assert.StartsWith("data:image/png;base64,", link.GetProperty("qr_code").GetString());

        // An owner cannot skip the second factor, nor pick a short password.
        var refused = await anonymous.PostAsJsonAsync("/auth/v1/links/accept", new { token, password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("code", out _));
        Assert.True(errors.TryGetProperty("password", out _));
        var secret = await AccountApi.Accept(host, token);
        var again = await anonymous.PostAsJsonAsync("/auth/v1/links/accept", new { token, password = AccountApi.Password, code = RfcTotp.Code(secret, AccountApi.Now(host)) });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode); // single use

        using var session = Session.Open(host);
        Assert.Equal("sign_in_failed", await Code(await session.SignIn("ana@example.com", "wrong password, surely")));
        Assert.Equal("code_required", await Code(await session.SignIn("ana@example.com", AccountApi.Password)));
        Assert.Equal("code_invalid", await Code(await session.SignIn("ana@example.com", AccountApi.Password, "000000")));
        // The code used to enrol is spent: the same 30-second step cannot sign in.
        Assert.Equal("code_invalid", await Code(await session.SignIn("ana@example.com", AccountApi.Password, RfcTotp.Code(secret, AccountApi.Now(host)))));
        var code = AccountApi.NextCode(host, secret);
        var signedIn = await session.SignIn("ANA@example.com", AccountApi.Password, code);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("herald_console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase); // gone when the browser closes
        using (var replay = Session.Open(host))
            Assert.Equal("code_invalid", await Code(await replay.SignIn("ana@example.com", AccountApi.Password, code)));

        var me = await (await session.Get("/auth/v1/session")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("owner", me.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Created, (await session.Send(HttpMethod.Post, "/admin/v1/businesses", new { name = "Acme", business_id = "acme" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Send(HttpMethod.Put, "/admin/v1/policies/44", new { transactional_requires_template = true })).StatusCode);
        await host.CreateBusiness(name: "By token");

        var all = (await Audit(session, "")).Where(e => !e.Action.StartsWith("session.", StringComparison.Ordinal)).ToList(); // SignInAuditTests
        Assert.Equal(["key.issue", "business.create", "policy.set", "business.create", "operator.join", "operator.invite"], all.Select(e => e.Action));
        Assert.Equal(["token:bootstrap", "token:bootstrap", "ana@example.com", "ana@example.com", "ana@example.com", "token:bootstrap"], all.Select(e => e.Actor));
        Assert.Equal(["policy.set", "business.create", "operator.join"], (await Audit(session, "?actor=ana@example.com"))
            .Select(e => e.Action).Where(a => !a.StartsWith("session.", StringComparison.Ordinal)));
        Assert.Equal(["acme"], (await Audit(session, "?action=business.create&actor=ana@example.com")).Select(e => e.Target));
        Assert.Equal(["policy.set"], (await Audit(session, "?target=44")).Select(e => e.Action));
        Assert.Empty(await Audit(session, "?actor=nobody@example.com"));
        var tooLong = await session.Get("/admin/v1/audit?actor=" + new string('a', 400));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        host.AssertNoClearText(AccountApi.Password);
        host.AssertNoClearText(token);
    }

    [Fact]
    public async Task Each_role_may_do_what_it_is_for_and_is_refused_the_rest()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var business = await host.CreateBusiness();
        var pending = await TemplateTests.Submit(business, "t1", "Hello {{name}}");
        var other = await TemplateTests.Submit(business, "t2", "Bye {{name}}");
        using var admin = await AccountApi.Person(host, "admin@example.com", "admin");
        using var reviewer = await AccountApi.Person(host, "rita@example.com", "reviewer");
        using var viewer = await AccountApi.Person(host, "vic@example.com", "viewer");

        async Task Expect(Session who, HttpStatusCode status, HttpMethod method, string path, object? body = null)
        {
            var response = method == HttpMethod.Get ? await who.Get(path) : await who.Send(method, path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode} {text}");
            if (status == HttpStatusCode.Forbidden)
                Assert.Equal("forbidden", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        }

        var create = new { name = "New" };
        var policy = new { transactional_requires_template = true };
        var invite = new { email = "x@example.com", role = "viewer" };
        // viewer: reads everything, changes nothing
        await Expect(viewer, HttpStatusCode.OK, HttpMethod.Get, "/admin/v1/businesses");
        await Expect(viewer, HttpStatusCode.OK, HttpMethod.Get, "/admin/v1/templates");
        await Expect(viewer, HttpStatusCode.OK, HttpMethod.Get, "/admin/v1/audit");
        await Expect(viewer, HttpStatusCode.OK, HttpMethod.Get, "/admin/v1/operators");
        await Expect(viewer, HttpStatusCode.Forbidden, HttpMethod.Post, "/admin/v1/businesses", create);
        await Expect(viewer, HttpStatusCode.Forbidden, HttpMethod.Post, $"/admin/v1/businesses/{business.Id}/keys");
        await Expect(viewer, HttpStatusCode.Forbidden, HttpMethod.Post, $"/admin/v1/templates/{Id(pending)}/approve");
        await Expect(viewer, HttpStatusCode.Forbidden, HttpMethod.Put, "/admin/v1/policies/44", policy);
        await Expect(viewer, HttpStatusCode.Forbidden, HttpMethod.Post, "/admin/v1/operators/invitations", invite);
        // reviewer: templates only
        await Expect(reviewer, HttpStatusCode.OK, HttpMethod.Get, "/admin/v1/templates");
        await Expect(reviewer, HttpStatusCode.OK, HttpMethod.Post, $"/admin/v1/templates/{Id(pending)}/approve");
        await Expect(reviewer, HttpStatusCode.OK, HttpMethod.Post, $"/admin/v1/templates/{Id(other)}/reject", new { reason = "no" });
        await Expect(reviewer, HttpStatusCode.Forbidden, HttpMethod.Get, "/admin/v1/businesses");
        await Expect(reviewer, HttpStatusCode.Forbidden, HttpMethod.Get, "/admin/v1/audit");
        await Expect(reviewer, HttpStatusCode.Forbidden, HttpMethod.Patch, $"/admin/v1/businesses/{business.Id}", new { verified = false });
        await Expect(reviewer, HttpStatusCode.Forbidden, HttpMethod.Put, "/admin/v1/policies/44", policy);
        // admin: everything but owners
        await Expect(admin, HttpStatusCode.Created, HttpMethod.Post, "/admin/v1/businesses", create);
        await Expect(admin, HttpStatusCode.OK, HttpMethod.Put, "/admin/v1/policies/44", policy);
        await Expect(admin, HttpStatusCode.Created, HttpMethod.Post, "/admin/v1/operators/invitations", invite);
        await Expect(admin, HttpStatusCode.Forbidden, HttpMethod.Post, "/admin/v1/operators/invitations", new { email = "o@example.com", role = "owner" });
        await Expect(admin, HttpStatusCode.NoContent, HttpMethod.Delete, $"/admin/v1/operators/{viewer.AccountId}");
        // removed: the viewer's session is over at once
        Assert.Equal(HttpStatusCode.Unauthorized, (await viewer.Get("/admin/v1/businesses")).StatusCode);
    }

    [Fact]
    public async Task Every_operator_route_requires_exactly_one_capability()
    {
        await using var host = await HeraldHost.Start();
        var routes = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/admin/v1", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count >= 15, $"{routes.Count} operator routes");
        Assert.All(routes, e => Assert.Single(e.Metadata.GetOrderedMetadata<IAuthorizeData>(), a => Capabilities.IsCapabilityPolicy(a.Policy ?? "")));
    }

    [Fact]
    public async Task A_state_changing_call_with_the_cookie_needs_the_antiforgery_token_and_a_token_call_does_not()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        using var owner = await AccountApi.Person(host, "ana@example.com", "owner");
        var without = await owner.Send(HttpMethod.Post, "/admin/v1/businesses", new { name = "Forged" }, antiforgery: false);
        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        Assert.Equal("antiforgery_failed", (await without.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        using var stranger = await AccountApi.Person(host, "eve@example.com", "admin");
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/v1/businesses") { Content = JsonContent.Create(new { name = "Forged" }) };
        request.Headers.Add("X-Herald-Antiforgery", stranger.AntiforgeryToken); // another person's token
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Send(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Send(HttpMethod.Post, "/auth/v1/sign-out", antiforgery: false)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Get("/admin/v1/businesses")).StatusCode); // reads need none, and the session lives on
        using (var admin = host.Operator())
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/admin/v1/businesses", new { name = "By token" })).StatusCode);
        using (var admin = host.Operator())
            Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonElement>("/admin/v1/businesses")).EnumerateArray(),
                b => b.GetProperty("name").GetString() == "Forged");
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Send(HttpMethod.Post, "/auth/v1/sign-out")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await owner.Get("/auth/v1/session")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_are_throttled_per_account_and_per_address()
    {
        await using var host = await HeraldHost.Start(new() { ["Herald:Accounts:AttemptsPerAccount"] = "3", ["Herald:Accounts:AttemptsPerAddress"] = "6" });
        var (_, token) = await AccountApi.Invite(host, "vic@example.com", "viewer");
        await AccountApi.Accept(host, token, enrol: false);
        using var session = Session.Open(host);
        for (var i = 0; i < 3; i++)
            Assert.Equal("sign_in_failed", await Code(await session.SignIn("vic@example.com", "not the password " + i)));
        var throttled = await session.SignIn("VIC@example.com", AccountApi.Password); // the right password, too late
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("too_many_attempts", await Code(throttled));
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        Assert.Equal("sign_in_failed", await Code(await session.SignIn("someone@example.com", "guess one")));
        Assert.Equal("sign_in_failed", await Code(await session.SignIn("another@example.com", "guess two")));
        Assert.Equal("too_many_attempts", await Code(await session.SignIn("a-third@example.com", "guess three"))); // this address has had six
    }

    [Fact]
    public async Task A_session_ends_when_idle_after_the_absolute_timeout_and_at_a_password_reset()
    {
        await using var host = await HeraldHost.Start(new() { ["Herald:Accounts:IdleTimeoutMinutes"] = "30", ["Herald:Accounts:AbsoluteTimeoutHours"] = "1" },
            fakeTime: true);
        using var idle = await AccountApi.Person(host, "ana@example.com", "owner");
        host.Time!.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await idle.Get("/auth/v1/session")).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await idle.Get("/auth/v1/session")).StatusCode);

        using var busy = await AccountApi.Person(host, "bo@example.com", "viewer");
        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromMinutes(19));
            Assert.Equal(HttpStatusCode.OK, (await busy.Get("/auth/v1/session")).StatusCode);
        }
        host.Time.Advance(TimeSpan.FromMinutes(4)); // 61 minutes after sign-in, active all along
        Assert.Equal(HttpStatusCode.Unauthorized, (await busy.Get("/auth/v1/session")).StatusCode);

        using var reset = await AccountApi.Person(host, "cy@example.com", "admin");
        using var admin = host.Operator();
        var issued = await admin.PostAsync($"/admin/v1/operators/{reset.AccountId}/password-reset", null);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await reset.Get("/auth/v1/session")).StatusCode);
        var link = AccountApi.TokenOf((await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        var secret = await AccountApi.Accept(host, link);
        using var back = Session.Open(host);
        Assert.Equal(HttpStatusCode.OK, (await back.SignIn("cy@example.com", AccountApi.Password, AccountApi.NextCode(host, secret))).StatusCode);
    }

    [Fact]
    public async Task Links_expire_the_last_owner_stays_and_only_owners_touch_owners()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        using var owner = await AccountApi.Person(host, "ana@example.com", "owner");
        using var admin = await AccountApi.Person(host, "ad@example.com", "admin");
        var (_, stale) = await AccountApi.Invite(host, "late@example.com", "viewer");
        host.Time!.Advance(TimeSpan.FromHours(73));
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/auth/v1/links/lookup", new { token = stale })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/auth/v1/links/lookup", new { token = "hal_made-up" })).StatusCode);

        using var token = host.Operator();
        var last = await token.DeleteAsync($"/admin/v1/operators/{owner.AccountId}");
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Equal("last_owner", await Code(last));
        Assert.Equal(HttpStatusCode.Conflict, (await token.PostAsJsonAsync("/admin/v1/operators/invitations", new { email = "AD@example.com", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await token.PostAsJsonAsync("/admin/v1/operators/invitations", new { email = "not an address", role = "boss" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await token.DeleteAsync("/admin/v1/operators/acc_nobody")).StatusCode);

        // Signed in again after 73 hours (the first sessions timed out), the admin may not reset or remove the owner.
        using var adminAgain = Session.Open(host);
        Assert.Equal(HttpStatusCode.OK, (await adminAgain.SignIn("ad@example.com", AccountApi.Password, AccountApi.NextCode(host, admin.Secret))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await adminAgain.Send(HttpMethod.Delete, $"/admin/v1/operators/{owner.AccountId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await adminAgain.Send(HttpMethod.Post, $"/admin/v1/operators/{owner.AccountId}/password-reset")).StatusCode);
        var team = await (await adminAgain.Get("/admin/v1/operators")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["ana@example.com:owner:active:True", "ad@example.com:admin:active:True", "late@example.com:viewer:invited:False"],
            team.EnumerateArray().Select(p => $"{p.GetProperty("email")}:{p.GetProperty("role")}:{p.GetProperty("status")}:{p.GetProperty("second_factor")}"));
    }

    private static string Id(JsonElement template) => template.GetProperty("id").GetString()!;

    private static async Task<string?> Code(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    private static async Task<List<(string Actor, string Action, string Target)>> Audit(Session session, string query)
    {
        var response = await session.Get("/admin/v1/audit" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return [.. JsonDocument.Parse(text).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("actor").GetString()!, e.GetProperty("action").GetString()!, e.GetProperty("target").GetString()!))];
    }
}
