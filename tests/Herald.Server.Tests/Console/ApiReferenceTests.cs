using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Console;

/// <summary>The interactive API reference at /docs/: it renders the served OpenAPI document and its "Try it" forms call the real API.</summary>
public sealed class ApiReferenceTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_reference_lists_every_area_and_try_it_calls_the_api_with_the_given_key()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync("/docs/");

        foreach (var tag in new[] { "Business API", "Operator API", "Consumer API" })
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = tag, Exact = true, Level = 2 })).ToBeVisibleAsync();
        var send = page.GetByRole(AriaRole.Region, new() { Name = "Send one message" });
        await Expect(send.GetByRole(AriaRole.Cell, new() { Name = "tracking_data" })).ToBeVisibleAsync();
        await Expect(send.GetByText("429")).ToBeVisibleAsync();

        var profile = page.GetByRole(AriaRole.Region, new() { Name = "The sender profile as consumers see it" });
        await profile.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(profile.Locator(".answer-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^401"));

        await page.GetByLabel("Credential for \"Try it\"").FillAsync(business.ApiKey);
        await profile.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(profile.Locator(".answer-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^200"));
        await Expect(profile.Locator(".answer")).ToContainTextAsync("\"name\": \"Acme Parcels\"");

        await send.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(send.Locator(".answer-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^202"));
        await Expect(send.Locator(".answer")).ToContainTextAsync("msg_");
        await Browser.Screenshot(page, "api-reference");
        Assert.Empty(errors);
    }
}
