using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Console;

/// <summary>The operator's side of the Console at /console, driven in Chromium against a real server.</summary>
public sealed class OperatorConsoleTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task An_operator_onboards_a_business_issues_a_key_once_verifies_and_edits_it_then_revokes_the_key()
    {
        await using var host = await HeraldHost.Start();
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, HeraldHost.OperatorToken);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Businesses" })).ToBeVisibleAsync();

        await page.GetByLabel("Name").FillAsync("Acme Parcels");
        await page.GetByLabel("Business id").FillAsync("acme");
        await page.GetByLabel("Allowed IPs").FillAsync("127.0.0.1, ::1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create business" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme Parcels" })).ToBeVisibleAsync();

        await page.GetByText("Issue a new key").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue API key" }).ClickAsync();
        var keyBox = page.GetByLabel("New API key");
        await Expect(keyBox).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^hk_"));
        var apiKey = await keyBox.InputValueAsync();
        using (var client = host.Client(apiKey))
            Assert.Equal("Acme Parcels", (await client.GetFromJsonAsync<JsonElement>("/v1/profile")).GetProperty("name").GetString());
        await Browser.Screenshot(page, "console-operator-business");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme Parcels" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("New API key")).ToHaveCountAsync(0); // shown once only
        Assert.DoesNotContain(apiKey, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Verify business" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Verify business" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove verification" })).ToBeVisibleAsync();

        await page.GetByLabel("Description").FillAsync("Parcel delivery updates");
        await page.GetByLabel("Logo URL").FillAsync("https://acme.example/logo.png");
        await page.GetByLabel("Two-way: consumers can reply").CheckAsync();
        await page.GetByLabel("Rate limit (messages per second)").FillAsync("50");
        await page.GetByLabel("Allowed IPs").FillAsync("127.0.0.1\n::1\n203.0.113.0/24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        await Expect(page.GetByText("Saved.")).ToBeVisibleAsync();
        using (var admin = host.Operator())
        {
            var saved = await admin.GetFromJsonAsync<JsonElement>("/admin/v1/businesses/acme");
            Assert.True(saved.GetProperty("verified").GetBoolean());
            Assert.True(saved.GetProperty("two_way").GetBoolean());
            Assert.Equal(50, saved.GetProperty("rate_limit_per_second").GetInt32());
            Assert.Equal("Parcel delivery updates", saved.GetProperty("description").GetString());
            Assert.Equal(["127.0.0.1", "::1", "203.0.113.0/24"], saved.GetProperty("allowed_ips").EnumerateArray().Select(i => i.GetString()));
        }

        await page.GetByLabel("Allowed IPs").FillAsync("not-an-address");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not-an-address");

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = false }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).ClickAsync();
        await Expect(page.GetByText("revoked", new() { Exact = true })).ToBeVisibleAsync();
        using (var client = host.Client(apiKey))
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/profile")).StatusCode);
        ConsolePage.AssertNoErrors(page);
    }

    [Fact]
    public async Task An_operator_approves_and_rejects_templates_sets_a_policy_and_sees_it_all_in_the_audit_log()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var shipped = await Submit(business, "shipped", "Hi {{name}}, your parcel is on its way");
        var promo = await Submit(business, "promo", "WIN A PRIZE NOW");
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, HeraldHost.OperatorToken);

        await page.GetByRole(AriaRole.Link, new() { Name = "Template review" }).ClickAsync();
        var first = page.GetByRole(AriaRole.Article, new() { Name = "Template shipped" });
        await Expect(first.Locator("mark")).ToHaveTextAsync("{{name}}");
        await Browser.Screenshot(page, "console-operator-templates");
        await first.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(first.GetByText("approved", new() { Exact = true })).ToBeVisibleAsync();

        var second = page.GetByRole(AriaRole.Article, new() { Name = "Template promo" });
        await second.GetByRole(AriaRole.Button, new() { Name = "Reject…" }).ClickAsync();
        await second.GetByLabel("Reason for rejection").FillAsync("Misleading: say what is on offer");
        await second.GetByRole(AriaRole.Button, new() { Name = "Reject with this reason" }).ClickAsync();
        await Expect(second.GetByText("Misleading: say what is on offer")).ToBeVisibleAsync();
        using (var client = business.Client())
        {
            Assert.Equal("approved", (await client.GetFromJsonAsync<JsonElement>($"/v1/templates/{shipped}")).GetProperty("status").GetString());
            var rejected = await client.GetFromJsonAsync<JsonElement>($"/v1/templates/{promo}");
            Assert.Equal(("rejected", "Misleading: say what is on offer"), (rejected.GetProperty("status").GetString(), rejected.GetProperty("reason").GetString()));
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Country policies" }).ClickAsync();
        await page.GetByLabel("Calling code").FillAsync("44");
        await page.GetByLabel("Transactional messages").SelectOptionAsync("true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "+44 Approved template required" })).ToBeVisibleAsync();
        var refused = await business.Send(new { to = "+447700900123", category = "transactional", text = "free text" });
        Assert.Contains("template_required", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        foreach (var action in new[] { "policy.set", "template.reject", "template.approve", "key.issue", "business.create" })
            await Expect(page.GetByRole(AriaRole.Cell, new() { Name = action, Exact = true }).First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("policy.set"); // newest first
        await Browser.Screenshot(page, "console-operator-audit");
        ConsolePage.AssertNoErrors(page);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_in_plain_words()
    {
        await using var host = await HeraldHost.Start();
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Operator token or API key").FillAsync("hop_wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a token" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That token or key is not valid.");
        var shown = await page.GetByRole(AriaRole.Alert).InnerTextAsync();
        Assert.DoesNotContain("Authorization", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("code:", shown, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Console" })).ToHaveCountAsync(0);
    }

    private static async Task<string> Submit(TestBusiness business, string name, string text)
    {
        using var client = business.Client();
        var response = await client.PostAsJsonAsync("/v1/templates", new { name, text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
