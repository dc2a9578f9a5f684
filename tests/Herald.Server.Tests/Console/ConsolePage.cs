using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Console;

/// <summary>Opens the Console and signs in; records every script error the page throws, so a test can insist on none.</summary>
public static class ConsolePage
{
    private static readonly ConditionalWeakTable<IPage, List<string>> s_errors = [];

    public static async Task<IPage> SignIn(IBrowserContext context, string credential)
    {
        var page = await Open(context);
        await page.GetByLabel("Operator token or API key").FillAsync(credential);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a token" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Console" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>A new page with its script errors recorded, at <paramref name="path"/>.</summary>
    public static async Task<IPage> Open(IBrowserContext context, string path = "/console/")
    {
        var page = await context.NewPageAsync();
        var errors = s_errors.GetOrCreateValue(page);
        page.PageError += (_, error) => errors.Add(error);
        // Refused requests (a 400 the page shows) and unreachable example logos log "Failed to load resource": expected.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                errors.Add(message.Text);
        };
        await page.GotoAsync(path);
        return page;
    }

    public static void AssertNoErrors(IPage page) => Assert.True(s_errors.GetOrCreateValue(page).Count == 0, string.Join('\n', s_errors.GetOrCreateValue(page)));
}
