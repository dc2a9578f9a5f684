using Microsoft.Playwright;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// The system's Chromium (Debian's /usr/bin/chromium, installed by test.sh) driven by Playwright, for tests of the
/// web apps. One browser per test class fixture; each test opens its own context, so storage never leaks across tests.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Screenshots the tests save for people to look at; CI keeps the folder as an artifact.</summary>
    public static string ArtifactDirectory { get; } =
        Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "artifacts", "screenshots");

    private IPlaywright? _playwright;
    public IBrowser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Args,
        });
    }

    // The machine has no network beyond loopback: keep Chromium from trying to phone home at every start.
    private static readonly string[] Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    /// <summary>
    /// A second Chromium with an ordinary profile on disk. <see cref="NewContext"/> profiles are incognito-like, and
    /// Chromium refuses to install a web app from one ("in-incognito"); this one is what a person's browser is.
    /// </summary>
    public Task<IBrowserContext> NewPersistentContext(Uri baseAddress, string userDataDirectory, params string[] extraArgs) =>
        _playwright!.Chromium.LaunchPersistentContextAsync(userDataDirectory, PersistentContextOptions(baseAddress, extraArgs));

    internal static BrowserTypeLaunchPersistentContextOptions PersistentContextOptions(Uri baseAddress, params string[] extraArgs) => new()
    {
        ExecutablePath = ChromiumPath,
        Headless = true,
        Args = [.. Args, .. extraArgs],
        BaseURL = baseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
    };

    /// <summary>A fresh profile (own IndexedDB, cookies, storage) with a phone-sized or desktop viewport, light or dark.</summary>
    public Task<IBrowserContext> NewContext(Uri baseAddress, bool phone = false, bool dark = false) =>
        Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
            BaseURL = baseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 800 },
            IsMobile = phone,
            HasTouch = phone,
        });

    public static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactDirectory);
        // Transitions are finished first, so a switch just flipped is shown in its final colour.
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ArtifactDirectory, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled,
        });
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
            await Chromium.DisposeAsync();
        _playwright?.Dispose();
    }
}
