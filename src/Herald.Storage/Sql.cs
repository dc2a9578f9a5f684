using System.Runtime.CompilerServices;
using System.Data.Common;
using Npgsql;

namespace Herald.Storage;

/// <summary>
/// Small helpers that keep the stores' ADO.NET to one line per statement. Commands are cached per connection by
/// their SQL, so a statement is prepared once per connection instead of on every call (preparing costs as much as
/// running a small statement, and the writer runs a dozen per message).
/// The SQL is written once for both engines: named @parameters, ON CONFLICT upserts, and a parameter that may be
/// NULL in a test like "@p IS NULL" is written CAST(@p AS TEXT), because PostgreSQL needs to know its type.
/// On the writer's PostgreSQL connection, statements whose result nobody reads (<see cref="Defer"/>) wait and go out
/// with the next statement in one round trip (an NpgsqlBatch), or at <see cref="Flush"/> before COMMIT: every
/// statement is a round trip to another process there, and a message costs about a dozen.
/// </summary>
internal static class Sql
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> s_commands = [];
    private static readonly ConditionalWeakTable<DbConnection, List<(string Sql, (string Name, object? Value)[] Args)>> s_deferred = [];

    /// <summary>
    /// Lets <see cref="Defer"/> hold statements back on this connection (PostgreSQL only; SQLite runs in-process, where a
    /// statement costs no round trip). Whoever calls this must <see cref="Flush"/> before COMMIT and <see cref="Discard"/>
    /// on a rollback: the writer does.
    /// </summary>
    public static void DeferOn(DbConnection connection)
    {
        if (connection is NpgsqlConnection)
            s_deferred.AddOrUpdate(connection, []);
    }

    /// <summary>
    /// A statement whose outcome (rows affected) nobody reads: on a connection given to <see cref="DeferOn"/> it is sent
    /// with the next statement; elsewhere at once. Should it fail, the failure shows at that next statement, maybe
    /// another work item's; the writer then reruns the batch item by item, flushing each before its savepoint is
    /// released, so the failure lands on the item that caused it.
    /// </summary>
    public static void Defer(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] args)
    {
        if (s_deferred.TryGetValue(connection, out var pending))
            pending.Add((sql, args));
        else
            Exec(connection, tx, sql, args);
    }

    /// <summary>Sends the statements held back, if any (before COMMIT, or before releasing a savepoint).</summary>
    public static void Flush(DbConnection connection, DbTransaction? tx)
    {
        if (s_deferred.TryGetValue(connection, out var pending) && pending.Count > 0)
        {
            using var batch = Batch((NpgsqlConnection)connection, tx, pending, null, []);
            batch.ExecuteNonQuery();
        }
    }

    /// <summary>Drops the statements held back: their transaction or savepoint is being rolled back.</summary>
    public static void Discard(DbConnection connection)
    {
        if (s_deferred.TryGetValue(connection, out var pending))
            pending.Clear();
    }

    /// <summary>The held-back statements, then <paramref name="sql"/> when given, as one batch; the held-back list is emptied.</summary>
    private static NpgsqlBatch Batch(NpgsqlConnection connection, DbTransaction? tx, List<(string Sql, (string Name, object? Value)[] Args)> pending,
        string? sql, (string Name, object? Value)[] args)
    {
        var batch = new NpgsqlBatch(connection, (NpgsqlTransaction?)tx);
        foreach (var (text, values) in pending)
            batch.BatchCommands.Add(BatchCommand(text, values));
        pending.Clear(); // also when the batch fails: its transaction is lost then, and the writer rolls it back
        if (sql is not null)
            batch.BatchCommands.Add(BatchCommand(sql, args));
        return batch;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, (string Name, object? Value)[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in args)
            command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        return command;
    }

    private static List<(string, (string, object?)[])>? Pending(DbConnection connection) =>
        s_deferred.TryGetValue(connection, out var pending) && pending.Count > 0 ? pending : null;

    public static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cache = s_commands.GetOrCreateValue(connection);
        if (!cache.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in args)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }
            cache[sql] = command;
        }
        command.Transaction = tx;
        // The same parameter objects get new values: a prepared statement keeps its parameters (Npgsql binds a
        // prepared statement to the parameter objects it was prepared with; replacing them reran the old values).
        foreach (var (name, value) in args)
            command.Parameters[name].Value = value ?? DBNull.Value;
        return command;
    }

    public static int Exec(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] args)
    {
        if (Pending(connection) is not { } pending)
            return Command(connection, tx, sql, args).ExecuteNonQuery();
        using var batch = Batch((NpgsqlConnection)connection, tx, pending, sql, args);
        batch.ExecuteNonQuery();
        return batch.BatchCommands[^1].RecordsAffected;
    }

    public static T? Scalar<T>(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] args)
    {
        var value = Pending(connection) is null
            ? Command(connection, tx, sql, args).ExecuteScalar()
            : Query(connection, tx, sql, r => r.GetValue(0), args).FirstOrDefault();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static List<T> Query<T>(DbConnection connection, DbTransaction? tx, string sql, Func<DbDataReader, T> map, params (string, object?)[] args)
    {
        using var batch = Pending(connection) is { } pending ? Batch((NpgsqlConnection)connection, tx, pending, sql, args) : null;
        // The held-back statements return no rows, so the batch's first result set is this query's.
        using var reader = batch is null ? Command(connection, tx, sql, args).ExecuteReader() : batch.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(map(reader));
        return rows;
    }

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    public static DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : Time(r.GetInt64(i));
    public static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    public static byte[]? Bytes(DbDataReader r, int i) => r.IsDBNull(i) ? null : (byte[])r.GetValue(i);
}
