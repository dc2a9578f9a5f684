using System.Runtime.CompilerServices;
using System.Data.Common;
using Herald.Storage.Postgres;
using Herald.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Storage;

/// <summary>
/// Small helpers that keep the stores' ADO.NET to one line per statement. Commands are cached per connection by
/// their SQL, so a statement is prepared once per connection instead of on every call (preparing costs as much as
/// running a small statement, and the writer runs a dozen per message).
/// The SQL is written once for both engines: named @parameters, ON CONFLICT upserts, and a parameter that may be
/// NULL in a test like "@p IS NULL" is written CAST(@p AS TEXT), because PostgreSQL needs to know its type.
/// On the writer's PostgreSQL connection, statements whose result nobody reads (<see cref="Defer"/>) wait and go out
/// with the next statement in one round trip: <see cref="DeferredStatements"/>, the engine's own code.
/// </summary>
internal static class Sql
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> s_commands = [];

    /// <summary>
    /// A statement whose outcome (rows affected) nobody reads: on a connection given to <see cref="DeferredStatements.Allow"/> it is sent
    /// with the next statement; elsewhere at once. Should it fail, the failure shows at that next statement, maybe
    /// another work item's; the writer then reruns the batch item by item, flushing each before its savepoint is
    /// released, so the failure lands on the item that caused it.
    /// </summary>
    public static void Defer(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] args)
    {
        if (!DeferredStatements.TryHold(connection, sql, args))
            Exec(connection, tx, sql, args);
    }

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
        if (connection is SqliteConnection sqlite && SqliteStatements.TryExec(sqlite, tx, sql, args, out var changes))
            return changes;
        if (!DeferredStatements.AnyHeld(connection))
            return Command(connection, tx, sql, args).ExecuteNonQuery();
        using var batch = DeferredStatements.WithHeld(connection, tx, sql, args);
        batch.ExecuteNonQuery();
        return batch.BatchCommands[^1].RecordsAffected;
    }

    public static T? Scalar<T>(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] args)
    {
        // Query knows both engines' fast paths (SQLite's C API, PostgreSQL's held statements); ExecuteScalar only Npgsql's plain one.
        var value = connection is SqliteConnection || DeferredStatements.AnyHeld(connection)
            ? Query(connection, tx, sql, r => r.GetValue(0), args).FirstOrDefault()
            : Command(connection, tx, sql, args).ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static List<T> Query<T>(DbConnection connection, DbTransaction? tx, string sql, Func<DbDataReader, T> map, params (string, object?)[] args)
    {
        if (connection is SqliteConnection sqlite && SqliteStatements.TryQuery(sqlite, tx, sql, args, map, out var found))
            return found;
        using var batch = DeferredStatements.AnyHeld(connection) ? DeferredStatements.WithHeld(connection, tx, sql, args) : null;
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
