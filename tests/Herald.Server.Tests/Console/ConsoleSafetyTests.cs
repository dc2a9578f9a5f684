using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Campaigns;
using Herald.Server.Tests.Infrastructure;
using Herald.Server.Tests.Messenger;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Console;

/// <summary>
/// "A Console that is safe to use" (#18): each defect found by clicking through the Console, as a test in Chromium
/// that failed on the Console before the fix, and axe-core on every page an operator and a business reach.
/// </summary>
public sealed class ConsoleSafetyTests(Browser browser) : IClassFixture<Browser>
{
    private static readonly string[] s_operatorPages = ["businesses", "templates", "policies", "audit"];
    private static readonly string[] s_businessPages = ["overview", "inbox", "send", "templates", "campaigns", "webhooks"];

    [Fact]
    public async Task Removing_verification_and_revoking_a_key_ask_in_the_page_and_a_key_is_issued_with_name_scopes_and_expiry()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, HeraldHost.OperatorToken);
        var nativeDialogs = 0;
        page.Dialog += (_, dialog) => { nativeDialogs++; _ = dialog.DismissAsync(); };
        await page.GotoAsync($"/console/#/businesses/{business.Id}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Remove verification" }).ClickAsync();
        var ask = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Remove verification from Acme Parcels?" });
        await Expect(ask).ToBeVisibleAsync();
        await Expect(ask.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync(); // Enter does not destroy
        await ask.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(ask).ToHaveCountAsync(0);
        Assert.True(await Verified(host, business.Id));
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove verification" }).ClickAsync();
        await ask.GetByRole(AriaRole.Button, new() { Name = "Remove verification" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Verify business" })).ToBeVisibleAsync();
        Assert.False(await Verified(host, business.Id));

        await page.GetByText("Issue a new key").ClickAsync();
        await page.GetByLabel("Key name").FillAsync("Status reader");
        foreach (var scope in new[] { "send", "templates", "webhook", "campaigns", "inbox" })
            await page.Locator($"#scope-{scope}").UncheckAsync();
        await page.GetByLabel("Expires on (UTC, optional)").FillAsync(DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue API key" }).ClickAsync();
        var apiKey = await page.GetByLabel("New API key").InputValueAsync();
        using (var client = host.Client(apiKey))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/templates")).StatusCode);
        }
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Status reader" });
        await Expect(row).ToContainTextAsync("status");
        await Expect(row).ToContainTextAsync(DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd"));
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = business.KeyId })).ToContainTextAsync("all"); // the key from before scopes
        using (var admin = host.Operator())
            await Wait.Until(async () => (await admin.GetFromJsonAsync<JsonElement[]>($"/admin/v1/businesses/{business.Id}/keys"))!
                .Any(k => k.TryGetProperty("last_used_at", out _) && k.GetProperty("name").GetString() == "Status reader"), TimeSpan.FromSeconds(10), "last used");
        await page.ReloadAsync();
        await Expect(row.GetByRole(AriaRole.Cell).Nth(3)).Not.ToHaveTextAsync("never");

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke Status reader" }).ClickAsync();
        var revoke = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Revoke Status reader?" });
        await revoke.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        using (var client = host.Client(apiKey))
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke Status reader" }).ClickAsync();
        await revoke.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).ClickAsync();
        await Expect(row.GetByText("revoked", new() { Exact = true })).ToBeVisibleAsync();
        using (var client = host.Client(apiKey))
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/profile")).StatusCode);
        Assert.Equal(0, nativeDialogs);
        ConsolePage.AssertNoErrors(page);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_page_fits_a_phone_and_axe_finds_nothing(bool phone)
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(twoWay: true);
        var other = await host.CreateBusiness(name: "Unverified Ltd");
        using (var admin = host.Operator())
            (await admin.PatchAsJsonAsync($"/admin/v1/businesses/{other.Id}", new { verified = false })).EnsureSuccessStatusCode();
        await business.SendOk(new { to = "+447700900123", category = "transactional", text = "Your parcel is on its way" });
        using (var client = business.Client())
        {
            (await client.PostAsJsonAsync("/v1/templates", new { name = "shipped", text = "Hi {{name}}, it shipped" })).EnsureSuccessStatusCode();
            (await client.PostAsync("/v1/webhook/test", null)).EnsureSuccessStatusCode();
            await CampaignApi.Create(client);
        }

        await using var context = await browser.NewContext(host.BaseAddress, phone);
        var operatorPage = await ConsolePage.SignIn(context, HeraldHost.OperatorToken);
        var found = new List<string>();
        foreach (var route in s_operatorPages.Append($"businesses/{business.Id}"))
            await Check(operatorPage, route, phone, found);
        ConsolePage.AssertNoErrors(operatorPage);

        await using var businessContext = await browser.NewContext(host.BaseAddress, phone);
        var businessPage = await ConsolePage.SignIn(businessContext, business.ApiKey);
        foreach (var route in s_businessPages)
            await Check(businessPage, route, phone, found);
        ConsolePage.AssertNoErrors(businessPage);
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    /// <summary>Checks one page, adding what is wrong to <paramref name="found"/> so one run reports every page.</summary>
    private static async Task Check(IPage page, string route, bool phone, List<string> found)
    {
        await page.GotoAsync($"/console/#/{route}");
        await page.ReloadAsync(); // the hash alone does not reload; render the page from scratch
        await Expect(page.Locator("main.content h1")).ToBeVisibleAsync();
        // Not NetworkIdle: the inbox holds a live stream open. The page has rendered once its cards are in.
        await Expect(page.Locator("main.content .card").First).ToBeVisibleAsync();
        if (phone)
        {
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            var (scroll, client) = (widths[0], widths[1]);
            if (scroll > client)
                found.Add($"#/{route} scrolls sideways at {client} px: scrollWidth {scroll}");
        }
        try
        {
            await Axe.ExpectNoViolations(page, $"Console #/{route}{(phone ? " (phone)" : "")}");
        }
        catch (Xunit.Sdk.XunitException e)
        {
            found.Add(e.Message);
        }
    }

    [Fact]
    public async Task The_webhook_page_shows_the_whole_url_and_its_log_columns_say_what_they_name()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using (var client = business.Client())
            (await client.PostAsync("/v1/webhook/test", null)).EnsureSuccessStatusCode();
        using (var client = business.Client())
            await Wait.Until(async () => (await client.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries")).GetProperty("deliveries")
                .EnumerateArray().Any(d => d.GetProperty("status").GetString() == "sent"), TimeSpan.FromSeconds(15), "test event sent");
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, business.ApiKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhook log" }).ClickAsync();

        var url = page.GetByLabel("URL", new() { Exact = true });
        await Expect(url).ToHaveValueAsync(host.Receiver.WebhookUrl.ToString());
        var field = (await url.BoundingBoxAsync())!;
        var card = (await page.Locator("section.card").Filter(new() { Has = url }).BoundingBoxAsync())!;
        Assert.True(field.Width >= card.Width * 0.85, $"URL field {field.Width} px wide in a {card.Width} px card");
        var fits = await url.EvaluateAsync<bool>("input => input.scrollWidth <= input.clientWidth");
        Assert.True(fits, "the saved URL is cut off");

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "webhook.test" });
        var cells = row.GetByRole(AriaRole.Cell);
        await Expect(cells.Nth(2)).ToHaveTextAsync("—"); // MESSAGE: this event is about no message, not an evt_ id
        await Expect(cells.Nth(3)).ToContainTextAsync("sent");
        await Expect(cells.Nth(5)).ToHaveTextAsync("—"); // NEXT RETRY: none for a sent event
        ConsolePage.AssertNoErrors(page);
    }

    [Fact]
    public async Task Allowed_ips_follow_one_convention_and_the_create_form_fields_line_up()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, HeraldHost.OperatorToken);
        var form = page.Locator("form").Filter(new() { Has = page.GetByRole(AriaRole.Button, new() { Name = "Create business" }) });
        var createHint = await form.Locator(".field").Filter(new() { HasText = "Allowed IPs" }).Locator("small").TextContentAsync();
        var tops = new List<float>();
        foreach (var label in new[] { "Name", "Business id", "Allowed IPs" })
            tops.Add((await form.GetByLabel(label, new() { Exact = true }).BoundingBoxAsync())!.Y);
        Assert.True(tops.Max() - tops.Min() < 1, $"control tops {string.Join(", ", tops)}");

        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("Line Ltd");
        await form.GetByLabel("Allowed IPs").FillAsync("127.0.0.1\n203.0.113.0/24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create business" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Line Ltd" })).ToBeVisibleAsync();
        var editHint = await page.Locator(".field").Filter(new() { HasText = "Allowed IPs" }).Locator("small").TextContentAsync();
        Assert.Equal(editHint, createHint);
        await Expect(page.GetByLabel("Allowed IPs")).ToHaveValueAsync("127.0.0.1\n203.0.113.0/24");
    }

    [Fact]
    public async Task The_delivery_chart_has_its_numbers_as_an_announced_table()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        await business.SendOk(new { to = "+447700900123", category = "transactional", text = "Hello" });
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, business.ApiKey);
        var chart = page.GetByRole(AriaRole.Img, new() { Name = "Delivery funnel per day, chart; the numbers are in the table that follows" });
        await Expect(chart).ToBeVisibleAsync();
        await Expect(chart.Locator("[aria-label]")).ToHaveCountAsync(0); // no named parts without a role inside the image
        var numbers = page.GetByRole(AriaRole.Table, new() { Name = "Delivery funnel per day" });
        await Expect(numbers).ToHaveCountAsync(1); // in the accessibility tree while visually hidden
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await Expect(numbers.GetByRole(AriaRole.Row, new() { Name = today })).ToContainTextAsync("1");
        await page.GetByLabel("Show the numbers as a table").CheckAsync();
        await Expect(numbers).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Favicon_ico_is_served()
    {
        await using var host = await HeraldHost.Start();
        using var client = host.Client();
        var response = await client.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, bytes[..4]); // an ICO header
    }

    private static async Task<bool> Verified(HeraldHost host, string businessId)
    {
        using var admin = host.Operator();
        return (await admin.GetFromJsonAsync<JsonElement>($"/admin/v1/businesses/{businessId}")).GetProperty("verified").GetBoolean();
    }
}

/// <summary>The API reference at /docs/ (#18): Markdown shown as Markdown, no gap, and a send example that works under a +44 template policy.</summary>
public sealed class ApiReferenceSafetyTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_reference_renders_code_spans_has_no_gap_and_its_send_example_works_under_a_template_policy()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using (var admin = host.Operator())
            (await admin.PutAsJsonAsync("/admin/v1/policies/44", new { transactional_requires_template = true })).EnsureSuccessStatusCode();
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/docs/");

        var send = page.GetByRole(AriaRole.Region, new() { Name = "Send one message" });
        await Expect(send).ToBeVisibleAsync(new() { Timeout = 30_000 }); // the whole document is fetched and rendered first
        await Expect(send.Locator("p code").First).ToHaveTextAsync("Idempotency-Key");
        Assert.DoesNotContain("`", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        var heading = (await page.GetByRole(AriaRole.Heading, new() { Name = "Business API", Exact = true, Level = 2 }).BoundingBoxAsync())!;
        var first = (await page.Locator("main section.op").First.BoundingBoxAsync())!;
        var gap = first.Y - (heading.Y + heading.Height);
        Assert.True(gap < 120, $"{gap} px between the Business API heading and its first operation");

        await page.GetByLabel("Credential for \"Try it\"").FillAsync(business.ApiKey);
        await send.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(send.Locator(".answer-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^202"));
        await Axe.ExpectNoViolations(page, "API reference");
    }
}
