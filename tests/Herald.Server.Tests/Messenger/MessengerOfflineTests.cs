using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>The Messenger as an installable app: its manifest, its service worker, and opening with no connection.</summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerOfflineTests(Browser browser)
{
    [Fact]
    public async Task The_Messenger_meets_Chromiums_installability_criteria()
    {
        await using var host = await HeraldHost.Start();
        var profile = Directory.CreateTempSubdirectory("herald-chromium-");
        try
        {
            await using var context = await browser.NewPersistentContext(host.BaseAddress, profile.FullName);
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            await page.GotoAsync("/app/");
            // Chromium checks the manifest, its icons and a service worker controlling the page with a fetch handler.
            await page.EvaluateAsync("() => navigator.serviceWorker.register('/app/sw.js', { type: 'module', scope: '/app/' })");
            await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");
            var devTools = await context.NewCDPSessionAsync(page);

            var answer = await devTools.SendAsync("Page.getInstallabilityErrors");

            Assert.Empty(answer!.Value.GetProperty("installabilityErrors").EnumerateArray().Select(e => e.GetProperty("errorId").GetString()));
            var manifest = await devTools.SendAsync("Page.getAppManifest");
            Assert.Empty(manifest!.Value.GetProperty("errors").EnumerateArray());
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_worker_manifest_and_icons_are_served_with_their_types_and_revalidated()
    {
        await using var host = await HeraldHost.Start();
        using var client = host.Client();
        foreach (var (path, type) in new[]
        {
            ("/app/sw.js", "text/javascript"), ("/app/manifest.webmanifest", "application/manifest+json"),
            ("/app/icon-192.png", "image/png"), ("/app/icon-512.png", "image/png"), ("/app/icon-maskable-512.png", "image/png"),
        })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        }
    }

    [Fact]
    public async Task Opened_with_no_connection_the_Messenger_shows_its_stored_history_and_says_it_is_offline()
    {
        await using var host = await HeraldHost.Start();
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var messenger = await MessengerPushTests.SignedInWithWorker(browser, host, phone: true, notifications: false);
        var id = await parcels.SendOk(new { to = "+447700900123", category = "transactional", text = "Kept on this device" });
        await Expect(messenger.ChatRow(parcels.Id)).ToBeVisibleAsync();
        await host.Receiver.WaitFor("delivered", id);
        var banner = messenger.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are offline." });
        await Expect(banner).ToBeHiddenAsync();

        // No network in the browser, and no server behind it either: only the worker's cache can answer.
        await host.Stop();
        await messenger.Context.SetOfflineAsync(true);
        await messenger.Page.GotoAsync($"/app/chats/{parcels.Id}");

        await Expect(messenger.Bubble(id)).ToContainTextAsync("Kept on this device");
        await Expect(banner).ToBeVisibleAsync();
        await messenger.Page.GetByRole(AriaRole.Link, new() { Name = "Back to chats" }).ClickAsync();
        await Expect(messenger.ChatRow(parcels.Id)).ToContainTextAsync("Kept on this device");
        await Browser.Screenshot(messenger.Page, "messenger-phone-offline");
        // Reconnecting fails while offline, as it should; anything else the page reports is a bug.
        Assert.All(messenger.Errors, e => Assert.Contains("WebSocket", e, StringComparison.Ordinal));
    }
}
