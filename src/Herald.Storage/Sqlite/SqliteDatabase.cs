using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Herald.Storage.Sqlite;

/// <summary>The embedded database: one file in WAL mode, migrations applied at open, all connection settings in one place.</summary>
public sealed class SqliteDatabase : Database
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            DefaultTimeout = 30, // seconds a statement waits on a lock (busy timeout) before it gives up
        }.ToString();
    }

    public string Path { get; }
    public override string MessageOrder => "rowid";
    public override string LockRows => "";
    public override string IntegersOf(string jsonParameter) => $"SELECT value FROM json_each({jsonParameter})";
    public override bool Shared => false;

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // synchronous=FULL: a commit is on disk before the 202 goes out; group commit pays for the fsync.
        // secure_delete: freed pages are zeroed, so purged ciphertext does not linger in the file.
        Execute(connection, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;");
        return connection;
    }

    /// <summary>
    /// The writer keeps 64 MiB of pages (SQLite's default is 2 MiB per connection): an ack updates a row and index
    /// entries accepted moments earlier, and with the small cache most of them had to be read back from the WAL
    /// (3 pread calls per message in the single bench, 1.4 with this).
    /// </summary>
    public override DbConnection OpenForWriter()
    {
        var connection = Open();
        Execute(connection, "PRAGMA cache_size=-65536;");
        return connection;
    }

    public override bool IsUniqueViolation(Exception ex) => ex is SqliteException { SqliteErrorCode: 19 }; // SQLITE_CONSTRAINT

    /// <summary>SQLITE_FULL (13); SQLITE_IOERR (10), SQLITE_BUSY (5) after the busy timeout, SQLITE_LOCKED (6), SQLITE_CANTOPEN (14).</summary>
    protected override StoreFault ClassifyEngine(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 13 } => StoreFault.Full,
        SqliteException { SqliteErrorCode: 5 or 6 or 10 or 14 } => StoreFault.Unavailable,
        _ => StoreFault.None,
    };

    /// <summary>Copies the WAL into the database file and truncates it, so bytes deleted from the database leave the WAL too.</summary>
    internal override void ReclaimDeleted(DbConnection connection) => Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");

    /// <summary>Creates the file if needed, switches it to WAL and applies the migrations not applied yet.</summary>
    public override MigrationReport Migrate()
    {
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        return ApplyMigrations(connection, Migrations.Sqlite);
    }

    protected override string ColumnExists => "SELECT COUNT(*) FROM pragma_table_info(@t) WHERE name = @c";

    public override string Describe() => $"SQLite {System.IO.Path.GetFullPath(Path)}";
}
