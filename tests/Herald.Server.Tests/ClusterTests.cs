using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Npgsql;

namespace Herald.Server.Tests;

/// <summary>
/// Two real <c>herald serve</c> processes sharing one PostgreSQL database and one nats-server (scripts/test-services.sh
/// starts both on loopback): any node accepts, the node holding the device's connection delivers, callbacks go out
/// once, and a node's death loses nothing.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private const string Phone = "+447700900456";
    private const string OperatorToken = "hop_cluster-test-token";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "herald-cluster-" + Guid.NewGuid().ToString("N"));
    private TestStore _store = null!;
    private Receiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreatePostgres();
        _receiver = await Receiver.Start();
    }

    /// <summary>A node of the cluster: its own data directory, the shared database, bus and content key.</summary>
    private HeraldProcess Node(string name) => ClusterNode.Start(_root, name, _store, OperatorToken, _receiver);

    [Fact]
    public async Task A_message_accepted_by_one_node_reaches_a_device_on_the_other_at_once_and_its_callbacks_go_out_once()
    {
        await using var b = Node("b");
        await b.WaitHealthy();
        await using var a = Node("a");
        await a.WaitHealthy();
        var business = await Api.CreateBusiness(() => b.BaseAddress, OperatorToken, _receiver.WebhookUrl);
        await using var device = await TestDevice.Connect(a.BaseAddress, await Api.SignIn(a.BaseAddress, _receiver, Phone));
        await device.Next("ready");

        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            ids.Add(await business.SendOk(new { to = Phone, category = "transactional", text = $"cross-node {i}" }));
            var pushed = await device.Next("message");
            // Pushed on the NATS hint: a node never polls for other nodes' messages (without the hint a device gets
            // them only when it reconnects), so arriving at all proves the hint; the bound only keeps it prompt on a
            // busy machine.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"message {i} took {clock.Elapsed.TotalMilliseconds} ms");
            Assert.Equal(ids[^1], pushed.GetProperty("message").GetProperty("message_id").GetString());
            await device.Ack("delivered", ids[^1]);
        }
        await device.Ack("seen", [.. ids]);

        var events = await _receiver.WaitForEvents(e => e.Count >= 40, TimeSpan.FromSeconds(20));
        await AssertEveryOutboxEventArrivedOnce();
        events = _receiver.AcknowledgedEvents;
        Assert.Equal(40, events.Count);
        foreach (var id in ids)
            Assert.Equal(["delivered", "seen"], events.Where(e => e.GetProperty("message_id").GetString() == id).Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("seen", (await business.Status(ids[0])).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_device_gets_every_message_from_the_other_node_while_more_than_a_page_of_them_is_unacknowledged()
    {
        await using var b = Node("b");
        await b.WaitHealthy();
        await using var a = Node("a");
        await a.WaitHealthy();
        var business = await Api.CreateBusiness(() => b.BaseAddress, OperatorToken, _receiver.WebhookUrl);
        var token = await Api.SignIn(a.BaseAddress, _receiver, Phone);
        await using var device = await TestDevice.Connect(a.BaseAddress, token);
        await device.Next("ready");

        // 600 messages through node B, none acknowledged: pushed but unacknowledged messages stay waiting, so each
        // hint's read on node A must go past the first page (500) of them to the newest.
        using var client = Api.Client(b.BaseAddress, business.ApiKey);
        var ids = new List<string>();
        for (var batch = 0; batch < 3; batch++)
        {
            var body = new { messages = Enumerable.Range(0, 200).Select(i => new { to = Phone, category = "transactional", text = $"b{batch} n{i}" }).ToArray() };
            var response = await client.PostAsJsonAsync("/v1/messages/batch", body);
            // Each of the two nodes has half the business's rate: the third batch may have to wait for its share.
            while (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                response = await client.PostAsJsonAsync("/v1/messages/batch", body);
            }
            response.EnsureSuccessStatusCode();
            ids.AddRange((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray()
                .Select(r => r.GetProperty("message_id").GetString()!));
        }
        var received = new HashSet<string>();
        await Wait.Until(async () =>
        {
            received.UnionWith((await device.MessagesWithin(TimeSpan.FromMilliseconds(200))).Select(m => m.GetProperty("message_id").GetString()!));
            return received.Count >= ids.Count;
        }, TimeSpan.FromSeconds(30), "600 messages through node A");
        Assert.Equal(ids.ToHashSet(), received);

        // Connecting again, to node B: everything still waiting comes, page after page.
        await device.DisposeAsync();
        await using var again = await TestDevice.Connect(b.BaseAddress, token);
        var resent = new HashSet<string>();
        await Wait.Until(async () =>
        {
            resent.UnionWith((await again.MessagesWithin(TimeSpan.FromMilliseconds(200))).Select(m => m.GetProperty("message_id").GetString()!));
            return resent.Count >= ids.Count;
        }, TimeSpan.FromSeconds(30), "600 messages again on connect");
        Assert.Equal(ids.ToHashSet(), resent);
    }

    [Fact]
    public async Task When_the_node_holding_the_device_is_killed_mid_load_the_device_reconnects_to_the_other_and_nothing_is_lost_or_doubled()
    {
        await using var b = Node("b"); // started first: it leads, and it survives
        await b.WaitHealthy();
        var a = Node("a");
        await a.WaitHealthy();
        var business = await Api.CreateBusiness(() => b.BaseAddress, OperatorToken, _receiver.WebhookUrl);
        var token = await Api.SignIn(a.BaseAddress, _receiver, Phone);
        var device = await TestDevice.Connect(a.BaseAddress, token);
        await device.Next("ready");

        // Senders post to both nodes; the device on node A acknowledges what it gets.
        var accepted = new ConcurrentBag<string>();
        var unanswered = 0; // posts to node A cut off by the kill: each may have been stored without its 202 arriving
        using var stopSending = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            using var client = Api.Client(worker % 2 == 0 ? b.BaseAddress : a.BaseAddress, business.ApiKey);
            for (var i = 0; !stopSending.IsCancellationRequested; i++)
            {
                try
                {
                    var response = await client.PostAsJsonAsync("/v1/messages", new { to = Phone, category = "transactional", text = $"w{worker} n{i}" });
                    if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
                        accepted.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetString()!);
                }
                catch (HttpRequestException) when (worker % 2 == 1)
                {
                    Interlocked.Increment(ref unanswered);
                    return; // node A is gone
                }
            }
        })).ToArray();
        var received = new List<string>();
        await Wait.Until(async () =>
        {
            var batch = (await device.MessagesWithin(TimeSpan.FromMilliseconds(100))).Select(m => m.GetProperty("message_id").GetString()!).ToArray();
            received.AddRange(batch);
            if (batch.Length > 0)
                await device.Ack("delivered", batch);
            return received.Count >= 200;
        }, TimeSpan.FromSeconds(60), "200 messages through node A");

        a.Kill();
        await a.DisposeAsync();
        await device.DisposeAsync();
        await Task.Delay(300); // node B keeps accepting meanwhile
        await stopSending.CancelAsync();
        await Task.WhenAll(senders);

        // The device reconnects to the surviving node and gets everything still owed to it.
        await using var again = await TestDevice.Connect(b.BaseAddress, token);
        await Wait.Until(async () =>
        {
            var batch = (await again.MessagesWithin(TimeSpan.FromMilliseconds(200))).Select(m => m.GetProperty("message_id").GetString()!).ToArray();
            received.AddRange(batch);
            if (batch.Length > 0)
                await again.Ack("delivered", batch);
            return accepted.All(received.Contains);
        }, TimeSpan.FromSeconds(60), "every accepted message on the device");

        // Every accepted message got exactly one `delivered` callback, each event once.
        var events = await _receiver.WaitForEvents(e => e.Count(x => x.GetProperty("type").GetString() == "delivered") >= accepted.Count, TimeSpan.FromSeconds(60));
        await AssertEveryOutboxEventArrivedOnce(TimeSpan.FromSeconds(60), nodeKilled: true);
        // A batch sent again after the kill repeats its event_ids; receivers de-duplicate on them, and so does this count.
        events = [.. _receiver.AcknowledgedEvents.DistinctBy(e => e.GetProperty("event_id").GetString())];
        var delivered = events.Where(e => e.GetProperty("type").GetString() == "delivered").Select(e => e.GetProperty("message_id").GetString()!).ToList();
        // Nothing accepted is lost; beyond that, only a post the kill cut off may have been stored (docs/api.md: retry with the same Idempotency-Key).
        var figures = $"accepted {accepted.Count}, delivered {delivered.Count}, accepted not delivered {accepted.Except(delivered).Count()}, " +
            $"delivered not accepted {delivered.Except(accepted).Count()}, posts cut off by the kill {unanswered}";
        Assert.True(accepted.ToHashSet().IsSubsetOf(delivered), figures);
        Assert.True(delivered.Except(accepted).Count() <= unanswered, figures);
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
    }

    /// <summary>
    /// Counts by event_id against the database: once the outbox has nothing pending, every event it ever held reached
    /// the receiver exactly once (none marked sent without being sent, none sent by two nodes), and nothing else came.
    /// </summary>
    /// <param name="nodeKilled">
    /// a node was killed: the batch it had posted, if the receiver acknowledged it before the node could record that,
    /// comes again from the node that takes its bucket over (docs/scaling.md, "Callbacks stay at least once"): at most
    /// one batch of events, each twice
    /// </param>
    private async Task AssertEveryOutboxEventArrivedOnce(TimeSpan? timeout = null, bool nodeKilled = false)
    {
        await using var db = new NpgsqlConnection(_store.Settings["Herald:Storage:ConnectionString"]);
        await db.OpenAsync();
        async Task<List<(string EventId, bool Sent)>> Outbox()
        {
            await using var query = new NpgsqlCommand("SELECT event_id, sent_at IS NOT NULL FROM outbox", db);
            await using var reader = await query.ExecuteReaderAsync();
            var rows = new List<(string, bool)>();
            while (await reader.ReadAsync())
                rows.Add((reader.GetString(0), reader.GetBoolean(1)));
            return rows;
        }
        await Wait.Until(async () => (await Outbox()).All(r => r.Sent), timeout ?? TimeSpan.FromSeconds(20), "every outbox row sent");
        await Task.Delay(1500); // room for a second sender, were there one
        var stored = (await Outbox()).Select(r => r.EventId).Order().ToList();
        var received = _receiver.AcknowledgedEvents.Select(e => e.GetProperty("event_id").GetString()!).Order().ToList();
        Assert.Empty(stored.Except(received)); // marked sent, never received: lost
        if (nodeKilled)
        {
            var twice = received.GroupBy(id => id).Where(g => g.Count() > 1).ToList();
            Assert.All(twice, g => Assert.Equal(2, g.Count()));
            Assert.True(twice.Count <= new Herald.Server.Hosting.HeraldOptions().Webhooks.BatchSize, $"{twice.Count} events came twice: more than the one batch in flight at the kill");
            received = [.. received.Distinct()];
        }
        Assert.Equal(stored, received);          // and each exactly once
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _store.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
