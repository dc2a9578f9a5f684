using System.Globalization;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// Lighthouse (pinned in tools/lighthouse) on the Messenger's sign-in page and on a signed-in chat list, with its
/// default mobile settings. Lighthouse drives a Chromium the test launched (<c>--port</c>): the same profile the test
/// signed in with, its storage kept for the second run. The accessibility and best-practices scores must not drop
/// below what the Messenger reaches; the output reports both.
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerLighthouseTests(Browser browser, ITestOutputHelper output)
{
    private const string Phone = "+447700900123";
    private const double MinAccessibility = 1.0;
    private const double MinBestPractices = 1.0;

    [Fact]
    public async Task Lighthouse_scores_the_sign_in_page_and_a_signed_in_chat_list_100_for_accessibility_and_best_practices()
    {
        var tool = await NodeTool.Installed("lighthouse", "lighthouse");
        await using var host = await HeraldHost.Start();
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        var florist = await Senders.Create(host, "Bloom Florists", "bloom.example", twoWay: true);
        var port = HeraldProcess.FreePort();
        var profile = Directory.CreateTempSubdirectory("herald-lighthouse-");
        try
        {
            var context = await browser.NewPersistentContext(host.BaseAddress, profile.FullName, $"--remote-debugging-port={port}");
            await TestSites.Serve(context); // the senders' logos, also in the tab Lighthouse opens in this browser
            await using var messenger = MessengerPage.In(context, context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync(), host);
            var signIn = await Scores(tool, port, new Uri(host.BaseAddress, "/app/"), keepStorage: false);

            await messenger.SignIn(Phone);
            await parcels.SendOk(new { to = Phone, category = "transactional", text = "Your parcel AB-1234 arrives today" });
            await florist.SendOk(new { to = Phone, category = "promotional", text = "Spring is here: 20% off this week" });
            await Expect(messenger.ChatRows).ToHaveCountAsync(2);
            var chats = await Scores(tool, port, new Uri(host.BaseAddress, "/app/"), keepStorage: true);
            await Expect(messenger.ChatRows).ToHaveCountAsync(2); // still signed in: Lighthouse scored the chat list

            foreach (var (page, scores) in new[] { ("sign-in", signIn), ("chat list", chats) })
            {
                Assert.True(scores.Accessibility >= MinAccessibility, $"{page}: accessibility {scores.Accessibility:P0}\n{scores.Failed}");
                Assert.True(scores.BestPractices >= MinBestPractices, $"{page}: best practices {scores.BestPractices:P0}\n{scores.Failed}");
            }
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string Items(JsonElement audit) =>
        audit.TryGetProperty("details", out var details) && details.TryGetProperty("items", out var items)
            ? string.Join(" | ", items.EnumerateArray().Take(5).Select(i => i.ToString()))
            : "";

    private sealed record Result(double Accessibility, double BestPractices, string Failed);

    private async Task<Result> Scores(string tool, int port, Uri url, bool keepStorage)
    {
        var (code, text) = await NodeTool.Run(Path.Combine(tool, "node_modules/.bin/lighthouse"),
            $"{url} --port={port} --only-categories=accessibility,best-practices --output=json --output-path=stdout --quiet"
            + (keepStorage ? " --disable-storage-reset" : ""),
            tool, timeout: TimeSpan.FromMinutes(3));
        Assert.True(code == 0, text);
        var report = JsonDocument.Parse(text[text.IndexOf('{')..]).RootElement;
        var categories = report.GetProperty("categories");
        double Score(string category) => categories.GetProperty(category).GetProperty("score").GetDouble();
        // The audits that lost points, to say what to fix when a score drops.
        var failed = string.Join("\n", report.GetProperty("audits").EnumerateObject()
            .Where(a => a.Value.GetProperty("score") is { ValueKind: JsonValueKind.Number } score && score.GetDouble() < 1
                && a.Value.GetProperty("scoreDisplayMode").GetString() is "binary" or "numeric")
            .Select(a => $"  {a.Name}: {a.Value.GetProperty("title").GetString()} {Items(a.Value)}"));
        var result = new Result(Score("accessibility"), Score("best-practices"), failed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Lighthouse {report.GetProperty("lighthouseVersion").GetString()} {url} ({(keepStorage ? "signed in" : "signed out")}): accessibility {result.Accessibility * 100:F0}, best practices {result.BestPractices * 100:F0}\n{failed}"));
        return result;
    }
}
