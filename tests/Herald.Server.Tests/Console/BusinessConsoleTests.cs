using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Console;

/// <summary>The business's side of the Console, signed in with an API key, in Chromium against a real server.</summary>
public sealed class BusinessConsoleTests(Browser browser) : IClassFixture<Browser>
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_business_previews_and_sends_a_test_message_then_sees_it_in_the_funnel_and_the_webhook_log()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(twoWay: true);
        var token = await host.SignIn(Phone);
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, business.ApiKey);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(page.Locator(".profile-preview")).ToContainTextAsync("Acme Parcels");
        await Expect(page.Locator(".profile-preview [aria-label=Verified]")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Send a test" }).ClickAsync();
        var preview = page.GetByLabel("Message preview");
        await page.GetByLabel("To", new() { Exact = true }).FillAsync(Phone);
        await page.GetByLabel("Category").SelectOptionAsync("promotional");
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Autumn sale: 20% off everything");
        await Expect(preview).ToContainTextAsync("Autumn sale: 20% off everything"); // live, before sending
        await page.GetByLabel("Button caption").FillAsync("Shop now");
        await page.GetByLabel("Button action").FillAsync("https://acme.example/sale");
        await page.GetByLabel("QR code payload").FillAsync("SALE-20");
        await Expect(preview.GetByRole(AriaRole.Link, new() { Name = "Shop now" })).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("bubble-action"));
        await Expect(preview.GetByText("Promotion", new() { Exact = true })).ToBeVisibleAsync();
        // The real QR code, drawn by the Messenger's own encoder: what a reference encoder makes for the payload.
        var qr = preview.GetByRole(AriaRole.Img, new() { Name = "QR code", Exact = true });
        await Expect(qr).ToBeVisibleAsync();
        Assert.Equal(Herald.Server.Tests.Messenger.QrReference.Rows("SALE-20"), await Herald.Server.Tests.Messenger.QrReference.Drawn(qr));
        await Browser.Screenshot(page, "console-business-send");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test message" }).ClickAsync();
        var messageId = await page.Locator("code.message-id").TextContentAsync();
        Assert.StartsWith("msg_", messageId, StringComparison.Ordinal);

        await using (var device = await host.Connect(token))
        {
            var frame = await device.Next("message");
            Assert.Equal(messageId, frame.GetProperty("message").GetProperty("message_id").GetString());
            Assert.Equal("Shop now", frame.GetProperty("message").GetProperty("button").GetProperty("caption").GetString());
            await device.Ack("seen", messageId!);
            await business.WaitForStatus(messageId!, "seen");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Check status" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = messageId })).ToContainTextAsync("seen");

        // A transactional message that breaks the rules is refused with the server's words, where the user acted.
        await page.GetByLabel("Category").SelectOptionAsync("transactional");
        await page.GetByLabel("To", new() { Exact = true }).FillAsync("07700");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test message" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("must be an E.164 phone number");

        await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        await Expect(page.Locator("[data-kpi=accepted]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-kpi=seen]")).ToHaveTextAsync("1");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var numbers = page.GetByRole(AriaRole.Table, new() { Name = "Delivery funnel per day" });
        await Expect(numbers.Locator($"tr[data-day='{today}'] td").Nth(1)).ToHaveTextAsync("1"); // delivered
        await Browser.Screenshot(page, "console-business-overview");

        await host.Receiver.WaitForEvents(e => e.Count >= 2);
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhook log" }).ClickAsync();
        await Expect(page.GetByLabel("URL")).ToHaveValueAsync(host.Receiver.WebhookUrl.ToString());
        var rows = page.GetByRole(AriaRole.Row).Filter(new() { HasText = messageId });
        await Expect(rows).ToHaveCountAsync(2); // delivered, seen
        await Expect(rows.First).ToContainTextAsync("sent");
        await Browser.Screenshot(page, "console-business-webhooks");
        ConsolePage.AssertNoErrors(page);
    }

    [Fact]
    public async Task Send_test_event_queues_a_signed_webhook_test_that_shows_in_the_log()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, business.ApiKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhook log" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();

        var shown = page.GetByRole(AriaRole.Status).Locator("code");
        await Expect(shown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^evt_"));
        var eventId = await shown.TextContentAsync();
        var events = await host.Receiver.WaitForEvents(e => e.Count >= 1);
        Assert.Equal((eventId, "webhook.test"), (Assert.Single(events).GetProperty("event_id").GetString(), events[0].GetProperty("type").GetString()));
        Assert.True(host.Receiver.Posts.First(p => p.Answered == 200).VerifiesWith(business.WebhookSecret!));
        using (var client = business.Client()) // the receiver has answered; wait until Herald has marked the event sent
            await Wait.Until(async () => (await client.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries")).GetProperty("deliveries")[0]
                .GetProperty("status").GetString() == "sent", TimeSpan.FromSeconds(10), "the test event marked sent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = eventId! });
        await Expect(row).ToContainTextAsync("webhook.test");
        await Expect(row).ToContainTextAsync("sent");

        // Replay from the log: the same event comes again, in a new POST.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Replay webhook.test event {eventId}" }).ClickAsync();
        await Expect(row.GetByRole(AriaRole.Status)).ToHaveTextAsync("queued");
        await Wait.Until(() => host.Receiver.Posts.Count(p => p.Answered == 200 && p.Events.Any(e => e.GetProperty("event_id").GetString() == eventId)) == 2,
            TimeSpan.FromSeconds(10), "the replayed test event");
        var posts = host.Receiver.Posts.Where(p => p.Answered == 200).ToList();
        Assert.NotEqual(posts[0].WebhookId, posts[^1].WebhookId);
        Assert.True(posts[^1].VerifiesWith(business.WebhookSecret!));
        ConsolePage.AssertNoErrors(page);
    }

    [Fact]
    public async Task Rotating_the_webhook_secret_asks_in_the_page_shows_the_new_secret_once_and_both_then_sign()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, business.ApiKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhook log" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("keeps signing too for 24 hours");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();
        Assert.Equal(business.WebhookSecret, await business.SetWebhook(host.Receiver.WebhookUrl.ToString())); // nothing rotated

        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate now" }).ClickAsync();
        var shown = page.GetByRole(AriaRole.Status).Locator("code");
        await Expect(shown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^whsec_[A-Za-z0-9+/]{43}=$"));
        var secret = await shown.TextContentAsync();
        Assert.NotEqual(business.WebhookSecret, secret);
        await Browser.Screenshot(page, "console-business-webhook-rotated");

        await business.SendOk(new { to = "+447700900999", category = "transactional", text = "hi" });
        await host.Receiver.WaitForEvents(e => e.Count >= 1);
        var post = host.Receiver.Posts.First(p => p.Answered == 200);
        Assert.True(post.VerifiesWith(secret!));
        Assert.True(post.VerifiesWith(business.WebhookSecret!));
        ConsolePage.AssertNoErrors(page);
    }

    [Fact]
    public async Task The_webhook_log_shows_failing_attempts_with_the_next_retry_and_templates_render_in_the_preview()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        host.Receiver.Down = true;
        var failed = await business.SendOk(new { to = "+447700900999", category = "transactional", text = "nobody" });
        await Wait.Until(() => host.Receiver.Posts.Count >= 1, TimeSpan.FromSeconds(10), "a failed webhook POST");
        string templateId;
        using (var client = business.Client())
        {
            var submitted = await client.PostAsJsonAsync("/v1/templates", new { name = "shipped", text = "Hi {{name}}, your parcel is on its way" });
            templateId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        using (var admin = host.Operator())
            (await admin.PostAsync($"/admin/v1/templates/{templateId}/approve", null)).EnsureSuccessStatusCode();

        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, business.ApiKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhook log" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = failed });
        await Expect(row).ToContainTextAsync("pending");
        await Expect(row).ToContainTextAsync("503");
        await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "shipped" })).ToContainTextAsync("approved");
        await page.GetByRole(AriaRole.Link, new() { Name = "Send a test" }).ClickAsync();
        await page.GetByLabel("Template").SelectOptionAsync(new SelectOptionValue { Label = "shipped" });
        await page.GetByLabel("{{name}}").FillAsync("Ann");
        await Expect(page.GetByLabel("Message preview")).ToContainTextAsync("Hi Ann, your parcel is on its way");
        ConsolePage.AssertNoErrors(page);
    }

    [Fact]
    public async Task A_business_sees_only_its_own_traffic_and_bad_or_fenced_keys_are_refused_clearly()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(name: "Acme");
        var rival = await host.CreateBusiness(name: "Rival");
        var acmeMessage = await acme.SendOk(new { to = "+447700900999", category = "transactional", text = "acme's" });
        await acme.SendOk(new { to = "+447700900998", category = "transactional", text = "acme's too" });
        var rivalMessage = await rival.SendOk(new { to = "+447700900997", category = "transactional", text = "rival's" });
        await host.Receiver.WaitForEvents(e => e.Count >= 3);

        await using var context = await browser.NewContext(host.BaseAddress);
        var page = await ConsolePage.SignIn(context, rival.ApiKey);
        await Expect(page.Locator(".who-name")).ToHaveTextAsync("Rival");
        await Expect(page.Locator("[data-kpi=accepted]")).ToHaveTextAsync("1");
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhook log" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = rivalMessage })).ToHaveCountAsync(1);
        Assert.DoesNotContain(acmeMessage, await page.ContentAsync(), StringComparison.Ordinal);
        // Operator pages are not there for a business, even by typing the address.
        await page.GotoAsync("/console/#/businesses");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Businesses" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        var fenced = await host.CreateBusiness(allowedIps: ["203.0.113.0/24"], webhook: false);
        foreach (var (key, expected) in new[] { ("hk_unknown", "That token or key is not valid."), (fenced.ApiKey, "is not on the business's IP allowlist") })
        {
            await page.GetByLabel("Operator token or API key").FillAsync(key);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a token" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(expected);
        }
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Console" })).ToHaveCountAsync(0);
    }
}
