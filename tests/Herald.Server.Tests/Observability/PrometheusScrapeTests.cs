using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Observability;

/// <summary>
/// A real Prometheus scrapes a real <c>herald serve</c> process (its own process, so its counters start at zero) with
/// the operator token, and the herald_… series it stored say what happened: messages accepted, delivered, seen and
/// failed, callbacks sent and failed, one backlog drained and one waiting, one device connected, this node leading.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string Token = "hop_prometheus-test-token-0123456789";
    private const string Phone = "+447700900171";

    [Fact]
    public async Task Prometheus_reads_the_message_lifecycle_from_herald_metrics()
    {
        await using var receiver = await Receiver.Start();
        await using var store = await TestStore.Create();
        var data = Path.Combine(Path.GetTempPath(), "herald-test-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string>(store.Environment)
        {
            ["HERALD_BOOTSTRAP_TOKEN"] = Token,
            ["Herald__Consumers__CodeHookUrl"] = receiver.CodeHookUrl.ToString(),
            ["Herald__Webhooks__AllowPrivateNetworks"] = "true",
            ["Herald__Metrics__OutboxRefreshSeconds"] = "0.5",
        };
        await using var herald = HeraldProcess.Serve(data, environment);
        await herald.WaitHealthy();

        var business = await Api.CreateBusiness(() => herald.BaseAddress, Token, receiver.WebhookUrl);
        // A second business whose receiver never answers (nothing listens on port 9 of loopback): its event waits.
        var unreachable = await Api.CreateBusiness(() => herald.BaseAddress, Token, new Uri("http://127.0.0.1:9/hook"), name: "Nobody Home");
        await unreachable.SendOk(new { to = "+447700900997", category = "transactional", text = "lost" });
        await using var device = await TestDevice.Connect(herald.BaseAddress, await Api.SignIn(herald.BaseAddress, receiver, Phone));
        await device.Next("ready");
        const int Sent = 5;
        var ids = new List<string>();
        for (var i = 0; i < Sent; i++)
            ids.Add(await business.SendOk(new { to = Phone, category = "transactional", text = $"parcel {i}" }));
        await business.SendOk(new { to = "+447700900999", category = "promotional", text = "nobody" }); // not_registered
        for (var i = 0; i < Sent; i++)
            await device.Next("message");
        await device.Ack("delivered", [.. ids]);
        await device.Ack("seen", ids[0]);
        // 5 delivered + 1 seen + 1 failed
        await receiver.WaitForEvents(e => e.Count >= Sent + 2, TimeSpan.FromSeconds(20));

        await using var prometheus = await PrometheusServer.Start(herald.BaseAddress, Token);
        await prometheus.WaitFor("up{job=\"herald\"}", 1);
        await prometheus.WaitFor("herald_messages_accepted_total{category=\"transactional\"}", Sent + 1);
        await prometheus.WaitFor("herald_messages_accepted_total{category=\"promotional\"}", 1);
        await prometheus.WaitFor("herald_messages_delivered_total{category=\"transactional\"}", Sent);
        await prometheus.WaitFor("herald_messages_seen_total{category=\"transactional\"}", 1);
        await prometheus.WaitFor("herald_messages_failed_total{category=\"promotional\",reason=\"not_registered\"}", 1);
        await prometheus.WaitFor("sum(herald_callbacks_events_total{result=\"sent\"})", Sent + 2);
        await prometheus.WaitFor($"herald_outbox_backlog{{business_id=\"{business.Id}\"}}", 0);
        await prometheus.WaitFor($"herald_outbox_oldest_age_seconds{{business_id=\"{business.Id}\"}}", 0);
        await prometheus.WaitFor($"herald_outbox_backlog{{business_id=\"{unreachable.Id}\"}}", 1);
        Assert.True(await prometheus.Value($"herald_outbox_oldest_age_seconds{{business_id=\"{unreachable.Id}\"}}") > 0);
        Assert.True(await prometheus.Value("sum(herald_callbacks_failures_total{reason=\"network\"})") >= 1);
        await prometheus.WaitFor("herald_devices_connected", 1);
        await prometheus.WaitFor("herald_cluster_leader", 1);
        await prometheus.WaitFor("herald_writer_queue_depth", 0);
        Assert.True(await prometheus.Value("sum(herald_callbacks_attempts_total)") >= 1);
        Assert.True(await prometheus.Value("herald_writer_batch_size_count") > 0);
        Assert.True(await prometheus.Value("herald_writer_commit_duration_seconds_count") > 0);
        Assert.True(await prometheus.Value("sum(http_server_request_duration_seconds_count)") > 0); // ASP.NET Core's own
        Assert.True(await prometheus.Value("sum(dotnet_process_cpu_time_seconds_total)") > 0); // the runtime's
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
