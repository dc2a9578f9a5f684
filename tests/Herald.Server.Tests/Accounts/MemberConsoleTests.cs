using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Console;
using Herald.Server.Tests.Infrastructure;
using Herald.Server.Tests.Messenger;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Accounts;

/// <summary>A business's own people in the Console, in Chromium: joining by the link, the owner's authenticator, their business only, roles.</summary>
public sealed class MemberConsoleTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task An_invited_business_owner_joins_with_the_authenticator_sees_only_their_business_and_invites_a_viewer_who_only_reads()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var acme = await host.CreateBusiness(name: "Acme");
        var other = await host.CreateBusiness(name: "Other Ltd");
        var (_, token) = await MemberApi.Invite(host, acme.Id, "olga@example.com", "owner");
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.Open(context, $"/console/#/link/{token}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Join your business on Herald" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Authenticator app (required for your role)")).ToBeVisibleAsync();
        var secret = RfcTotp.SecretOf(await page.GetByLabel("Or add this link to your app").InputValueAsync());
        await page.GetByLabel("Choose a password").FillAsync(AccountApi.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("authenticator"); // an owner cannot skip it
        await page.GetByLabel("6-digit code from your authenticator app").FillAsync(RfcTotp.Code(secret, AccountApi.Now(host)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await Expect(page.GetByText("Your account is ready. Sign in.")).ToBeVisibleAsync();

        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AccountApi.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter the 6-digit code from your authenticator app.");
        await page.GetByLabel("6-digit code from your authenticator app").FillAsync(AccountApi.NextCode(host, secret));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Business · owner")).ToBeVisibleAsync();
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Console" });
        Assert.Equal(["Overview", "Inbox", "Send a test", "Templates", "Campaigns", "Webhook log", "API keys", "Members"],
            await nav.GetByRole(AriaRole.Link).AllInnerTextsAsync());
        await Expect(page.GetByText(acme.Id, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText(other.Id)).ToHaveCountAsync(0);
        await page.GotoAsync("/console/#/businesses"); // an operator page by its address: still their own overview
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        const string fetchStatus = "async path => (await fetch(path)).status";
        Assert.Equal(403, await page.EvaluateAsync<int>(fetchStatus, "/admin/v1/businesses"));
        Assert.Equal(404, await page.EvaluateAsync<int>(fetchStatus, $"/v1/campaigns/{await OtherCampaign(other)}"));
        await Axe.ExpectNoViolations(page, "console business member overview");

        await nav.GetByRole(AriaRole.Link, new() { Name = "Members" }).ClickAsync();
        await page.GetByLabel("E-mail").FillAsync("vic@example.com");
        await page.GetByLabel("Role").SelectOptionAsync("viewer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        var link = await page.GetByLabel("Invitation link").InputValueAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "vic@example.com viewer invited" })).ToBeVisibleAsync();
        await Axe.ExpectNoViolations(page, "console business members");
        await Browser.Screenshot(page, "console-members");
        ConsolePage.AssertNoErrors(page);

        // The viewer joins without an authenticator (optional for them) and only reads.
        await AccountApi.Accept(host, AccountApi.TokenOf(link), enrol: false);
        await using var viewerContext = await browser.NewContext(host.BaseAddress);
        var viewer = await ConsolePage.Open(viewerContext);
        await viewer.GetByLabel("E-mail").FillAsync("vic@example.com");
        await viewer.GetByLabel("Password", new() { Exact = true }).FillAsync(AccountApi.Password);
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(viewer.GetByText("Business · viewer")).ToBeVisibleAsync();
        var viewerNav = viewer.GetByRole(AriaRole.Navigation, new() { Name = "Console" });
        Assert.Equal(["Overview", "Inbox", "Templates", "Campaigns", "Webhook log", "API keys"], await viewerNav.GetByRole(AriaRole.Link).AllInnerTextsAsync());
        await viewerNav.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await Expect(viewer.GetByRole(AriaRole.Row)).ToHaveCountAsync(2); // header and the business's one key
        await Expect(viewer.GetByText("Issue a new key")).ToHaveCountAsync(0);
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Revoke" })).ToHaveCountAsync(0);
        ConsolePage.AssertNoErrors(viewer);

        // Removed by the owner: the viewer's next page asks to sign in again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove vic@example.com" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "vic@example.com viewer" })).ToHaveCountAsync(0);
        await viewerNav.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await Expect(viewer.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();

        // The operator sees the business's members on its page.
        await using var operatorContext = await browser.NewContext(host.BaseAddress);
        var operatorPage = await ConsolePage.SignIn(operatorContext, HeraldHost.OperatorToken);
        await operatorPage.GotoAsync($"/console/#/businesses/{acme.Id}");
        await Expect(operatorPage.GetByRole(AriaRole.Row, new() { Name = "olga@example.com owner active" })).ToBeVisibleAsync();
        await Expect(operatorPage.GetByRole(AriaRole.Row, new() { Name = "vic@example.com" })).ToHaveCountAsync(0);
        await Axe.ExpectNoViolations(operatorPage, "console business detail with members");
        ConsolePage.AssertNoErrors(operatorPage);
    }

    private static async Task<string> OtherCampaign(TestBusiness other)
    {
        using var client = other.Client();
        return await Campaigns.CampaignApi.Create(client);
    }
}
