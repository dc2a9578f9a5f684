using System.Net;
using Herald.Server.Tests.Console;
using Herald.Server.Tests.Infrastructure;
using Herald.Server.Tests.Messenger;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Accounts;

/// <summary>The Team page's operator tokens in Chromium: created and shown once, listed, revoked after an in-page confirm.</summary>
public sealed class TokenConsoleTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task An_owner_creates_a_named_token_sees_it_once_and_revokes_it_after_confirming()
    {
        await using var host = await HeraldHost.Start();
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, HeraldHost.OperatorToken);
        await page.GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Operator tokens" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "bootstrap" })).ToContainTextAsync("owner");

        await page.GetByText("Create a token").ClickAsync();
        await page.GetByLabel("Token name").FillAsync("ci-console");
        await page.GetByLabel("Token access").SelectOptionAsync("viewer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = await page.GetByLabel("New operator token").InputValueAsync();
        Assert.StartsWith("hop_", secret, StringComparison.Ordinal);
        var row = page.GetByRole(AriaRole.Row, new() { Name = "ci-console" });
        await Expect(row).ToContainTextAsync("viewer");
        await Expect(row).ToContainTextAsync("token:bootstrap");
        await Expect(row).ToContainTextAsync("active");
        await Axe.ExpectNoViolations(page, "console team tokens");
        using (var client = host.Client(secret))
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/v1/businesses")).StatusCode);

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke token ci-console" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Revoke the token ci-console?" });
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(row).ToContainTextAsync("active");
        using (var client = host.Client(secret))
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/v1/businesses")).StatusCode);

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke token ci-console" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke token" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "ci-console" })).ToContainTextAsync("revoked");
        using (var client = host.Client(secret))
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/admin/v1/businesses")).StatusCode);
        await page.ReloadAsync();
        await Expect(page.GetByLabel("New operator token")).ToHaveCountAsync(0); // shown once only
        ConsolePage.AssertNoErrors(page);
    }
}
