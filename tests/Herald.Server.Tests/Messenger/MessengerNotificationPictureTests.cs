using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// The README's picture of a notification: a push to the closed Messenger, drawn by a real notification daemon (dunst)
/// on a virtual display, captured from the screen with ImageMagick and cut to the notification with a margin. Saved to
/// artifacts/screenshots as messenger-notification.png.
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerNotificationPictureTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_pushed_message_is_drawn_by_the_desktops_notification_daemon()
    {
        await using var host = await HeraldHost.Start();
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        await using var desktop = await Desktop.Start();
        var profile = Directory.CreateTempSubdirectory("herald-chromium-");
        try
        {
            var config = Path.Combine(profile.FullName, "dunstrc");
            await File.WriteAllTextAsync(config, DunstConfig);
            desktop.Launch("/usr/bin/dunst", "-config", config);
            // dunstctl answers once dunst owns the notification service on the bus.
            await Wait.Until(async () => await Answers(desktop, "count", "displayed") == "0", TimeSpan.FromSeconds(30), "dunst on the session bus");

            using var playwright = await Playwright.CreateAsync();
            var context = await desktop.Chromium(playwright, host.BaseAddress, Path.Combine(profile.FullName, "chromium"));
            await TestSites.Serve(context);
            await using var messenger = await MessengerPushTests.SignedInWithWorker(
                MessengerPage.In(context, context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync(), host), host);
            var token = await MessengerPushTests.DeviceToken(messenger);
            var worker = await WorkerProbe.Open(context);
            await messenger.Page.CloseAsync();

            var id = await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel AB-1234 arrives today" });
            await worker.Push(new { type = "message", message = await MessengerPushTests.Waiting(host, token, id), notify = true });
            await Wait.Until(async () => await Answers(desktop, "count", "displayed") == "1", TimeSpan.FromSeconds(60), "dunst showing the notification");

            // dunst's window, found by its class, and the screen around it.
            var window = (await desktop.Run("/usr/bin/xdotool", "search", "--sync", "--onlyvisible", "--class", "Dunst")).Split('\n')[0];
            var geometry = await desktop.Run("/usr/bin/xdotool", "getwindowgeometry", "--shell", window);
            var at = geometry.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('='))
                .ToDictionary(pair => pair[0], pair => int.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture));
            const int margin = 16;
            Directory.CreateDirectory(Browser.ArtifactDirectory);
            var picture = Path.Combine(Browser.ArtifactDirectory, "messenger-notification.png");
            await desktop.Run("/usr/bin/import", "-window", "root",
                "-crop", $"{at["WIDTH"] + 2 * margin}x{at["HEIGHT"] + 2 * margin}+{at["X"] - margin}+{at["Y"] - margin}", "+repage", picture);
            Assert.True(new FileInfo(picture).Length > 1000, "the capture is not empty");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static async Task<string?> Answers(Desktop desktop, params string[] arguments)
    {
        try
        {
            return (await desktop.Run("/usr/bin/dunstctl", arguments)).Trim();
        }
        catch (InvalidOperationException)
        {
            return null; // not on the bus yet
        }
    }

    // A light card at the top right, the logo on the left, no expiry; no "(A)" marks for actions.
    private const string DunstConfig = """
        [global]
            font = DejaVu Sans 11
            width = 380
            offset = 16x16
            origin = top-right
            frame_width = 1
            frame_color = "#c8c8c8"
            separator_height = 0
            padding = 14
            horizontal_padding = 14
            text_icon_padding = 14
            icon_position = left
            min_icon_size = 48
            max_icon_size = 48
            markup = full
            show_indicators = no
            format = "<b>%s</b>\n%b"
        [urgency_normal]
            background = "#ffffff"
            foreground = "#1f1f1f"
            timeout = 0
        """;
}
