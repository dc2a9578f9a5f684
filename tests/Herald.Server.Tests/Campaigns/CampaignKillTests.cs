using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Console;
using Herald.Server.Tests.Infrastructure;
using Herald.Server.Tests.Storage;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Campaigns;

/// <summary>
/// Issue 17's campaign test: 10,000 recipients and 50 bad lines uploaded through the Console (Chromium) to the real
/// <c>herald</c> process, started, paused and resumed there, SIGKILLed mid-run and restarted on the same data: every
/// good recipient gets exactly one message (counted per phone in the database), and the CSV export matches the
/// callbacks received. On SQLite, or PostgreSQL with HERALD_TEST_STORE=postgres.
/// </summary>
[Collection(Faults.FaultCollection.Name)]
public sealed class CampaignKillTests(Browser browser, ITestOutputHelper output) : IClassFixture<Browser>, IAsyncLifetime
{
    private const string OperatorToken = "hop_campaign-kill-test-token";
    private const int Good = 10_000;
    private const int BadEvery = 200; // one bad line after every 200 good ones: 50 in all
    private readonly string _data = Path.Combine(Path.GetTempPath(), "herald-campaign-kill-" + Guid.NewGuid().ToString("N"));
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.Create();

    [Fact]
    public async Task A_campaign_killed_mid_run_resumes_and_messages_every_good_recipient_exactly_once()
    {
        await using var receiver = await Receiver.Start();
        var environment = new Dictionary<string, string>(_store.Environment)
        {
            ["HERALD_BOOTSTRAP_TOKEN"] = OperatorToken,
            ["Herald__Webhooks__AllowPrivateNetworks"] = "true",
        };
        var herald = HeraldProcess.Serve(_data, environment);
        await herald.WaitHealthy();
        var business = await Api.CreateBusiness(() => herald.BaseAddress, OperatorToken, receiver.WebhookUrl);
        using var client = business.Client();

        await using var context = await browser.NewContext(herald.BaseAddress);
        var page = await ConsolePage.SignIn(context, business.ApiKey);
        await CampaignConsole.CreateDraft(page, rate: 500);
        var id = (await client.GetFromJsonAsync<JsonElement>("/v1/campaigns"))[0].GetProperty("id").GetString()!;
        var (csv, good) = CampaignConsole.AudienceWithBadLines(Good, BadEvery);
        await CampaignConsole.UploadAudience(page, csv, $"{Good} recipients kept, {Good / BadEvery} bad lines.", BadEvery + 2); // header, then 200 good lines
        Assert.Equal((Good, Good / BadEvery), ((await CampaignApi.Get(client, id)).GetProperty("recipients").GetInt32(), (await CampaignApi.Get(client, id)).GetProperty("bad_rows").GetInt32()));

        await page.GetByRole(AriaRole.Button, new() { Name = "Start now" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Start campaign" }).ClickAsync();
        await Wait.Until(async () => Accepted(await CampaignApi.Get(client, id)) >= 1000, TimeSpan.FromSeconds(60), "1000 sent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeVisibleAsync();
        var atPause = Accepted(await CampaignApi.Get(client, id));
        await Task.Delay(1000);
        Assert.Equal(atPause, Accepted(await CampaignApi.Get(client, id))); // a pause stops sending at once
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Wait.Until(async () => Accepted(await CampaignApi.Get(client, id)) >= 4000, TimeSpan.FromSeconds(60), "4000 sent");
        herald.KillNow();
        await herald.DisposeAsync();

        await using var restarted = HeraldProcess.ServeAt(herald.BaseAddress, _data, environment);
        await restarted.WaitHealthy();
        var atRestart = await CampaignApi.Get(client, id);
        output.WriteLine($"store: {(TestStore.IsPostgres ? "postgres" : "sqlite")}; paused at {atPause}; after the kill: accepted {Accepted(atRestart)}, " +
            $"queued {atRestart.GetProperty("progress").GetProperty("queued").GetInt64()}");
        Assert.Equal("running", atRestart.GetProperty("state").GetString());
        Assert.True(atRestart.GetProperty("progress").GetProperty("queued").GetInt64() > 0, "the kill came after the last send: it tested nothing");

        var started = DateTimeOffset.UtcNow;
        var done = await CampaignApi.WaitForState(client, id, "completed", TimeSpan.FromSeconds(120));
        output.WriteLine($"the rest took {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s");
        Assert.Equal(Good, Accepted(done));
        Assert.Equal(Good, done.GetProperty("funnel").GetProperty("failed_by_reason").GetProperty("not_registered").GetInt64());

        // Exactly one message per good phone, none to anyone else.
        var database = StoreFiles.Open(_store, _data);
        try
        {
            var perPhone = StoreFiles.Query(database, $"SELECT to_phone, COUNT(*) FROM messages WHERE campaign_id = '{id}' GROUP BY to_phone",
                r => (Phone: r.GetString(0), Count: r.GetInt64(1)));
            Assert.Equal(good.Order(StringComparer.Ordinal), perPhone.Select(p => p.Phone).Order(StringComparer.Ordinal));
            Assert.All(perPhone, p => Assert.Equal(1, p.Count));
        }
        finally
        {
            StoreFiles.Close(database);
        }

        // None of the numbers is registered, so each message fails at once with a callback; the export says the same.
        var events = await receiver.WaitForEvents(e => e.Select(x => x.GetProperty("message_id").GetString()).Distinct().Count() >= Good, TimeSpan.FromSeconds(120));
        var callbacks = events.GroupBy(e => e.GetProperty("message_id").GetString()!).ToDictionary(g => g.Key, g => g.ToList());
        var export = await CampaignApi.Export(client, id);
        Assert.Equal(Good + 1, export.Count);
        foreach (var row in export.Skip(1))
        {
            var messageId = row[2];
            var received = Assert.Single(callbacks[messageId].Select(e => e.GetProperty("event_id").GetString()).Distinct()); // retries repeat an event_id
            var e = callbacks[messageId].First(x => x.GetProperty("event_id").GetString() == received);
            Assert.Equal(row[3], e.GetProperty("type").GetString());
            Assert.Equal(row[4], e.GetProperty("reason").GetString());
            Assert.Equal(row[1], e.GetProperty("to").GetString());
            Assert.Equal(id, e.GetProperty("campaign_id").GetString());
        }
        Assert.Equal(Good, callbacks.Count);
    }

    private static long Accepted(JsonElement campaign) => campaign.GetProperty("progress").GetProperty("accepted").GetInt64();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
