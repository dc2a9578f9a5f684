using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Console;
using Herald.Server.Tests.Infrastructure;
using Herald.Server.Tests.Messenger;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Accounts;

/// <summary>People signing in to the Console in Chromium: invitation, authenticator codes, roles, session end, antiforgery.</summary>
public sealed class AccountConsoleTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task An_invited_owner_joins_by_the_link_enrols_the_authenticator_signs_in_with_a_code_and_invites_a_viewer()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var (_, token) = await AccountApi.Invite(host, "ana@example.com", "owner");
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.Open(context, $"/console/#/link/{token}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Join the operator team" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code to add Herald to your authenticator app" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolations(page, "console invitation");
        var secret = RfcTotp.SecretOf(await page.GetByLabel("Or add this link to your app").InputValueAsync());
        await page.GetByLabel("Choose a password").FillAsync(AccountApi.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("authenticator"); // owners cannot skip it
        await page.GetByLabel("6-digit code from your authenticator app").FillAsync(RfcTotp.Code(secret, AccountApi.Now(host)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Your account is ready. Sign in.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("E-mail")).ToHaveValueAsync("ana@example.com");
        await Axe.ExpectNoViolations(page, "console sign-in");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("a wrong password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That e-mail and password do not match.");
        Assert.DoesNotContain("code:", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await Expect(page.GetByLabel("6-digit code from your authenticator app")).ToBeHiddenAsync(); // asked for once the password is right
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AccountApi.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter the 6-digit code from your authenticator app.");
        await page.GetByLabel("6-digit code from your authenticator app").FillAsync(AccountApi.NextCode(host, secret));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Console" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Operator · owner")).ToBeVisibleAsync();

        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "herald_console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(AccountApi.Password, await page.EvaluateAsync<string>("JSON.stringify(sessionStorage)"), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        await page.GetByLabel("E-mail").FillAsync("vic@example.com");
        await page.GetByLabel("Role").SelectOptionAsync("viewer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        var link = await page.GetByLabel("Invitation link").InputValueAsync();
        Assert.Contains("/console/#/link/hal_", link, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "vic@example.com viewer invited" })).ToBeVisibleAsync();
        await Browser.Screenshot(page, "console-team");

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await page.GetByLabel("Actor").FillAsync("ana@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        // header, operator.invite, session.sign_in, session.wrong_password, operator.join (SignInAuditTests)
        await Expect(page.GetByRole(AriaRole.Row)).ToHaveCountAsync(5);
        await Expect(page.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("operator.invite");
        await Expect(page.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("vic@example.com");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync(); // the cookie is gone too
        ConsolePage.AssertNoErrors(page);
    }

    [Fact]
    public async Task A_reviewer_sees_only_templates_and_a_viewer_is_refused_changes()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var business = await host.CreateBusiness();
        await TemplateTests.Submit(business, "shipped", "Hi {{name}}, your parcel is on its way");
        using var reviewer = await AccountApi.Person(host, "rita@example.com", "reviewer");
        using var viewer = await AccountApi.Person(host, "vic@example.com", "viewer");

        await using (var context = await browser.NewContext(host.BaseAddress))
        {
            var page = await SignIn(context, host, "rita@example.com", reviewer.Secret);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Template review" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Businesses" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Article, new() { Name = "Template shipped" })).ToContainTextAsync("decided");
            await page.GotoAsync("/console/#/businesses"); // by typing the address: still the review queue
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Template review" })).ToBeVisibleAsync();
            ConsolePage.AssertNoErrors(page);
        }

        await using (var context = await browser.NewContext(host.BaseAddress))
        {
            var page = await SignIn(context, host, "vic@example.com", viewer.Secret);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Businesses" })).ToBeVisibleAsync();
            await page.GetByLabel("Name").FillAsync("Sneaky Ltd");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create business" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your role does not allow this.");
            await page.GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "People" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Invite" })).ToHaveCountAsync(0);
        }
        using var admin = host.Operator();
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonElement>("/admin/v1/businesses")).EnumerateArray(),
            b => b.GetProperty("name").GetString() == "Sneaky Ltd");
    }

    [Fact]
    public async Task An_idle_session_ends_and_the_Console_asks_to_sign_in_again()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        using var viewer = await AccountApi.Person(host, "vic@example.com", "viewer");
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await SignIn(context, host, "vic@example.com", viewer.Secret);
        host.Time!.Advance(TimeSpan.FromMinutes(29));
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();
        host.Time.Advance(TimeSpan.FromMinutes(31));
        // Going to another page, by its address rather than the link: a request the Console makes on its own meanwhile
        // may already have found the session gone and taken the navigation (and the link) away.
        await page.EvaluateAsync("() => { location.hash = '#/businesses'; }");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Console" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_change_sent_with_the_cookie_but_without_the_antiforgery_token_is_refused()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        using var owner = await AccountApi.Person(host, "ana@example.com", "owner");
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await SignIn(context, host, "ana@example.com", owner.Secret);
        const string post = """
            async header => {
              const headers = { 'Content-Type': 'application/json' };
              if (header) headers['X-Herald-Antiforgery'] = JSON.parse(sessionStorage.getItem('herald.console.credential')).antiforgery;
              const r = await fetch('/admin/v1/businesses', { method: 'POST', headers, body: JSON.stringify({ name: header ? 'Real' : 'Forged' }) });
              return r.status + ' ' + (await r.json()).code;
            }
            """;
        Assert.Equal("403 antiforgery_failed", await page.EvaluateAsync<string>(post, false));
        Assert.StartsWith("201", await page.EvaluateAsync<string>(post, true), StringComparison.Ordinal);
        using var admin = host.Operator();
        Assert.Equal(["Real"], (await admin.GetFromJsonAsync<JsonElement>("/admin/v1/businesses")).EnumerateArray().Select(b => b.GetProperty("name").GetString()));
    }

    private static async Task<IPage> SignIn(IBrowserContext context, HeraldHost host, string email, byte[] secret)
    {
        var page = await ConsolePage.Open(context);
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AccountApi.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter the 6-digit code from your authenticator app.");
        await page.GetByLabel("6-digit code from your authenticator app").FillAsync(AccountApi.NextCode(host, secret));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Console" })).ToBeVisibleAsync();
        return page;
    }
}
