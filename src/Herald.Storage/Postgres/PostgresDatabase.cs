using System.Data.Common;
using Npgsql;

namespace Herald.Storage.Postgres;

/// <summary>
/// PostgreSQL, for Herald across several nodes: every node reads and writes the same database, which stays the only
/// source of truth. Connections come from Npgsql's pool; statements used often are prepared automatically.
/// </summary>
public sealed class PostgresDatabase : Database, IDisposable
{
    // Any constants: advisory locks that make concurrent starts migrate one at a time, and that elect the leader.
    private const long MigrationLock = 0x4865_7261_6C64_0001;
    private const long LeaderLock = 0x4865_7261_6C64_0002;
    private readonly NpgsqlDataSource _source;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 128;
            builder.AutoPrepareMinUsages = 2;
        }
        _source = NpgsqlDataSource.Create(builder);
    }

    public override string MessageOrder => "seq";
    public override string LockRows => " FOR UPDATE";
    public override string IntegersOf(string jsonParameter) =>
        $"SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST({jsonParameter} AS JSON))";
    public override bool Shared => true;

    public override DbConnection Open() => _source.OpenConnection();

    public override bool IsUniqueViolation(Exception ex) => ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>A session-level advisory lock: PostgreSQL frees it the moment the holder's connection ends (its node died).</summary>
    public override DbConnection? TryLead()
    {
        var connection = Open();
        try
        {
            if (Sql.Scalar<bool>(connection, null, "SELECT pg_try_advisory_lock(@k)", ("@k", LeaderLock)))
                return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        connection.Dispose();
        return null;
    }

    public override MigrationReport Migrate()
    {
        using var connection = Open();
        Sql.Exec(connection, null, "SELECT pg_advisory_lock(@k)", ("@k", MigrationLock));
        try
        {
            return ApplyMigrations(connection, Migrations.Postgres);
        }
        finally
        {
            Sql.Exec(connection, null, "SELECT pg_advisory_unlock(@k)", ("@k", MigrationLock));
        }
    }

    protected override string ColumnExists =>
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t AND column_name = @c";

    /// <summary>Host, port and database of the connection string; never its password.</summary>
    public override string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(_source.ConnectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    public void Dispose() => _source.Dispose();
}
