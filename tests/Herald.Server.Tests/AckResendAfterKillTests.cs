using System.Net.Http.Json;
using System.Text.Json;
using Herald.Client;
using Herald.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Herald.Server.Tests;

/// <summary>
/// Issue 13: a <c>kill -9</c> right after devices sent <c>delivered</c> + <c>seen</c> left messages at delivered for
/// good, their seen callback never sent, because a message is not pushed again once delivered and a device could not
/// know its seen was lost. Now the server confirms acks once committed and the SDK's device client sends the
/// unconfirmed ones again when it reconnects.
/// </summary>
[Collection(Faults.FaultCollection.Name)]
public sealed class AckResendAfterKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string OperatorToken = "hop_ack-kill-test-token";
    private const int Devices = 4;
    private const int PerDevice = 60;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "herald-ack-kill-" + Guid.NewGuid().ToString("N"));
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.Create();

    [Fact]
    public async Task Acks_in_flight_at_a_kill_9_are_sent_again_after_restart_and_every_message_ends_seen_with_one_seen_callback()
    {
        await using var receiver = await Receiver.Start();
        var environment = new Dictionary<string, string>(_store.Environment)
        {
            ["HERALD_BOOTSTRAP_TOKEN"] = OperatorToken,
            ["Herald__Webhooks__AllowPrivateNetworks"] = "true",
            ["Herald__Consumers__CodeHookUrl"] = receiver.CodeHookUrl.ToString(),
        };
        var herald = HeraldProcess.Serve(_data, environment);
        await herald.WaitHealthy();
        var business = await Api.CreateBusiness(() => herald.BaseAddress, OperatorToken, receiver.WebhookUrl);

        // One DeviceClient per device, as one app per phone: its unconfirmed acks outlive the server process.
        var phones = Enumerable.Range(0, Devices).Select(i => $"+44770090{i:D4}").ToArray();
        var clients = phones.Select(_ => new DeviceClient(herald.BaseAddress)).ToArray();
        var tokens = new string[Devices];
        for (var i = 0; i < Devices; i++)
            tokens[i] = await Api.SignIn(herald.BaseAddress, receiver, phones[i]);
        var connections = await Task.WhenAll(clients.Select((c, i) => c.ConnectAsync(tokens[i])));

        var sent = new List<string>[Devices];
        for (var i = 0; i < Devices; i++)
            sent[i] = await SendBatch(business, phones[i], PerDevice);
        var accepted = sent.SelectMany(s => s).ToList();
        var received = await Task.WhenAll(connections.Select(c => Receive(c, PerDevice)));
        for (var i = 0; i < Devices; i++)
            Assert.Equal(sent[i].ToHashSet(), received[i].ToHashSet());

        // Half the messages are delivered and stored before the kill; then every device sends delivered for the other
        // half and seen for all, and the process is killed the moment the last frame has left.
        var half = PerDevice / 2;
        await Task.WhenAll(connections.Select((c, i) => c.MarkDeliveredAsync(received[i][..half])));
        await Wait.Until(() => connections.All(c => c.UnconfirmedAcks.Count == 0), TimeSpan.FromSeconds(30), "the first deliveries confirmed");
        await Task.WhenAll(connections.Select(async (c, i) =>
        {
            await c.MarkDeliveredAsync(received[i][half..]);
            await c.MarkSeenAsync(received[i]);
        }));
        herald.KillNow();
        var unconfirmedAtKill = connections.Sum(c => c.UnconfirmedAcks.Count);
        foreach (var connection in connections)
            await connection.DisposeAsync();
        await herald.DisposeAsync();

        // Same address, so the same DeviceClients reconnect with the acks they kept.
        await using var restarted = HeraldProcess.ServeAt(herald.BaseAddress, _data, environment);
        await restarted.WaitHealthy();
        var beforeResend = await Statuses(business, accepted);
        var notSeenAfterRestart = beforeResend.Count(s => s.Value != "seen");
        output.WriteLine($"store: {(TestStore.IsPostgres ? "postgres" : "sqlite")}; unconfirmed acks at the kill: {unconfirmedAtKill}; " +
            $"after restart, before devices reconnect: {string.Join(", ", beforeResend.GroupBy(s => s.Value).Select(g => $"{g.Key} {g.Count()}"))}");
        // The kill must have landed before some seen acks were stored, or this test would prove nothing.
        Assert.True(notSeenAfterRestart > 0, "every seen ack was stored before the kill: the kill came too late to test anything");

        var reconnected = await Task.WhenAll(clients.Select((c, i) => c.ConnectAsync(tokens[i])));
        var pushedAgain = reconnected.Select(CountMessages).ToArray();
        // Not failing on a timeout here: the figures below say what was missing.
        var allSeen = await Within(() => receiver.WaitForEvents(e => accepted.All(id => e.Any(x => Is(x, "seen", id))), TimeSpan.FromSeconds(30)));
        await Within(() => Wait.Until(() => reconnected.All(c => c.UnconfirmedAcks.Count == 0), TimeSpan.FromSeconds(10), "every resent ack confirmed"));
        var events = receiver.AcknowledgedEvents;
        var after = await Statuses(business, accepted);

        var seenCallbacks = accepted.Count(id => events.Any(x => Is(x, "seen", id)));
        var deliveredCallbacks = accepted.Count(id => events.Any(x => Is(x, "delivered", id)));
        var duplicateEventIds = events.Count - events.Select(e => e.GetProperty("event_id").GetString()).Distinct().Count();
        foreach (var c in reconnected)
            await c.DisposeAsync();
        var repushed = (await Task.WhenAll(pushedAgain)).Sum();
        output.WriteLine($"accepted {accepted.Count}, status delivered-or-seen {after.Count(s => s.Value is "delivered" or "seen")}, " +
            $"seen {after.Count(s => s.Value == "seen")}, delivered callbacks {deliveredCallbacks}, seen callbacks {seenCallbacks}, " +
            $"lost {accepted.Count - seenCallbacks}, messages pushed again after restart {repushed} (their delivered had not been stored), webhook events delivered twice {duplicateEventIds}");

        Assert.True(allSeen, "not every message got its seen callback");
        Assert.All(after, s => Assert.Equal("seen", s.Value));
        Assert.All(reconnected, c => Assert.Equal(0, c.UnconfirmedAcks.Count));
        Assert.Equal(accepted.Count, seenCallbacks);
        Assert.Equal(accepted.Count, deliveredCallbacks);
        // One seen and one delivered event per message, however many times its acks were sent (a webhook retry
        // repeats an event with its event_id, which the docs allow).
        foreach (var id in accepted)
        {
            Assert.Single(events.Where(x => Is(x, "seen", id)).Select(x => x.GetProperty("event_id").GetString()).Distinct());
            Assert.Single(events.Where(x => Is(x, "delivered", id)).Select(x => x.GetProperty("event_id").GetString()).Distinct());
        }
        foreach (var client in clients)
            client.Dispose();
    }

    private static async Task<List<string>> SendBatch(TestBusiness business, string phone, int count)
    {
        using var client = business.Client();
        var response = await client.PostAsJsonAsync("/v1/messages/batch",
            new { messages = Enumerable.Range(0, count).Select(n => new { to = phone, category = "transactional", text = $"n{n}" }) });
        response.EnsureSuccessStatusCode();
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray();
        return [.. results.Select(r => r.GetProperty("message_id").GetString()!)];
    }

    private static async Task<List<string>> Receive(DeviceConnection connection, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ids = new List<string>();
        while (ids.Count < count)
            ids.Add((await connection.NextMessageAsync(timeout.Token)).MessageId);
        return ids;
    }

    private static async Task<bool> Within(Func<Task> wait)
    {
        try
        {
            await wait();
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static async Task<int> CountMessages(DeviceConnection connection)
    {
        var count = 0;
        await foreach (var e in connection.ReadEventsAsync())
            count += e is MessageReceived ? 1 : 0;
        return count;
    }

    private static async Task<Dictionary<string, string>> Statuses(TestBusiness business, IEnumerable<string> ids)
    {
        var statuses = new Dictionary<string, string>();
        foreach (var id in ids)
            statuses[id] = (await business.Status(id)).GetProperty("status").GetString()!;
        return statuses;
    }

    private static bool Is(JsonElement e, string type, string messageId) =>
        e.GetProperty("type").GetString() == type && e.GetProperty("message_id").GetString() == messageId;

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
