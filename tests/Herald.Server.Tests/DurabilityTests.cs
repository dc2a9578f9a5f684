using System.Collections.Concurrent;
using System.Net.Http.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>202 means durable: a SIGKILL in the middle of a load loses nothing that was accepted.</summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private const string Phone = "+447700900123";
    private const string OperatorToken = "hop_durability-test-token";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "herald-kill-" + Guid.NewGuid().ToString("N"));
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.Create();

    [Fact]
    public async Task Every_message_accepted_before_a_kill_9_is_delivered_exactly_once_after_restart()
    {
        await using var receiver = await Receiver.Start();
        var environment = Environment(receiver);
        var herald = HeraldProcess.Serve(_data, environment);
        await herald.WaitHealthy();
        var business = await Api.CreateBusiness(() => herald.BaseAddress, OperatorToken, receiver.WebhookUrl);
        var token = await Api.SignIn(herald.BaseAddress, receiver, Phone);

        var accepted = new ConcurrentBag<string>();
        using var stopSending = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            using var client = business.Client();
            for (var i = 0; !stopSending.IsCancellationRequested; i++)
            {
                try
                {
                    var response = await client.PostAsJsonAsync("/v1/messages", new { to = Phone, category = "transactional", text = $"w{worker} n{i}" });
                    if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
                        accepted.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("message_id").GetString()!);
                }
                catch (HttpRequestException)
                {
                    return; // the server is gone
                }
            }
        })).ToArray();

        await Wait.Until(() => accepted.Count >= 300, TimeSpan.FromSeconds(30), "300 accepted messages");
        herald.Kill();
        await stopSending.CancelAsync();
        await Task.WhenAll(senders);
        await herald.DisposeAsync();
        Assert.True(accepted.Count >= 300);

        await using var restarted = HeraldProcess.Serve(_data, environment);
        await restarted.WaitHealthy();
        await using var device = await TestDevice.Connect(restarted.BaseAddress, token);
        var received = new List<string>();
        await Wait.Until(async () =>
        {
            received.AddRange((await device.MessagesWithin(TimeSpan.FromMilliseconds(200))).Select(m => m.GetProperty("message_id").GetString()!));
            return accepted.All(received.Contains);
        }, TimeSpan.FromSeconds(30), "every accepted message on the device");
        Assert.Equal(received.Count, received.Distinct().Count()); // none twice

        foreach (var chunk in received.Chunk(500))
            await device.Ack("delivered", chunk);
        var events = await receiver.WaitForEvents(e => e.Count(x => x.GetProperty("type").GetString() == "delivered") >= received.Count, TimeSpan.FromSeconds(60));
        var delivered = events.Where(e => e.GetProperty("type").GetString() == "delivered").Select(e => e.GetProperty("message_id").GetString()!).ToHashSet();
        Assert.Superset(accepted.ToHashSet(), delivered);
    }

    [Fact]
    public async Task Callbacks_pending_when_the_server_is_killed_with_the_receiver_down_all_go_out_after_restart()
    {
        await using var receiver = await Receiver.Start();
        var environment = Environment(receiver);
        var herald = HeraldProcess.Serve(_data, environment);
        await herald.WaitHealthy();
        var business = await Api.CreateBusiness(() => herald.BaseAddress, OperatorToken, receiver.WebhookUrl);
        receiver.Down = true;

        // Unknown numbers: each accepted message owes the business exactly one `failed` callback.
        var accepted = new List<string>();
        using (var client = business.Client())
        {
            for (var i = 0; i < 200; i++)
            {
                var response = await client.PostAsJsonAsync("/v1/messages", new { to = $"+1555{i:D7}", category = "transactional", text = "x" });
                Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
                accepted.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("message_id").GetString()!);
            }
        }
        await Wait.Until(() => receiver.Posts.Count >= 1, TimeSpan.FromSeconds(10), "a refused callback attempt");
        herald.Kill();
        await herald.DisposeAsync();
        Assert.Empty(receiver.AcknowledgedEvents);

        receiver.Down = false;
        await using var restarted = HeraldProcess.Serve(_data, environment);
        await restarted.WaitHealthy();
        var events = await receiver.WaitForEvents(e => e.Count >= accepted.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(accepted.ToHashSet(), events.Select(e => e.GetProperty("message_id").GetString()!).ToHashSet());
        Assert.Equal(accepted.Count, events.Select(e => e.GetProperty("event_id").GetString()).Distinct().Count());
    }

    private Dictionary<string, string> Environment(Receiver receiver) => new(_store.Environment)
    {
        ["HERALD_BOOTSTRAP_TOKEN"] = OperatorToken,
        ["Herald__Webhooks__AllowPrivateNetworks"] = "true",
        ["Herald__Consumers__CodeHookUrl"] = receiver.CodeHookUrl.ToString(),
    };

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
