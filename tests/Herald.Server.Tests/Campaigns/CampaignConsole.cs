using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Campaigns;

/// <summary>The Console's campaign steps the tests take, as a business would in the browser.</summary>
public static class CampaignConsole
{
    /// <summary>Issue 17's audience: <paramref name="good"/> phones and a bad line after every <paramref name="badEvery"/> of them.</summary>
    public static (string Csv, List<string> GoodPhones) AudienceWithBadLines(int good, int badEvery)
    {
        var csv = new StringBuilder("phone\n");
        var phones = new List<string>(good);
        for (var i = 0; i < good; i++)
        {
            phones.Add(CampaignApi.Phone(i));
            csv.Append(phones[^1]).Append('\n');
            if (i % badEvery == badEvery - 1)
                csv.Append("not-a-phone\n");
        }
        return (csv.ToString(), phones);
    }

    /// <summary>Opens Campaigns and creates a promotional draft "Winter sale" at <paramref name="rate"/> a second.</summary>
    public static async Task CreateDraft(IPage page, int rate)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Campaigns" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Winter sale");
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("20% off everything");
        await page.GetByLabel("Rate (messages a second)").FillAsync(rate.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Winter sale" })).ToBeVisibleAsync();
    }

    /// <summary>Uploads the audience file and waits for the report: how many kept and bad, and the first bad line's number.</summary>
    public static async Task UploadAudience(IPage page, string csv, string report, long firstBadLine)
    {
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "audience.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload audience" }).ClickAsync();
        // 10,000 lines into PostgreSQL on a busy shared machine took over 5 s (the default wait) once.
        await Expect(page.Locator(".upload-report")).ToContainTextAsync(report, new() { Timeout = 60_000 });
        await Expect(page.Locator(".upload-report tbody tr").First).ToContainTextAsync(firstBadLine.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
