using Npgsql;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// The store a test's server runs on. The whole suite runs twice (see test.sh): with HERALD_TEST_STORE unset on
/// embedded SQLite in the test's data directory; with HERALD_TEST_STORE=postgres on a fresh PostgreSQL database per
/// test, created here on the server HERALD_TEST_POSTGRES names and dropped when the test ends.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly string? _database;

    private TestStore(string? database, Dictionary<string, string> settings)
    {
        _database = database;
        Settings = settings;
    }

    public static bool IsPostgres => System.Environment.GetEnvironmentVariable("HERALD_TEST_STORE") == "postgres";

    /// <summary>Configuration keys (Herald:Storage:...) that point a server at this store; empty for SQLite.</summary>
    public Dictionary<string, string> Settings { get; }

    /// <summary>The same settings as environment variables (Herald__Storage__...), for a server in its own process.</summary>
    public Dictionary<string, string> Environment => Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    /// <summary>Where the store keeps files besides the server's data directory (PostgreSQL's cluster), for clear-text scans.</summary>
    public static IEnumerable<string> ExtraDirectories =>
        IsPostgres && System.Environment.GetEnvironmentVariable("HERALD_TEST_POSTGRES_DATA") is { Length: > 0 } data ? [data] : [];

    /// <summary>The nats-server the cluster tests share (HERALD_TEST_NATS, started by scripts/test-services.sh).</summary>
    public static string NatsUrl =>
        System.Environment.GetEnvironmentVariable("HERALD_TEST_NATS") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("The cluster tests need HERALD_TEST_NATS (see scripts/test-services.sh; test.sh sets it).");

    /// <summary>The store this run of the suite is about: SQLite, or a fresh PostgreSQL database.</summary>
    public static Task<TestStore> Create() => IsPostgres ? CreatePostgres() : Task.FromResult(new TestStore(null, []));

    /// <summary>A fresh PostgreSQL database whatever the run, for tests that are about PostgreSQL (the cluster).</summary>
    public static async Task<TestStore> CreatePostgres()
    {
        var name = "herald_test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
        return new TestStore(name, new Dictionary<string, string>
        {
            ["Herald:Storage:Provider"] = "postgres",
            ["Herald:Storage:ConnectionString"] = connectionString,
        });
    }

    private static string AdminConnectionString =>
        System.Environment.GetEnvironmentVariable("HERALD_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("PostgreSQL tests need HERALD_TEST_POSTGRES (see scripts/test-services.sh; test.sh sets it).");

    public async ValueTask DisposeAsync()
    {
        if (_database is null)
            return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
