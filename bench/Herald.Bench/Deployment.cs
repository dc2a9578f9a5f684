using Npgsql;

namespace Herald.Bench;

/// <summary>What the bench starts: one node on embedded SQLite (the default), or nodes over PostgreSQL (and NATS when more than one).</summary>
/// <param name="Store">sqlite or postgres</param>
public sealed record Deployment(string Store, int Nodes)
{
    public string Describe => Store == "sqlite" ? "herald serve (SQLite)" : $"{Nodes} × herald serve (PostgreSQL{(Nodes > 1 ? " + NATS" : "")})";

    /// <summary>Starts the nodes on a fresh data directory or database; they share one content key and bus.</summary>
    public async Task<Nodes> Start(Uri codeHook)
    {
        if (Store == "sqlite")
            return new Nodes([await HeraldProcess.Start(codeHook)], null);
        var database = "herald_bench_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(Setting("HERALD_BENCH_POSTGRES", "HERALD_TEST_POSTGRES")))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {database}", admin).ExecuteNonQueryAsync();
        }
        var keyFile = Path.Combine(Path.GetTempPath(), database + ".key");
        var environment = new Dictionary<string, string>
        {
            ["Herald__Storage__Provider"] = "postgres",
            ["Herald__Storage__ConnectionString"] = new NpgsqlConnectionStringBuilder(Setting("HERALD_BENCH_POSTGRES", "HERALD_TEST_POSTGRES")) { Database = database }.ToString(),
            ["Herald__Privacy__KeyFile"] = keyFile,
        };
        if (Nodes > 1)
            environment["Herald__Cluster__NatsUrl"] = Setting("HERALD_BENCH_NATS", "HERALD_TEST_NATS");
        var nodes = new List<HeraldProcess>();
        for (var i = 0; i < Nodes; i++)
            nodes.Add(await HeraldProcess.Start(codeHook, environment)); // one after the other: the first migrates and leads
        return new Nodes(nodes, database);
    }

    /// <summary>Whether there is a PostgreSQL server to create the run's database on.</summary>
    public static bool PostgresConfigured =>
        new[] { "HERALD_BENCH_POSTGRES", "HERALD_TEST_POSTGRES" }.Any(name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)));

    private static string Setting(params string[] names) =>
        names.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v))
        ?? throw new InvalidOperationException($"Set {names[0]} (bench/run.sh starts local servers with scripts/test-services.sh).");
}

/// <summary>The running nodes of one run; disposing stops them and drops the run's database.</summary>
public sealed class Nodes(IReadOnlyList<HeraldProcess> processes, string? database) : IAsyncDisposable
{
    public IReadOnlyList<Uri> Urls { get; } = [.. processes.Select(p => p.Url)];
    public IEnumerable<int> Pids => processes.Select(p => p.Pid);

    /// <summary>The sum of the nodes' peak resident sets, in MiB.</summary>
    public double PeakRssMiB() => processes.Sum(p => p.PeakRssMiB());
    public double CpuSeconds() => processes.Sum(p => p.CpuSeconds());

    /// <summary>On PostgreSQL, the outbox's rows (event_id and state), to find callbacks that never arrived; null on SQLite.</summary>
    public async Task<List<(string EventId, string Type, string State, int Attempts)>?> Outbox()
    {
        if (database is null)
            return null;
        var connection = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ToString();
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var query = new NpgsqlCommand("""
            SELECT event_id, type, CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN abandoned_at IS NOT NULL THEN 'abandoned' ELSE 'pending' END, attempts
            FROM outbox
            """, db);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<(string, string, string, int)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
        return rows;
    }

    private static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("HERALD_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("HERALD_TEST_POSTGRES")!;

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
            await process.DisposeAsync();
        if (database is null)
            return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        File.Delete(Path.Combine(Path.GetTempPath(), database + ".key"));
    }
}
