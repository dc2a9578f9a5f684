using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Herald.Storage.Sqlite;

/// <summary>
/// The embedded database: one file in WAL mode, migrations applied at open, all connection settings in one place.
/// Reads open pooled connections freely (WAL lets them run beside the writer); every write goes through
/// <see cref="SqliteWriter"/>, the single writer that group-commits.
/// </summary>
public sealed class SqliteDatabase
{
    private const int MaxIdleReaders = 32;
    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteConnection> _readers = [];

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

    /// <summary>
    /// A connection for reads, from Herald's own small pool: connections stay open with their prepared statements
    /// (see <see cref="Sql"/>), which a pool of fresh SqliteConnection objects would throw away on every read.
    /// </summary>
    public ReadLease Read() => new(this, _readers.TryTake(out var connection) ? connection : Open());

    internal void Return(SqliteConnection connection)
    {
        if (_readers.Count < MaxIdleReaders)
            _readers.Add(connection);
        else
            connection.Dispose();
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // synchronous=FULL: a commit is on disk before the 202 goes out; group commit pays for the fsync.
        // secure_delete: freed pages are zeroed, so purged ciphertext does not linger in the file.
        Execute(connection, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;");
        return connection;
    }

    /// <summary>Creates the file if needed, switches it to WAL and applies the migrations not applied yet.</summary>
    public void Migrate()
    {
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);");
        var applied = new HashSet<string>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT name FROM schema_migrations";
            using var reader = read.ExecuteReader();
            while (reader.Read())
                applied.Add(reader.GetString(0));
        }

        var assembly = Assembly.GetExecutingAssembly();
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Sqlite.Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var resource in scripts)
        {
            var name = resource[(resource.IndexOf(".Migrations.", StringComparison.Ordinal) + 12)..];
            if (applied.Contains(name))
                continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var text = new StreamReader(stream);
            using var tx = connection.BeginTransaction();
            Execute(connection, text.ReadToEnd(), tx);
            using var mark = connection.CreateCommand();
            mark.Transaction = tx;
            mark.CommandText = "INSERT INTO schema_migrations (name, applied_at) VALUES ($n, $t)";
            mark.Parameters.AddWithValue("$n", name);
            mark.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            mark.ExecuteNonQuery();
            tx.Commit();
        }
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>A read connection on loan; disposing it gives it back. Converts to the connection it lends.</summary>
public sealed class ReadLease(SqliteDatabase database, SqliteConnection connection) : IDisposable
{
    public SqliteConnection Connection { get; } = connection;

    public static implicit operator SqliteConnection(ReadLease lease) => lease.Connection;

    public void Dispose() => database.Return(Connection);
}
