using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Campaigns;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.Accounts.MemberApi;

namespace Herald.Server.Tests.Accounts;

/// <summary>
/// A business's own people over HTTP: invitation, the owner's second factor, each role's reach in /v1, their own
/// business only (another's ids are not found), never the operator API, removal, antiforgery, the audit log.
/// </summary>
public sealed class MemberApiTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task An_owner_invited_by_the_operator_enrols_the_authenticator_sees_their_business_and_invites_a_developer_the_audit_names_them()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var acme = await host.CreateBusiness(name: "Acme");
        await host.CreateBusiness(name: "Other");
        var (ownerId, token) = await Invite(host, acme.Id, "Olga@Example.com", "owner");
        using var anonymous = host.Client();
        var link = await (await anonymous.PostAsJsonAsync("/auth/v1/links/lookup", new { token })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(acme.Id, link.GetProperty("business_id").GetString());
        Assert.True(link.GetProperty("second_factor_required").GetBoolean());
        var skipped = await anonymous.PostAsJsonAsync("/auth/v1/links/accept", new { token, password = AccountApi.Password });
        Assert.Equal(HttpStatusCode.BadRequest, skipped.StatusCode); // an owner cannot skip the authenticator
        Assert.True((await skipped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("code", out _));
        var secret = await AccountApi.Accept(host, token);

        using var owner = Session.Open(host);
        Assert.Equal("code_required", await Code(await owner.SignIn("olga@example.com", AccountApi.Password)));
        Assert.Equal(HttpStatusCode.OK, (await owner.SignIn("olga@example.com", AccountApi.Password, AccountApi.NextCode(host, secret))).StatusCode);
        var me = JsonDocument.Parse(await Expect(owner, HttpStatusCode.OK, HttpMethod.Get, "/auth/v1/session")).RootElement;
        Assert.Equal(acme.Id, me.GetProperty("business_id").GetString());
        Assert.Contains("members", me.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        var profile = JsonDocument.Parse(await Expect(owner, HttpStatusCode.OK, HttpMethod.Get, "/v1/profile")).RootElement;
        Assert.Equal(acme.Id, profile.GetProperty("business_id").GetString());
        Assert.Equal("Acme", profile.GetProperty("name").GetString());

        var invited = JsonDocument.Parse(await Expect(owner, HttpStatusCode.Created, HttpMethod.Post, "/v1/members/invitations",
            new { email = "dev@example.com", role = "developer" })).RootElement;
        var badRole = await Expect(owner, HttpStatusCode.BadRequest, HttpMethod.Post, "/v1/members/invitations", new { email = "x@example.com", role = "admin" });
        Assert.True(JsonDocument.Parse(badRole).RootElement.GetProperty("errors").TryGetProperty("role", out _), badRole); // an operator role is not a business's
        await Expect(owner, HttpStatusCode.Conflict, HttpMethod.Post, "/v1/members/invitations", new { email = "olga@example.com", role = "viewer" });
        // A developer may skip the authenticator and sign in with the password alone.
        await AccountApi.Accept(host, AccountApi.TokenOf(invited.GetProperty("url").GetString()!), enrol: false);
        using var developer = Session.Open(host);
        Assert.Equal(HttpStatusCode.OK, (await developer.SignIn("dev@example.com", AccountApi.Password)).StatusCode);
        await Expect(developer, HttpStatusCode.OK, HttpMethod.Get, "/v1/profile");
        await Expect(owner, HttpStatusCode.Created, HttpMethod.Post, "/v1/keys", new { name = "ci" });

        var members = JsonDocument.Parse(await Expect(owner, HttpStatusCode.OK, HttpMethod.Get, "/v1/members")).RootElement.EnumerateArray().ToList();
        Assert.Equal(["olga@example.com owner active", "dev@example.com developer active"],
            members.Select(m => $"{m.GetProperty("email")} {m.GetProperty("role")} {m.GetProperty("status")}"));
        using var admin = host.Operator();
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement[]>($"/admin/v1/businesses/{acme.Id}/members"))!.Length);
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement[]>("/admin/v1/operators"))!); // members are not operators

        var audit = (await admin.GetFromJsonAsync<JsonElement[]>("/admin/v1/audit?actor=olga@example.com"))!.ToList();
        // A member's Console sign-in is an entry too (SignInAuditTests), like an operator's.
        Assert.Equal(["key.issue", "member.invite", "session.sign_in", "member.join"], audit.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(acme.Id, audit[0].GetProperty("target").GetString());
        Assert.All(audit.Where(e => e.GetProperty("action").GetString()!.StartsWith("member.", StringComparison.Ordinal)), e => Assert.Contains($"\"business_id\":\"{acme.Id}\"", e.GetProperty("details").GetString(), StringComparison.Ordinal));
        Assert.Equal("token:bootstrap", (await admin.GetFromJsonAsync<JsonElement[]>("/admin/v1/audit?action=member.invite&target=olga@example.com"))!.Single().GetProperty("actor").GetString());
        Assert.Equal(ownerId, members[0].GetProperty("account_id").GetString());
        host.AssertNoClearText(AccountApi.Password);
        host.AssertNoClearText(token);
    }

    [Fact]
    public async Task Each_business_role_may_do_what_it_is_for_and_is_refused_the_rest()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var acme = await host.CreateBusiness();
        using var owner = await Member(host, acme.Id, "owner@example.com", "owner");
        using var developer = await Member(host, acme.Id, "dev@example.com", "developer");
        using var marketer = await Member(host, acme.Id, "mark@example.com", "marketer");
        using var viewer = await Member(host, acme.Id, "vic@example.com", "viewer");
        Session[] all = [owner, developer, marketer, viewer];
        const HttpStatusCode No = HttpStatusCode.Forbidden;

        // [owner, developer, marketer, viewer]
        var table = new (string Method, string Path, object? Body, HttpStatusCode[] Answers)[]
        {
            ("GET", "/v1/profile", null, [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK]),
            ("GET", "/v1/stats/daily", null, [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK]),
            ("POST", "/v1/messages", new { to = Phone, category = "transactional", text = "test" }, [HttpStatusCode.Accepted, HttpStatusCode.Accepted, No, No]),
            ("POST", "/v1/templates", new { name = "t", text = "Hello {{name}}" }, [HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, No]),
            ("GET", "/v1/templates", null, [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK]),
            ("GET", "/v1/webhook/deliveries", null, [HttpStatusCode.OK, HttpStatusCode.OK, No, HttpStatusCode.OK]),
            ("POST", "/v1/webhook/test", null, [HttpStatusCode.Accepted, HttpStatusCode.Accepted, No, No]),
            ("GET", "/v1/campaigns", null, [HttpStatusCode.OK, No, HttpStatusCode.OK, HttpStatusCode.OK]),
            ("POST", "/v1/campaigns", new { name = "Sale", message = new { category = "promotional", text = "20% off" } }, [HttpStatusCode.Created, No, HttpStatusCode.Created, No]),
            ("GET", "/v1/inbox", null, [HttpStatusCode.OK, No, HttpStatusCode.OK, HttpStatusCode.OK]),
            ("PUT", "/v1/inbox", new { replies_to = "both" }, [HttpStatusCode.OK, No, HttpStatusCode.OK, No]),
            ("GET", "/v1/keys", null, [HttpStatusCode.OK, HttpStatusCode.OK, No, HttpStatusCode.OK]),
            ("POST", "/v1/keys", null, [HttpStatusCode.Created, HttpStatusCode.Created, No, No]),
            ("GET", "/v1/members", null, [HttpStatusCode.OK, No, No, No]),
            ("POST", "/v1/members/invitations", new { email = "new@example.com", role = "viewer" }, [HttpStatusCode.Created, No, No, No]),
        };
        foreach (var (method, path, body, answers) in table)
            for (var i = 0; i < all.Length; i++)
            {
                var text = await Expect(all[i], answers[i], new HttpMethod(method), path, body);
                if (answers[i] == No)
                    Assert.Equal("forbidden", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
            }

        // An API key holds none of the members' own scopes: a key cannot mint keys or people.
        using var key = acme.Client();
        Assert.Equal(HttpStatusCode.Forbidden, (await key.GetAsync("/v1/members")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await key.PostAsync("/v1/keys", null)).StatusCode);
        // An operator's session is not a business's.
        using var operatorOwner = await AccountApi.Person(host, "ana@example.com", "owner");
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorOwner.Get("/v1/profile")).StatusCode);
    }

    [Fact]
    public async Task A_member_of_one_business_finds_nothing_of_another_and_is_refused_every_operator_route()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var a = await host.CreateBusiness(name: "A");
        var b = await host.CreateBusiness(name: "B");
        using var owner = await Member(host, a.Id, "owner@a.example", "owner");
        using var bOwner = await Member(host, b.Id, "owner@b.example", "owner");
        using var bViewer = await Member(host, b.Id, "viewer@b.example", "viewer");
        var template = (await TemplateTests.Submit(b, "bt", "Hi {{name}}")).GetProperty("id").GetString();
        using var bKey = b.Client();
        var campaign = await CampaignApi.Create(bKey);
        var message = await b.SendOk(new { to = Phone, category = "transactional", text = "B's" });
        var bKeyId = JsonDocument.Parse(await Expect(bOwner, HttpStatusCode.Created, HttpMethod.Post, "/v1/keys")).RootElement.GetProperty("key_id").GetString();

        await Expect(owner, HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/templates/{template}");
        await Expect(owner, HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/messages/{message}");
        await Expect(owner, HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/campaigns/{campaign}");
        await Expect(owner, HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/campaigns/{campaign}/recipients.csv");
        var upload = new HttpRequestMessage(HttpMethod.Put, $"/v1/campaigns/{campaign}/audience") { Content = new StringContent("phone\n" + Phone, null, "text/csv") };
        upload.Headers.Add("X-Herald-Antiforgery", owner.AntiforgeryToken);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Send(upload)).StatusCode);
        foreach (var action in new[] { "start", "pause", "resume", "cancel" })
            await Expect(owner, HttpStatusCode.NotFound, HttpMethod.Post, $"/v1/campaigns/{campaign}/{action}");
        await Expect(owner, HttpStatusCode.NotFound, HttpMethod.Delete, $"/v1/keys/{bKeyId}");
        await Expect(owner, HttpStatusCode.NotFound, HttpMethod.Delete, $"/v1/keys/{b.KeyId}");
        await Expect(owner, HttpStatusCode.NotFound, HttpMethod.Delete, $"/v1/members/{bViewer.AccountId}");
        await Expect(owner, HttpStatusCode.NotFound, HttpMethod.Delete, $"/v1/members/{bOwner.AccountId}");
        await Expect(owner, HttpStatusCode.NotFound, HttpMethod.Post, "/v1/webhook/deliveries/evt_nope/replay");
        // B's things are intact, and B's lists never show A's.
        await Expect(bViewer, HttpStatusCode.OK, HttpMethod.Get, "/v1/profile");
        Assert.Equal("draft", (await bKey.GetFromJsonAsync<JsonElement>($"/v1/campaigns/{campaign}")).GetProperty("state").GetString());
        Assert.Equal(2, JsonDocument.Parse(await Expect(bOwner, HttpStatusCode.OK, HttpMethod.Get, "/v1/keys")).RootElement
            .EnumerateArray().Count(k => !k.TryGetProperty("revoked_at", out var r) || r.ValueKind == JsonValueKind.Null));
        Assert.DoesNotContain("owner@a.example", await Expect(bOwner, HttpStatusCode.OK, HttpMethod.Get, "/v1/members"), StringComparison.Ordinal);
        Assert.DoesNotContain(template!, await Expect(owner, HttpStatusCode.OK, HttpMethod.Get, "/v1/templates"), StringComparison.Ordinal);

        // The operator API is closed to members, their own business's routes included.
        foreach (var (method, path, body) in new (string, string, object?)[]
        {
            ("GET", "/admin/v1/businesses", null), ("GET", $"/admin/v1/businesses/{a.Id}", null), ("GET", $"/admin/v1/businesses/{b.Id}", null),
            ("PATCH", $"/admin/v1/businesses/{a.Id}", new { verified = true }), ("POST", $"/admin/v1/businesses/{a.Id}/keys", null),
            ("GET", $"/admin/v1/businesses/{a.Id}/members", null), ("POST", $"/admin/v1/businesses/{b.Id}/members/invitations", new { email = "x@b.example", role = "owner" }),
            ("GET", "/admin/v1/policies", null), ("PUT", "/admin/v1/policies/44", new { transactional_requires_template = true }),
            ("GET", "/admin/v1/audit", null), ("GET", "/admin/v1/operators", null), ("POST", "/admin/v1/operators/invitations", new { email = "x@a.example", role = "owner" }),
            ("GET", "/admin/v1/templates", null), ("POST", $"/admin/v1/templates/{template}/approve", null),
        })
            Assert.Equal("forbidden", JsonDocument.Parse(await Expect(owner, HttpStatusCode.Forbidden, new HttpMethod(method), path, body)).RootElement.GetProperty("code").GetString());
        using var admin = host.Operator();
        Assert.Equal("pending", (await admin.GetFromJsonAsync<JsonElement[]>("/admin/v1/templates?status=pending"))!.Single().GetProperty("status").GetString());
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement[]>("/admin/v1/operators"))!);
    }

    [Fact]
    public async Task A_removed_member_is_refused_at_once_and_a_change_without_the_antiforgery_header_is_refused()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var acme = await host.CreateBusiness();
        var other = await host.CreateBusiness();
        using var owner = await Member(host, acme.Id, "owner@example.com", "owner");
        using var marketer = await Member(host, acme.Id, "mark@example.com", "marketer");
        using var second = await Member(host, acme.Id, "second@example.com", "owner");

        var forged = await marketer.Send(HttpMethod.Post, "/v1/templates", new { name = "forged", text = "x" }, antiforgery: false);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("antiforgery_failed", await Code(forged));
        Assert.Equal("antiforgery_failed", await Code(await owner.Send(HttpMethod.Post, "/v1/members/invitations", new { email = "x@example.com", role = "owner" }, antiforgery: false)));
        Assert.Equal("antiforgery_failed", await Code(await owner.Send(HttpMethod.Delete, $"/v1/members/{marketer.AccountId}", antiforgery: false)));
        await Expect(marketer, HttpStatusCode.OK, HttpMethod.Get, "/v1/templates"); // not forged away: the marketer was still a member
        Assert.DoesNotContain("forged", await Expect(marketer, HttpStatusCode.OK, HttpMethod.Get, "/v1/templates"), StringComparison.Ordinal);

        await Expect(owner, HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1/members/{marketer.AccountId}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await marketer.Get("/v1/templates")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await marketer.Get("/auth/v1/session")).StatusCode);
        Assert.Equal("sign_in_failed", await Code(await Session.Open(host).SignIn("mark@example.com", AccountApi.Password)));

        // The operator removes a member too, but only through the member's own business.
        using var admin = host.Operator();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/admin/v1/businesses/{other.Id}/members/{second.AccountId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/admin/v1/operators/{second.AccountId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/v1/businesses/nope/members")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/v1/businesses/{acme.Id}/members/{second.AccountId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.Get("/v1/profile")).StatusCode);
        Assert.Equal("last_owner", await Code(await owner.Send(HttpMethod.Delete, $"/v1/members/{owner.AccountId}")));
        Assert.Equal("last_owner", await Code(await admin.DeleteAsync($"/admin/v1/businesses/{acme.Id}/members/{owner.AccountId}")));
        var audit = (await admin.GetFromJsonAsync<JsonElement[]>("/admin/v1/audit?action=member.remove"))!
            .Select(e => $"{e.GetProperty("actor")} {e.GetProperty("target")}");
        Assert.Equal(["token:bootstrap second@example.com", "owner@example.com mark@example.com"], audit);
    }

    [Fact]
    public async Task An_owner_or_an_operator_resets_a_members_password_their_sessions_end_and_only_the_new_link_signs_them_in_again()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var acme = await host.CreateBusiness();
        var other = await host.CreateBusiness();
        using var owner = await Member(host, acme.Id, "owner@example.com", "owner");
        using var developer = await Member(host, acme.Id, "dev@example.com", "developer");
        using var outsider = await Member(host, other.Id, "boss@example.com", "owner");

        // Another business's owner, and a developer (no `members` scope), cannot reset anyone here.
        await Expect(outsider, HttpStatusCode.NotFound, HttpMethod.Post, $"/v1/members/{developer.AccountId}/password-reset");
        await Expect(developer, HttpStatusCode.Forbidden, HttpMethod.Post, $"/v1/members/{owner.AccountId}/password-reset");
        Assert.Equal("antiforgery_failed", await Code(await owner.Send(HttpMethod.Post, $"/v1/members/{developer.AccountId}/password-reset", antiforgery: false)));
        await Expect(developer, HttpStatusCode.OK, HttpMethod.Get, "/v1/profile"); // none of that touched the developer

        var issued = JsonDocument.Parse(await Expect(owner, HttpStatusCode.Created, HttpMethod.Post, $"/v1/members/{developer.AccountId}/password-reset")).RootElement;
        Assert.Equal("dev@example.com", issued.GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await developer.Get("/v1/profile")).StatusCode); // signed out at once
        using var anonymous = host.Client();
        var token = AccountApi.TokenOf(issued.GetProperty("url").GetString()!);
        var link = await (await anonymous.PostAsJsonAsync("/auth/v1/links/lookup", new { token })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(acme.Id, link.GetProperty("business_id").GetString());
        await AccountApi.Accept(host, token, enrol: false);
        using var again = Session.Open(host);
        Assert.Equal(HttpStatusCode.OK, (await again.SignIn("dev@example.com", AccountApi.Password)).StatusCode);

        // The operator resets through the member's own business only.
        using var admin = host.Operator();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/admin/v1/businesses/{other.Id}/members/{owner.AccountId}/password-reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/admin/v1/operators/{owner.AccountId}/password-reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/admin/v1/businesses/{acme.Id}/members/{owner.AccountId}/password-reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await owner.Get("/v1/members")).StatusCode);
        var audit = (await admin.GetFromJsonAsync<JsonElement[]>("/admin/v1/audit?action=member.password_reset"))!
            .Select(e => $"{e.GetProperty("actor")} {e.GetProperty("target")}");
        Assert.Equal(["token:bootstrap owner@example.com", "owner@example.com dev@example.com"], audit);
    }

    private static async Task<string?> Code(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
}
