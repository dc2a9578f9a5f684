using Herald.Server.Tests.Infrastructure;
using Herald.Storage;
using Herald.Storage.Postgres;
using Herald.Storage.Sqlite;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// The two migration sets describe one schema: after migrating, SQLite and PostgreSQL have the same tables, the same
/// columns (types compared by what they store, as SQLite's type affinity sees them; nullability too) and the same
/// named indexes on the same tables. Always runs on both (PostgreSQL from HERALD_TEST_POSTGRES), whatever the run.
/// </summary>
public sealed class SchemaAgreementTests : IAsyncLifetime
{
    /// <summary>
    /// The differences the engines need, each with its reason. messages: SQLite orders rows by its implicit rowid and
    /// keys them by id; PostgreSQL has an explicit seq and keys by (to_phone, id) so the table can be distributed by
    /// recipient (docs/scaling.md), which needs its own index on id.
    /// </summary>
    private static readonly HashSet<string> s_postgresOnly = ["column messages.seq", "index messages.messages_id"];

    private readonly string _data = Path.Combine(Path.GetTempPath(), "herald-schema-" + Guid.NewGuid().ToString("N"));
    private TestStore _postgres = null!;
    private SqliteDatabase _sqlite = null!;
    private PostgresDatabase _pg = null!;

    public async Task InitializeAsync()
    {
        _postgres = await TestStore.CreatePostgres();
        Directory.CreateDirectory(_data);
        _sqlite = new SqliteDatabase(Path.Combine(_data, "herald.db"));
        _pg = new PostgresDatabase(_postgres.Settings["Herald:Storage:ConnectionString"]);
    }

    [Fact]
    public void Sqlite_and_postgres_have_the_same_tables_columns_and_indexes()
    {
        _sqlite.Migrate();
        _pg.Migrate();

        var sqlite = SqliteSchema();
        var postgres = PostgresSchema();

        Assert.NotEmpty(sqlite);
        Assert.Contains("column schema_migrations.checksum TEXT null", sqlite);
        Assert.Equal([], sqlite.Except(postgres).Order());
        Assert.Equal([], postgres.Except(sqlite).Where(e => !s_postgresOnly.Any(e.StartsWith)).Order());
        Assert.All(s_postgresOnly, e => Assert.Contains(postgres, p => p.StartsWith(e, StringComparison.Ordinal))); // still needed
    }

    /// <summary>Tables, columns and explicitly created indexes (not SQLite's automatic ones for UNIQUE and keys).</summary>
    private HashSet<string> SqliteSchema()
    {
        var tables = StoreFiles.Query(_sqlite, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => r.GetString(0));
        var schema = tables.Select(t => $"table {t}").ToHashSet();
        foreach (var table in tables)
        {
            // A PRIMARY KEY column other than an INTEGER one may hold NULL in SQLite, but Herald never stores one: count it NOT NULL.
            schema.UnionWith(StoreFiles.Query(_sqlite, $"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')",
                r => $"column {table}.{r.GetString(0)} {SqliteAffinity(r.GetString(1))} {(r.GetInt64(2) == 1 || r.GetInt64(3) > 0 ? "not null" : "null")}"));
        }
        schema.UnionWith(StoreFiles.Query(_sqlite, "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
            r => $"index {r.GetString(0)}.{r.GetString(1)}"));
        return schema;
    }

    /// <summary>The same from PostgreSQL's catalogue; indexes that back a constraint (keys, UNIQUE) are left out, like SQLite's automatic ones.</summary>
    private HashSet<string> PostgresSchema()
    {
        var schema = StoreFiles.Query(_pg, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            r => $"table {r.GetString(0)}").ToHashSet();
        schema.UnionWith(StoreFiles.Query(_pg,
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema()",
            r => $"column {r.GetString(0)}.{r.GetString(1)} {PostgresAffinity(r.GetString(2))} {(r.GetString(3) == "NO" ? "not null" : "null")}"));
        schema.UnionWith(StoreFiles.Query(_pg,
            "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            r => $"index {r.GetString(0)}.{r.GetString(1)}"));
        return schema;
    }

    /// <summary>SQLite's rules for a declared type (https://sqlite.org/datatype3.html, 3.1), in the order SQLite applies them.</summary>
    private static string SqliteAffinity(string declared)
    {
        var type = declared.ToUpperInvariant();
        if (type.Contains("INT", StringComparison.Ordinal))
            return "INTEGER";
        if (type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal))
            return "TEXT";
        if (type.Length == 0 || type.Contains("BLOB", StringComparison.Ordinal))
            return "BLOB";
        return type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal) ? "REAL" : "NUMERIC";
    }

    /// <summary>What each PostgreSQL type Herald uses is in SQLite: booleans are 0/1 integers there.</summary>
    private static string PostgresAffinity(string dataType) => dataType switch
    {
        "bigint" or "integer" or "smallint" or "boolean" => "INTEGER",
        "text" or "character varying" => "TEXT",
        "bytea" => "BLOB",
        "double precision" or "real" => "REAL",
        _ => $"unmapped PostgreSQL type {dataType}",
    };

    public async Task DisposeAsync()
    {
        StoreFiles.Close(_sqlite);
        StoreFiles.Close(_pg);
        await _postgres.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
