using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Herald.Storage.Postgres;

/// <summary>
/// PostgreSQL's share of <see cref="Sql"/>: on the writer's connection, statements whose result nobody reads wait and
/// go out with the next statement in one round trip (an <see cref="NpgsqlBatch"/>), or at <see cref="Flush"/> before
/// COMMIT. Every statement is a round trip to another process there, and a message costs about a dozen. SQLite runs
/// in-process, where a statement costs no round trip, so nothing is ever held back on it.
/// A read may wait too (<see cref="TryHoldRead"/>): its rows go to its continuation when the batch returns, so the
/// reads of several work items in a row (each accept reads its recipient) share one round trip. Order is kept: a
/// statement that must run now, or a write held after a waiting read, first sends the reads and runs their
/// continuations, so whatever those write goes before it.
/// </summary>
internal static class DeferredStatements
{
    private static readonly ConditionalWeakTable<DbConnection, Held> s_held = [];

    /// <summary>Lets statements be held back on this connection, if it is PostgreSQL's.</summary>
    public static void Allow(DbConnection connection)
    {
        if (connection is NpgsqlConnection)
            s_held.AddOrUpdate(connection, new Held());
    }

    /// <summary>Holds the statement back when the connection allows it; false when it must run now.</summary>
    public static bool TryHold(DbConnection connection, DbTransaction? tx, string sql, (string, object?)[] args)
    {
        if (!s_held.TryGetValue(connection, out var held))
            return false;
        ResolveReads(connection, tx); // what a waiting read's continuation writes goes first
        held.Statements.Add(new(sql, args, null));
        return true;
    }

    /// <summary>
    /// Holds a read back when the connection allows it (false: it must run now). <paramref name="read"/> takes its
    /// rows while the batch's reader is open and returns what to do with them once it is closed; that continuation
    /// may hold more statements. They are sent after the reads held behind this one, so use this only for a read
    /// that no other deferred read's continuation writes to (an accept's recipient: consumers and blocks, while the
    /// continuations write messages and events).
    /// </summary>
    public static bool TryHoldRead(DbConnection connection, string sql, (string, object?)[] args, Func<DbDataReader, Action> read)
    {
        if (!s_held.TryGetValue(connection, out var held))
            return false;
        held.Statements.Add(new(sql, args, read));
        held.Reads++;
        return true;
    }

    /// <summary>True when statements wait on this connection: the next one must go with them, as a batch.</summary>
    public static bool AnyHeld(DbConnection connection) => s_held.TryGetValue(connection, out var held) && held.Statements.Count > 0;

    /// <summary>Sends the reads held back, if any, and runs their continuations: a statement about to run now must see what they write.</summary>
    public static void ResolveReads(DbConnection connection, DbTransaction? tx)
    {
        while (s_held.TryGetValue(connection, out var held) && held.Reads > 0)
            Send(connection, tx);
    }

    /// <summary>Sends the statements held back, if any, until none are left (a read's continuation may hold more).</summary>
    public static void Flush(DbConnection connection, DbTransaction? tx)
    {
        while (AnyHeld(connection))
            Send(connection, tx);
    }

    private static void Send(DbConnection connection, DbTransaction? tx)
    {
        var reads = s_held.TryGetValue(connection, out var held) ? held.Statements.Where(s => s.Read is not null).Select(s => s.Read!).ToList() : [];
        using var batch = WithHeld(connection, tx, null, []);
        if (reads.Count == 0)
        {
            batch.ExecuteNonQuery();
            return;
        }
        var continuations = new List<Action>(reads.Count);
        using (var reader = batch.ExecuteReader())
        {
            // Only the reads return rows, so their result sets come in their order.
            foreach (var read in reads)
            {
                continuations.Add(read(reader));
                reader.NextResult();
            }
        }
        foreach (var then in continuations)
            then();
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
    /// held-back list is emptied. Reads must have been resolved first (<see cref="ResolveReads"/>) when
    /// <paramref name="sql"/> is given.
    /// </summary>
    public static DbBatch WithHeld(DbConnection connection, DbTransaction? tx, string? sql, (string Name, object? Value)[] args)
    {
        var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction?)tx);
        if (s_held.TryGetValue(connection, out var held))
        {
            foreach (var statement in held.Statements)
                batch.BatchCommands.Add(Command(statement.Sql, statement.Args));
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

    private sealed record HeldStatement(string Sql, (string Name, object? Value)[] Args, Func<DbDataReader, Action>? Read);

    private sealed class Held
    {
        public List<HeldStatement> Statements { get; } = [];
        public int Reads { get; set; }

        public void Clear()
        {
            Statements.Clear();
            Reads = 0;
        }
    }
}
