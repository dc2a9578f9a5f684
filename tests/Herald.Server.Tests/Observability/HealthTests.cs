using System.Net;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Observability;

/// <summary>/health/live, /health/ready and /healthz, with real failures: a PostgreSQL that stops, a disk too full.</summary>
[Collection(Faults.FaultCollection.Name)]
public sealed class HealthTests
{
    [Fact]
    public async Task Ready_goes_503_while_PostgreSQL_is_stopped_and_comes_back_when_it_returns_while_live_stays_200()
    {
        await using var postgres = await PostgresServer.Start(); // its own: the shared one must stay up
        await using var host = await HeraldHost.Start(new()
        {
            ["Herald:Storage:Provider"] = "postgres",
            ["Herald:Storage:ConnectionString"] = postgres.ConnectionString,
        });
        using var client = host.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        using var operatorClient = host.Operator();
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/metrics")).StatusCode);

        await postgres.Stop();
        await Wait.Until(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(10), "ready to say 503");
        var (status, checks) = await Read(client, "/health/ready");
        Assert.Equal("unhealthy", status);
        Assert.Equal("unhealthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz")).StatusCode); // the alias
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        // The metrics stay readable (to the token that read them before) and count the outage.
        await Wait.Until(async () => (await operatorClient.GetStringAsync("/metrics")).Contains("herald_db_errors_total{", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "herald_db_errors_total in /metrics");
        Assert.Matches("herald_db_errors_total\\{[^}]*kind=\"unavailable\"[^}]*\\} [1-9]", await operatorClient.GetStringAsync("/metrics"));

        await postgres.StartAgain();
        await Wait.Until(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "ready to say 200 again");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Ready_answers_503_within_seconds_while_PostgreSQL_is_frozen_and_200_once_it_thaws()
    {
        await using var postgres = await PostgresServer.Start();
        await using var host = await HeraldHost.Start(new()
        {
            ["Herald:Storage:Provider"] = "postgres",
            ["Herald:Storage:ConnectionString"] = postgres.ConnectionString,
        });
        using var client = host.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        postgres.Freeze(); // SIGSTOP: connections stay open and nothing answers
        try
        {
            var asked = System.Diagnostics.Stopwatch.StartNew();
            var (status, checks) = await Read(client, "/health/ready", HttpStatusCode.ServiceUnavailable);
            // The round trip's 2 s timeout, not the hang (which lasts until PostgreSQL thaws). A CI run with the whole
            // suite around it measured 5.5 s once: the bound leaves room for a loaded machine and still tells them apart.
            Assert.InRange(asked.Elapsed.TotalSeconds, 0, 8);
            Assert.Equal("unhealthy", status);
            Assert.Equal("unhealthy", checks.GetProperty("database").GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            postgres.Thaw();
        }
        await Wait.Until(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "ready to say 200 again");
    }

    [Fact]
    public async Task Live_is_200_while_ready_is_503_for_lack_of_free_disk_on_SQLite()
    {
        // More free space than any disk has: the real free space of the data directory's file system is below it.
        await using var host = await HeraldHost.Start(new()
        {
            ["Herald:Storage:Provider"] = "sqlite",
            ["Herald:Health:MinFreeDiskMegabytes"] = (1L << 40).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var client = host.Client();
        var (ready, checks) = await Read(client, "/health/ready", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unhealthy", ready);
        Assert.Equal("unhealthy", checks.GetProperty("disk").GetProperty("status").GetString());
        Assert.Equal("healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", checks.GetProperty("writer").GetProperty("status").GetString());
        var (live, liveChecks) = await Read(client, "/health/live", HttpStatusCode.OK);
        Assert.Equal("healthy", live);
        Assert.Equal(["writer_loop"], liveChecks.EnumerateObject().Select(c => c.Name));
    }

    [Fact]
    public async Task A_healthy_node_is_live_and_ready_and_names_each_check()
    {
        await using var host = await HeraldHost.Start();
        using var client = host.Client();
        var (_, checks) = await Read(client, "/health/ready", HttpStatusCode.OK);
        Assert.Equal(["writer_loop", "database", "writer", "nats", "disk"], checks.EnumerateObject().Select(c => c.Name));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    private static async Task<(string Status, JsonElement Checks)> Read(HttpClient client, string path, HttpStatusCode? expected = null)
    {
        var response = await client.GetAsync(path);
        if (expected is not null)
            Assert.Equal(expected, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (json.GetProperty("status").GetString()!, json.GetProperty("checks").Clone());
    }
}
