using System.Data.Common;
using Npgsql;

namespace Herald.Storage.Postgres;

/// <summary>
/// PostgreSQL, for Herald across several nodes: every node reads and writes the same database, which stays the only
/// source of truth. Connections come from Npgsql's pool; statements used often are prepared automatically.
/// </summary>
public sealed class PostgresDatabase : Database, IDisposable
{
    // Any constant: the advisory lock that makes concurrent starts apply migrations one at a time.
    private const long MigrationLock = 0x4865_7261_6C64_0001;
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
    public override bool Shared => true;

    public override DbConnection Open() => _source.OpenConnection();

    public override bool IsUniqueViolation(Exception ex) => ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override void Migrate()
    {
        using var connection = Open();
        Sql.Exec(connection, null, "SELECT pg_advisory_lock(@k)", ("@k", MigrationLock));
        try
        {
            ApplyMigrations(connection, "Postgres.Migrations");
        }
        finally
        {
            Sql.Exec(connection, null, "SELECT pg_advisory_unlock(@k)", ("@k", MigrationLock));
        }
    }

    public void Dispose() => _source.Dispose();
}
