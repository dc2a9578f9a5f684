using Herald.Server.Hosting;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>
/// The first lines of <c>herald serve</c>'s log tell an operator what they are running: the migrations applied, and
/// one line naming the store, the cluster mode, the data directory and the listeners, without any password.
/// </summary>
public sealed class StartupLogTests : IAsyncLifetime
{
    private const string Password = "never-in-the-log-7f3a";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "herald-startlog-" + Guid.NewGuid().ToString("N"));
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.Create();

    [Fact]
    public async Task Start_logs_the_store_cluster_mode_data_directory_listeners_and_migrations()
    {
        var environment = _store.Environment;
        if (environment.TryGetValue("Herald__Storage__ConnectionString", out var connectionString))
            environment["Herald__Storage__ConnectionString"] = connectionString + $";Password={Password}"; // the test cluster trusts loopback, so any password works

        var first = HeraldProcess.Serve(_data, environment);
        await first.WaitHealthy();
        await Wait.Until(() => first.Output.Contains("Herald started:", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the start-up line");
        var output = first.Output;
        var store = TestStore.IsPostgres
            ? $"store PostgreSQL 127.0.0.1:{new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Port}/{new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database}"
            : $"store SQLite {Path.Combine(Path.GetFullPath(_data), "herald.db")}";
        Assert.Contains($"Herald started: {store}; cluster single node; data directory {Path.GetFullPath(_data)}; listening on {first.BaseAddress.ToString().TrimEnd('/')}",
            output, StringComparison.Ordinal);
        Assert.Contains("Applied migration 0001_initial.sql", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
        await first.Terminate();
        await first.DisposeAsync();

        await using var second = HeraldProcess.Serve(_data, environment);
        await second.WaitHealthy();
        await Wait.Until(() => second.Output.Contains("Herald started:", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the start-up line");
        Assert.DoesNotContain("Applied migration", second.Output, StringComparison.Ordinal);
        Assert.Matches(@"Schema up to date: \d+ migrations, 0 applied by this start", second.Output);
    }

    [Theory]
    [InlineData(null, "single node")]
    [InlineData("nats://10.0.0.5:4222", "NATS nats://10.0.0.5:4222")]
    [InlineData("nats://herald:s3cret@10.0.0.5:4222, tls://token@nats.internal", "NATS nats://10.0.0.5:4222, tls://nats.internal")]
    public void The_cluster_mode_names_the_nats_servers_without_credentials(string? natsUrl, string expected) =>
        Assert.Equal(expected, StartupLog.ClusterMode(natsUrl));

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
