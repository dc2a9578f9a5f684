using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Herald.Storage.Postgres;

/// <summary>
/// PostgreSQL's share of <see cref="Sql"/>: on the writer's connection, statements whose result nobody reads wait and
/// go out with the next statement in one round trip (an <see cref="NpgsqlBatch"/>), or at <see cref="Flush"/> before
/// COMMIT. Every statement is a round trip to another process there, and a message costs about a dozen. SQLite runs
/// in-process, where a statement costs no round trip, so nothing is ever held back on it.
/// </summary>
internal static class DeferredStatements
{
    private static readonly ConditionalWeakTable<DbConnection, List<(string Sql, (string Name, object? Value)[] Args)>> s_held = [];

    /// <summary>Lets statements be held back on this connection, if it is PostgreSQL's.</summary>
    public static void Allow(DbConnection connection)
    {
        if (connection is NpgsqlConnection)
            s_held.AddOrUpdate(connection, []);
    }

    /// <summary>Holds the statement back when the connection allows it; false when it must run now.</summary>
    public static bool TryHold(DbConnection connection, string sql, (string, object?)[] args)
    {
        if (!s_held.TryGetValue(connection, out var held))
            return false;
        held.Add((sql, args));
        return true;
    }

    /// <summary>True when statements wait on this connection: the next one must go with them, as a batch.</summary>
    public static bool AnyHeld(DbConnection connection) => s_held.TryGetValue(connection, out var held) && held.Count > 0;

    /// <summary>Sends the statements held back, if any.</summary>
    public static void Flush(DbConnection connection, DbTransaction? tx)
    {
        if (AnyHeld(connection))
        {
            using var batch = WithHeld(connection, tx, null, []);
            batch.ExecuteNonQuery();
        }
    }

    /// <summary>Drops the statements held back: their transaction or savepoint is being rolled back.</summary>
    public static void Discard(DbConnection connection)
    {
        if (s_held.TryGetValue(connection, out var held))
            held.Clear();
    }

    /// <summary>
    /// The held-back statements, then <paramref name="sql"/> when given, as one batch (its last command is
    /// <paramref name="sql"/>; the held-back ones return no rows, so a reader's first result set is its). The
    /// held-back list is emptied.
    /// </summary>
    public static DbBatch WithHeld(DbConnection connection, DbTransaction? tx, string? sql, (string Name, object? Value)[] args)
    {
        var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction?)tx);
        if (s_held.TryGetValue(connection, out var held))
        {
            foreach (var (text, values) in held)
                batch.BatchCommands.Add(Command(text, values));
            held.Clear(); // also when the batch fails: its transaction is lost then, and the writer rolls it back
        }
        if (sql is not null)
            batch.BatchCommands.Add(Command(sql, args));
        return batch;
    }

    private static NpgsqlBatchCommand Command(string sql, (string Name, object? Value)[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in args)
            command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        return command;
    }
}
