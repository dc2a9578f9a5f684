using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Herald.Server.Tests.Campaigns;

/// <summary>
/// Issue 17's cluster case: two real <c>herald serve</c> processes on one PostgreSQL database and one nats-server.
/// The leader runs a campaign and is SIGKILLed mid-run; the other node takes the lead and finishes it. Every good
/// recipient gets exactly one message — counted per phone in the database, and at three signed-in devices connected
/// to the surviving node.
/// </summary>
[Collection(Faults.FaultCollection.Name)]
public sealed class CampaignTakeoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string OperatorToken = "hop_campaign-takeover-token";
    private const int Good = 4_000;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "herald-campaign-takeover-" + Guid.NewGuid().ToString("N"));
    private TestStore _store = null!;
    private Receiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreatePostgres();
        _receiver = await Receiver.Start();
    }

    private HeraldProcess Node(string name) => ClusterNode.Start(_root, name, _store, OperatorToken, _receiver);

    [Fact]
    public async Task When_the_node_running_a_campaign_is_killed_the_other_takes_over_and_messages_every_recipient_exactly_once()
    {
        var a = Node("a"); // started first: it leads, so it runs the campaign
        await a.WaitHealthy();
        await using var b = Node("b");
        await b.WaitHealthy();
        var business = await Api.CreateBusiness(() => b.BaseAddress, OperatorToken, _receiver.WebhookUrl);
        using var client = business.Client();

        // Three recipients are signed-in devices on the surviving node: the first is sent to by A, the others
        // (most likely) by B after the takeover.
        int[] onDevices = [0, Good / 2, Good - 1];
        var devices = new List<(string Phone, TestDevice Device)>();
        foreach (var i in onDevices)
        {
            var device = await TestDevice.Connect(b.BaseAddress, await Api.SignIn(b.BaseAddress, _receiver, CampaignApi.Phone(i)));
            await device.Next("ready");
            devices.Add((CampaignApi.Phone(i), device));
        }

        var id = await CampaignApi.Create(client, rate: 400);
        var csv = new StringBuilder("phone\n");
        for (var i = 0; i < Good; i++)
            csv.Append(CampaignApi.Phone(i)).Append('\n');
        csv.Append("+1\nnot-a-phone\n");
        var report = await CampaignApi.UploadOk(client, id, csv.ToString());
        Assert.Equal(Good, report.GetProperty("recipients").GetInt64());
        Assert.Equal(2, report.GetProperty("bad_rows").GetInt64());

        await CampaignApi.Act(client, id, "start");
        await Wait.Until(async () => Accepted(await CampaignApi.Get(client, id)) >= 1000, TimeSpan.FromSeconds(60), "1000 sent by the leader");
        a.KillNow();
        var killed = Stopwatch.StartNew();
        await a.DisposeAsync();
        var atKill = Accepted(await CampaignApi.Get(client, id));
        Assert.True(atKill < Good, "the leader finished before the kill: it tested nothing");

        await Wait.Until(async () => Accepted(await CampaignApi.Get(client, id)) > atKill, TimeSpan.FromSeconds(30), "the other node sending");
        var takeover = killed.Elapsed;
        var done = await CampaignApi.WaitForState(client, id, "completed", TimeSpan.FromSeconds(90));
        output.WriteLine($"accepted at the kill: {atKill}; the other node sent again {takeover.TotalSeconds:0.0} s after the kill; " +
            $"completed {killed.Elapsed.TotalSeconds:0.0} s after it");
        Assert.Equal(Good, Accepted(done));
        Assert.True(takeover < TimeSpan.FromSeconds(10), $"takeover took {takeover.TotalSeconds:0.0} s");

        // Exactly one message per good phone in the database, none to anyone else.
        await using (var db = new NpgsqlConnection(_store.Settings["Herald:Storage:ConnectionString"]))
        {
            await db.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT to_phone, COUNT(*) FROM messages WHERE campaign_id = @id GROUP BY to_phone", db);
            query.Parameters.AddWithValue("id", id);
            await using var reader = await query.ExecuteReaderAsync();
            var perPhone = new Dictionary<string, long>();
            while (await reader.ReadAsync())
                perPhone[reader.GetString(0)] = reader.GetInt64(1);
            Assert.Equal(Enumerable.Range(0, Good).Select(CampaignApi.Phone).Order(StringComparer.Ordinal), perPhone.Keys.Order(StringComparer.Ordinal));
            Assert.All(perPhone, p => Assert.True(p.Value == 1, $"{p.Key} got {p.Value} messages"));
        }

        // And at the devices: each got the campaign's message once (one message id), and acknowledged it.
        foreach (var (phone, device) in devices)
        {
            var received = new List<JsonElement>();
            await Wait.Until(async () =>
            {
                received.AddRange(await device.MessagesWithin(TimeSpan.FromMilliseconds(200)));
                return received.Count >= 1;
            }, TimeSpan.FromSeconds(30), $"the campaign's message at {phone}");
            received.AddRange(await device.MessagesWithin(TimeSpan.FromSeconds(2))); // room for a second one, were there one
            var messageId = Assert.Single(received.Select(m => m.GetProperty("message_id").GetString()).Distinct());
            Assert.Equal("20% off everything", received[0].GetProperty("text").GetString());
            await device.Ack("delivered", messageId!);
            await device.DisposeAsync();
        }
        var delivered = await _receiver.WaitForEvents(e => e.Count(x => x.GetProperty("type").GetString() == "delivered") >= devices.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(devices.Select(d => d.Phone).Order(StringComparer.Ordinal),
            delivered.Where(e => e.GetProperty("type").GetString() == "delivered").Select(e => e.GetProperty("to").GetString()!).Distinct().Order(StringComparer.Ordinal));
    }

    private static long Accepted(JsonElement campaign) => campaign.GetProperty("progress").GetProperty("accepted").GetInt64();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _store.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
