using System.Globalization;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// The Messenger for people who use a keyboard, a screen reader or a low-contrast screen: axe on every screen at
/// desktop and phone widths, focus moved to each new screen's heading, the skip link, contrast of the initials, and
/// a chat that does not jump while its pictures load.
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerAccessibilityTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task Axe_finds_nothing_on_sign_in_chats_an_open_chat_and_settings_in_light_and_dark(bool phone, bool dark)
    {
        await using var host = await HeraldHost.Start();
        var florist = await Senders.Create(host, "Bloom Florists", "bloom.example", twoWay: true);
        var shop = await Senders.Create(host, "Corner Shop", "corner.example", verified: false);
        var plain = await Senders.Create(host, "Plain Ltd", "plain.example", logo: false);
        await using var messenger = await MessengerPage.Open(browser, host, phone, dark);
        await messenger.Page.GotoAsync("/app/");
        Assert.Equal(dark, await messenger.Page.EvaluateAsync<bool>("() => matchMedia('(prefers-color-scheme: dark)').matches"));
        await Axe.ExpectNoViolations(messenger.Page, "sign-in");
        await messenger.SignIn(Phone);
        await Axe.ExpectNoViolations(messenger.Page, "empty chat list");

        await florist.SendOk(new
        {
            to = Phone, category = "promotional", text = "Spring is here! Call +44 20 7946 0958 or see http://bloom.example/old for 20% off.",
            image_url = "https://bloom.example/images/spring.svg", qr = "BLOOM-SPRING-2026-0042", url = "https://bloom.example/spring?from=herald",
            button = new { caption = "Shop the collection", action = "https://bloom.example/spring" },
        });
        await shop.SendOk(new { to = Phone, category = "transactional", text = "Your order is ready" });
        await plain.SendOk(new { to = Phone, category = "transactional", text = "A message from a sender without a logo" });
        await Expect(messenger.ChatRows).ToHaveCountAsync(3);
        await Axe.ExpectNoViolations(messenger.Page, "chat list");

        await messenger.OpenChat(florist.Id);
        await Expect(messenger.Page.Locator(".bubble-image")).ToHaveJSPropertyAsync("complete", true);
        await Expect(messenger.ChatRow(florist.Id).GetByLabel("1 unread")).ToHaveCountAsync(0);
        await Axe.ExpectNoViolations(messenger.Page, "open chat");

        await messenger.OpenChat(shop.Id);
        await Axe.ExpectNoViolations(messenger.Page, "unverified sender's chat");

        await messenger.OpenSettings();
        await Axe.ExpectNoViolations(messenger.Page, "settings");
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task Initials_are_readable_on_every_colour_a_sender_can_get()
    {
        await using var host = await HeraldHost.Start();
        var plain = await Senders.Create(host, "Plain Ltd", "plain.example", logo: false);
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        await plain.SendOk(new { to = Phone, category = "transactional", text = "Hello" });
        var initials = messenger.ChatRow(plain.Id).Locator(".avatar-initials");
        await Expect(initials).ToHaveTextAsync("PL");

        // Every hue the colour could take, read back as the sRGB the screen shows (through a canvas).
        var colours = await initials.EvaluateAsync<JsonElement>("""
            element => {
              const canvas = document.createElement('canvas');
              canvas.width = canvas.height = 1;
              const context = canvas.getContext('2d', { willReadFrequently: true });
              const read = (css) => { context.clearRect(0, 0, 1, 1); context.fillStyle = css; context.fillRect(0, 0, 1, 1); return [...context.getImageData(0, 0, 1, 1).data.slice(0, 3)]; };
              const result = [];
              for (let hue = 0; hue < 360; hue += 5) {
                element.style.setProperty('--avatar-hue', String(hue));
                const style = getComputedStyle(element);
                result.push({ hue, background: read(style.backgroundColor), text: read(style.color) });
              }
              return result;
            }
            """);
        foreach (var colour in colours.EnumerateArray())
        {
            var ratio = Contrast(Rgb(colour.GetProperty("background")), Rgb(colour.GetProperty("text")));
            Assert.True(ratio >= 4.5, $"hue {colour.GetProperty("hue")}: contrast {ratio.ToString("F2", CultureInfo.InvariantCulture)}:1");
        }
    }

    [Fact]
    public async Task Focus_moves_to_each_new_screens_heading_on_a_phone()
    {
        await using var host = await HeraldHost.Start();
        var business = await Senders.Create(host, "Acme Parcels", "acme.example", twoWay: true);
        await using var messenger = await MessengerPage.Open(browser, host, phone: true);
        await messenger.SignIn(Phone);
        var page = messenger.Page;
        var chats = page.GetByRole(AriaRole.Heading, new() { Name = "Herald chats", Level = 1 });
        await Expect(page.GetByRole(AriaRole.Main)).ToBeVisibleAsync();
        await Expect(chats).ToBeFocusedAsync(); // after sign-in
        await business.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });

        await messenger.OpenChat(business.Id);
        await Expect(messenger.ChatHeading).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to chats" }).ClickAsync();
        await Expect(chats).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings", Level = 1 })).ToBeFocusedAsync();
        await page.GoBackAsync();
        await Expect(chats).ToBeFocusedAsync();

        // The reply box shows focus with a 2 px ring, not only a border colour.
        await messenger.OpenChat(business.Id);
        await messenger.Composer.FocusAsync();
        var outline = await messenger.Composer.EvaluateAsync<string>("e => { const s = getComputedStyle(e); return `${s.outlineStyle} ${s.outlineWidth}`; }");
        Assert.Equal("solid 2px", outline);
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task On_a_desktop_the_skip_link_comes_first_and_jumps_past_the_chat_list_to_the_open_chat()
    {
        await using var host = await HeraldHost.Start();
        var business = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        await business.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });
        await messenger.OpenChat(business.Id);
        await Expect(messenger.ChatHeading).ToBeFocusedAsync(); // on opening a chat

        await messenger.Page.ReloadAsync();
        await Expect(messenger.ChatHeading).ToHaveTextAsync("Acme Parcels");
        await messenger.Page.Keyboard.PressAsync("Tab");
        var skip = messenger.Page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync();
        await messenger.Page.Keyboard.PressAsync("Enter");
        await Expect(messenger.ChatHeading).ToBeFocusedAsync();
        Assert.EndsWith($"/app/chats/{business.Id}", messenger.Page.Url); // the address did not change
        await messenger.Page.Keyboard.PressAsync("Tab"); // on into the chat, not back to the list
        Assert.Equal("Learn more", await messenger.Page.EvaluateAsync<string>("() => document.activeElement.textContent"));
    }

    [Fact]
    public async Task A_chat_with_a_picture_and_a_QR_code_opens_without_layout_shifts_and_its_newest_picture_loads_at_once()
    {
        await using var host = await HeraldHost.Start();
        var florist = await Senders.Create(host, "Bloom Florists", "bloom.example");
        await using var messenger = await MessengerPage.Open(browser, host, phone: true);
        await messenger.SignIn(Phone);
        var older = await florist.SendOk(new { to = Phone, category = "promotional", text = "Last week", image_url = "https://bloom.example/images/old.svg" });
        var newest = await florist.SendOk(new
        {
            to = Phone, category = "promotional", text = "Show this code in store", image_url = "https://bloom.example/images/spring.svg", qr = "BLOOM-2026",
        });
        await messenger.OpenChat(florist.Id);
        await Expect(messenger.Bubble(newest).Locator("img")).ToHaveAttributeAsync("loading", "eager");
        await Expect(messenger.Bubble(older).Locator("img")).ToHaveAttributeAsync("loading", "lazy");
        await Expect(messenger.Bubble(newest).Locator("img")).ToHaveAttributeAsync("width", "640");
        await Expect(messenger.Bubble(newest).Locator("img")).ToHaveAttributeAsync("height", "320");

        // Opened from scratch, as Lighthouse does: the layout shifts of the whole load, from the browser itself.
        await messenger.Page.ReloadAsync();
        await Expect(messenger.Bubble(newest).Locator("img")).ToHaveJSPropertyAsync("complete", true);
        await messenger.Page.WaitForTimeoutAsync(500);
        var shifts = await messenger.Page.EvaluateAsync<JsonElement>("""
            () => new Promise((resolve) => {
              const shifts = [];
              new PerformanceObserver((list) => {
                for (const entry of list.getEntries())
                  if (!entry.hadRecentInput)
                    shifts.push({ value: entry.value, moved: entry.sources.map((s) => `${s.node?.className || s.node?.nodeName} ${JSON.stringify(s.previousRect)} → ${JSON.stringify(s.currentRect)}`) });
              }).observe({ type: 'layout-shift', buffered: true });
              setTimeout(() => resolve(shifts), 100);
            })
            """);
        var total = shifts.EnumerateArray().Sum(s => s.GetProperty("value").GetDouble());
        Assert.True(total < 0.01, $"cumulative layout shift {total.ToString("F3", CultureInfo.InvariantCulture)}: {shifts}");
    }

    private static double[] Rgb(JsonElement array) => array.EnumerateArray().Select(c => c.GetDouble() / 255).ToArray();

    private static double Contrast(double[] a, double[] b)
    {
        static double Luminance(double[] c)
        {
            var l = c.Select(v => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4)).ToArray();
            return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
        }
        var (x, y) = (Luminance(a), Luminance(b));
        return (Math.Max(x, y) + 0.05) / (Math.Min(x, y) + 0.05);
    }
}
