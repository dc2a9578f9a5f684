using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>The pages embedded in the server, opened in the system's Chromium.</summary>
public sealed class WebAppsTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_start_page_links_to_the_messenger_and_the_console()
    {
        await using var host = await HeraldHost.Start();
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/");

        Assert.Equal(200, response!.Status);
        Assert.Equal("nosniff", await response.HeaderValueAsync("x-content-type-options"));
        Assert.Equal("Herald", await page.TitleAsync());
        Assert.Equal("/app/", await page.GetByText("Messenger").GetAttributeAsync("href"));
        Assert.Equal("/console/", await page.GetByText("Console").GetAttributeAsync("href"));
    }
}
