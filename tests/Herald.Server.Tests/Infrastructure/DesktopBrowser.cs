using Microsoft.Playwright;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// Chromium with windows, on a <see cref="Desktop"/> of its own whose session bus has a <see cref="NotificationServer"/>:
/// Chromium then shows web notifications as native ones (org.freedesktop.Notifications), and a click the server
/// reports is the person's own, so a service worker may open a window for it (<c>clients.openWindow</c>), which a
/// click dispatched by a script may not. Headless Chromium shows no native notifications at all.
/// </summary>
public sealed class DesktopBrowser : IAsyncLifetime
{
    private Desktop? _desktop;
    private IPlaywright? _playwright;

    public NotificationServer Notifications { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _desktop = await Desktop.Start();
        // Before any browser starts: Chromium asks at start whether a notification server is on its bus.
        Notifications = await NotificationServer.Register(_desktop.BusAddress);
        _playwright = await Playwright.CreateAsync();
    }

    /// <summary>A Chromium of its own on the desktop, with an ordinary profile (see <see cref="Desktop.Chromium"/>).</summary>
    public Task<IBrowserContext> NewProfile(Uri baseAddress, string userDataDirectory) =>
        _desktop!.Chromium(_playwright!, baseAddress, userDataDirectory);

    public async Task DisposeAsync()
    {
        _playwright?.Dispose();
        if (Notifications is not null)
            await Notifications.DisposeAsync();
        if (_desktop is not null)
            await _desktop.DisposeAsync();
    }
}
