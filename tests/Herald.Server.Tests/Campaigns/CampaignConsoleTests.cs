using Herald.Server.Tests.Console;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Campaigns;

/// <summary>A business runs a campaign from the Console, in Chromium against a real server.</summary>
public sealed class CampaignConsoleTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task A_business_creates_uploads_starts_pauses_resumes_and_watches_a_campaign_finish()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, business.ApiKey);

        await CampaignConsole.CreateDraft(page, rate: 500);
        await CampaignConsole.UploadAudience(page, CampaignConsole.AudienceWithBadLines(10_000, 200).Csv, "10000 recipients kept, 50 bad lines.", 202);
        await Browser.Screenshot(page, "console-campaign-uploaded");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start now" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Start campaign" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(page.Locator(".page-head .badge")).ToHaveTextAsync("completed", new() { Timeout = 60_000 });
        await Expect(page.Locator(".campaign-progress td").Nth(1)).ToHaveTextAsync("10000");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("null");
        await Browser.Screenshot(page, "console-campaign-completed");
    }
}
