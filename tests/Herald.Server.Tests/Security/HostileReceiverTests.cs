using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Herald.Server.Tests.Security;

/// <summary>
/// API4 (resource consumption) from the other side: the receivers Herald calls. A webhook receiver or SMS code hook
/// that answers 200 and then streams an endless body once took a node from 312 MB to 2,256 MB of RSS for one POST
/// (the dispatcher read whole answers). Herald must read the status line and headers only, count the 2xx as the
/// acknowledgement, and drop the rest. The server runs in its own process so its memory is measured as an
/// operator's monitoring would see it.
/// </summary>
[Collection(Faults.FaultCollection.Name)]
public sealed class HostileReceiverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string OperatorToken = "hop_hostile-receiver-token";
    // Generous for a runtime that may grow its heaps a little under load; reading a body for 10 s at 100 MB/s is ~1 GB.
    private const double MaxGrowthMiB = 100;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "herald-hostile-" + Guid.NewGuid().ToString("N"));
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.Create();

    /// <param name="bytesPerSecond">fast (100 MiB/s: reading it for the 10 s timeout takes a GB) or a slow drip (64 KiB/s: never ends within the timeout)</param>
    [Theory]
    [InlineData(100L * 1024 * 1024)]
    [InlineData(64L * 1024)]
    public async Task A_webhook_receiver_streaming_an_endless_body_gets_its_200_counted_and_costs_no_memory(long bytesPerSecond)
    {
        await using var receiver = EndlessBodyReceiver.Start(bytesPerSecond);
        await using var herald = HeraldProcess.Serve(_data, Environment(receiver));
        await herald.WaitHealthy();
        var business = await Api.CreateBusiness(() => herald.BaseAddress, OperatorToken, receiver.WebhookUrl);
        var before = ProcessMemory.ResidentMiB(herald.ProcessId);

        const int Rounds = 5;
        const int PerRound = 4;
        await using (var peak = new ProcessMemory.PeakSampler(herald.ProcessId))
        {
            for (var round = 0; round < Rounds; round++)
            {
                // Unknown numbers: each message owes the business exactly one `failed` callback.
                for (var i = 0; i < PerRound; i++)
                    await business.SendOk(new { to = $"+1555{round:D3}{i:D4}", category = "transactional", text = "x" });
                var expected = (round + 1) * PerRound;
                // Acknowledged means Herald marked the events sent: it took the 200 without waiting for the body's end.
                // 15 s: longer than the callback timeout (10 s), so a Herald that reads the body shows its memory first.
                try
                {
                    await Wait.Until(async () => (await Deliveries(business)).Count(d => d.GetProperty("status").GetString() == "sent") == expected,
                        TimeSpan.FromSeconds(15), $"{expected} callback events marked sent");
                }
                catch (TimeoutException ex)
                {
                    Assert.Fail($"{ex.Message} RSS {before:F0} MiB before, peak {peak.PeakMiB:F0} MiB; receiver streamed {receiver.BytesStreamed / 1048576.0:F0} MiB.");
                }
            }
            var growth = peak.PeakMiB - before;
            output.WriteLine($"RSS {before:F0} MiB before, peak {peak.PeakMiB:F0} MiB (+{growth:F0}); receiver streamed {receiver.BytesStreamed / 1048576.0:F1} MiB");
            Assert.True(growth < MaxGrowthMiB, $"Herald's RSS grew {growth:F0} MiB ({before:F0} -> {peak.PeakMiB:F0}) against a receiver streaming an endless body.");
        }
        var deliveries = await Deliveries(business);
        // Each acknowledged at its first attempt: no timeout while reading the body, so no retry.
        Assert.All(deliveries, d => Assert.Equal(1, d.GetProperty("attempts").GetInt32()));
        Assert.Equal(Rounds * PerRound, receiver.Events.Select(e => e.GetProperty("event_id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task A_code_hook_streaming_an_endless_body_still_delivers_the_code_and_costs_no_memory()
    {
        await using var receiver = EndlessBodyReceiver.Start();
        await using var herald = HeraldProcess.Serve(_data, Environment(receiver));
        await herald.WaitHealthy();
        using var client = Api.Client(herald.BaseAddress);
        var before = ProcessMemory.ResidentMiB(herald.ProcessId);

        await using (var peak = new ProcessMemory.PeakSampler(herald.ProcessId))
        {
            for (var i = 0; i < 5; i++)
            {
                var started = System.Diagnostics.Stopwatch.StartNew();
                var response = await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = $"+4477009001{i:D2}" });
                var figures = $"RSS {before:F0} MiB before, peak {peak.PeakMiB:F0} MiB; the answer took {started.Elapsed.TotalSeconds:F1} s";
                Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}; {figures}");
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"Herald waited for the hook's body: {figures}");
            }
            var growth = peak.PeakMiB - before;
            output.WriteLine($"RSS {before:F0} MiB before, peak {peak.PeakMiB:F0} MiB (+{growth:F0}); receiver streamed {receiver.BytesStreamed / 1048576.0:F1} MiB");
            Assert.True(growth < MaxGrowthMiB, $"Herald's RSS grew {growth:F0} MiB ({before:F0} -> {peak.PeakMiB:F0}) against a code hook streaming an endless body.");
        }
        Assert.Equal(5, receiver.CodePosts);
    }

    private static async Task<List<JsonElement>> Deliveries(TestBusiness business)
    {
        using var client = business.Client();
        var log = await client.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries?limit=500");
        return [.. log.GetProperty("deliveries").EnumerateArray()];
    }

    private Dictionary<string, string> Environment(EndlessBodyReceiver receiver) => new(_store.Environment)
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
