using System.Security.Cryptography;
using Herald.Core.Privacy;
using Microsoft.Data.Sqlite;

namespace Herald.Storage.Sqlite;

/// <summary>What a backup file holds, as read back from it.</summary>
/// <param name="WaitingMessages">messages whose content waits for a device: encrypted with the content key</param>
/// <param name="PendingCallbacks">callback events not yet acknowledged: their payloads are encrypted with the content key too</param>
public sealed record BackupSummary(string File, long Bytes, int WaitingMessages, int PendingCallbacks, string LastMigration);

/// <summary>A backup or restore that cannot be done, with the reason for the operator and the exit code to give.</summary>
public sealed class BackupException(string message, bool refused) : Exception(message)
{
    /// <summary>True when the files are there but the request is refused (e.g. a database would be overwritten).</summary>
    public bool Refused { get; } = refused;
}

/// <summary>
/// Copies of the embedded database. A backup uses SQLite's online backup API (<c>sqlite3_backup</c>, through
/// <see cref="SqliteConnection.BackupDatabase(SqliteConnection)"/>) in one step, which reads the database inside one
/// read transaction: the copy is the database as of one commit, while the node, in WAL mode, goes on writing. It
/// copies pages as they are, so it costs a sequential read of the file and no rebuild (VACUUM INTO would rebuild every
/// table and index, more CPU on the node's machine for a smaller file). Content stays as it is in the database:
/// encrypted with the content key, which the copy does not contain.
/// </summary>
public static class SqliteBackup
{
    public const string DatabaseFile = "herald.db";

    public static BackupSummary Backup(string dataDirectory, string destination, bool overwrite)
    {
        var source = Path.Combine(dataDirectory, DatabaseFile);
        if (!File.Exists(source))
            throw new BackupException($"There is no Herald database at {Path.GetFullPath(source)}. Give the node's data directory with --data " +
                "(herald backup copies the embedded SQLite store; for PostgreSQL see docs/operations.md).", refused: false);
        if (File.Exists(destination) && !overwrite)
            throw new BackupException($"{destination} already exists; give another file, or --force to replace it.", refused: true);
        var partial = destination + ".partial"; // renamed when complete and checked, so a file by the given name is always a whole backup
        File.Delete(partial);
        using (var from = Connect(source, SqliteOpenMode.ReadWrite)) // ReadWrite (never Create): a WAL reader may need to set up the -shm
        using (var to = Connect(partial, SqliteOpenMode.ReadWriteCreate))
        {
            from.BackupDatabase(to);
            // The pages say WAL, as the node's do; a backup is one self-contained file, so it goes back to a rollback journal.
            Execute(to, "PRAGMA journal_mode=DELETE;");
        }
        var summary = Inspect(partial);
        File.Move(partial, destination, overwrite);
        return summary with { File = Path.GetFullPath(destination) };
    }

    /// <summary>
    /// Reads a backup and throws <see cref="BackupException"/> unless it is a sound Herald database this program can
    /// run: SQLite's integrity_check passes, and its schema_migrations are all known to this program with their checksums.
    /// </summary>
    public static BackupSummary Inspect(string file)
    {
        if (!File.Exists(file))
            throw new BackupException($"There is no file {file}.", refused: false);
        try
        {
            using var connection = Connect(file, SqliteOpenMode.ReadOnly);
            var integrity = Sql.Query(connection, null, "PRAGMA integrity_check", r => r.GetString(0));
            if (integrity is not ["ok"])
                throw new BackupException($"{file} is damaged (SQLite integrity_check: {string.Join("; ", integrity.Take(3))}).", refused: true);
            if (Sql.Scalar<long>(connection, null, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") == 0)
                throw new BackupException($"{file} is an SQLite database but not a Herald one (it has no schema_migrations table).", refused: true);
            var hasChecksums = Sql.Scalar<long>(connection, null, "SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'") > 0;
            var applied = Migrations.Verify(connection, Migrations.Known(Migrations.Sqlite), hasChecksums, file);
            return new BackupSummary(Path.GetFullPath(file), new FileInfo(file).Length,
                (int)Sql.Scalar<long>(connection, null, "SELECT COUNT(*) FROM messages WHERE content IS NOT NULL"),
                (int)Sql.Scalar<long>(connection, null, "SELECT COUNT(*) FROM outbox WHERE payload IS NOT NULL"),
                applied.Keys.Max(StringComparer.Ordinal) ?? "none");
        }
        catch (SqliteException ex)
        {
            throw new BackupException($"{file} is not a readable SQLite database ({ex.Message}).", refused: true);
        }
        catch (IncompatibleDatabaseException ex)
        {
            throw new BackupException(ex.Message, refused: true);
        }
    }

    /// <summary>
    /// Whether <paramref name="key"/> opens the backup's encrypted rows (one waiting message, else one pending
    /// callback); null when nothing in it is encrypted, so any key will do.
    /// </summary>
    public static bool? KeyOpens(string file, byte[] key)
    {
        using var connection = Connect(file, SqliteOpenMode.ReadOnly);
        var sample = Sql.Query(connection, null, "SELECT id, content FROM messages WHERE content IS NOT NULL LIMIT 1", r => (r.GetString(0), (byte[])r.GetValue(1)))
            .Concat(Sql.Query(connection, null, "SELECT event_id, payload FROM outbox WHERE payload IS NOT NULL LIMIT 1", r => (r.GetString(0), (byte[])r.GetValue(1))))
            .FirstOrDefault();
        if (sample == default)
            return null;
        try
        {
            new ContentCipher(key).Decrypt(sample.Item2, sample.Item1);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// Puts a checked backup in place as the data directory's database. Refuses to replace an existing database
    /// unless <paramref name="overwrite"/>; the node on that directory must be stopped.
    /// </summary>
    public static BackupSummary Restore(string backupFile, string dataDirectory, bool overwrite)
    {
        var summary = Inspect(backupFile);
        var target = Path.Combine(dataDirectory, DatabaseFile);
        if (File.Exists(target) && !overwrite)
            throw new BackupException($"{Path.GetFullPath(target)} already holds a database. Stop its node and add --force to replace it, " +
                "or restore into an empty data directory.", refused: true);
        Directory.CreateDirectory(dataDirectory);
        var partial = target + ".restoring";
        File.Copy(backupFile, partial, overwrite: true);
        // A WAL left by the replaced database would be replayed onto the restored one at the next open, corrupting it.
        foreach (var stale in new[] { target + "-wal", target + "-shm", target + "-journal" })
            File.Delete(stale);
        File.Move(partial, target, overwrite: true);
        return summary with { File = Path.GetFullPath(target) };
    }

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        // No pooling: the files are renamed and copied right after, with no handle left open on them.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
