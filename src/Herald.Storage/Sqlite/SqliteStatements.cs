using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Herald.Storage.Sqlite;

/// <summary>
/// <see cref="Sql.Exec"/>, <see cref="Sql.Query"/> and <see cref="Sql.Scalar"/> on SQLite, straight on the prepared
/// statements of SQLite's own C API (SQLitePCLRaw, the layer Microsoft.Data.Sqlite itself runs on). Microsoft.Data.Sqlite's
/// command makes a data reader, a binder per parameter and a UTF-8 copy of every string on each run; the writer runs
/// several statements per message, and those objects were about a seventh of what Herald allocated per message
/// (bench/README.md). The rules stay Microsoft.Data.Sqlite's: every parameter of the SQL must be given, strings are
/// TEXT, integers and booleans INTEGER, byte arrays BLOB, null NULL, an error is a <see cref="SqliteException"/> with
/// SQLite's codes. Anything else (another value type, several statements in one text, a database busy with another
/// process, whose retries Microsoft.Data.Sqlite handles, a transaction SQLite already ended) goes the usual way.
/// </summary>
internal static class SqliteStatements
{
    private const int SqliteOk = 0, SqliteBusy = 5, SqliteLocked = 6, SqliteRow = 100, SqliteDone = 101;
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, Statement?>> s_statements = [];

    /// <summary>Runs <paramref name="sql"/>; false when it must go through Microsoft.Data.Sqlite instead (nothing was run).</summary>
    public static bool TryExec(SqliteConnection connection, DbTransaction? tx, string sql, (string Name, object? Value)[] args, out int changes)
    {
        changes = 0;
        if (Start(connection, tx, sql, args) is not { } statement)
            return false;
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(statement.Handle)) == SqliteRow)
            {
            }
            if (rc != SqliteDone)
                return Failed(connection, rc, nothingDone: true);
            changes = statement.ReadOnly ? -1 : raw.sqlite3_changes(connection.Handle!);
            return true;
        }
        finally
        {
            statement.End();
        }
    }

    /// <summary>Runs the query and maps each row; false when it must go through Microsoft.Data.Sqlite instead (nothing was read).</summary>
    public static bool TryQuery<T>(SqliteConnection connection, DbTransaction? tx, string sql, (string Name, object? Value)[] args, Func<DbDataReader, T> map, out List<T> rows)
    {
        rows = [];
        if (Start(connection, tx, sql, args) is not { } statement)
            return false;
        try
        {
            var reader = new StatementReader(statement.Handle);
            int rc;
            while ((rc = raw.sqlite3_step(statement.Handle)) == SqliteRow)
                rows.Add(map(reader));
            return rc == SqliteDone || Failed(connection, rc, nothingDone: rows.Count == 0);
        }
        finally
        {
            statement.End();
        }
    }

    /// <summary>The connection's statement for this text with the arguments bound, or null to go the usual way.</summary>
    private static Statement? Start(SqliteConnection connection, DbTransaction? tx, string sql, (string Name, object? Value)[] args)
    {
        if (connection.State != ConnectionState.Open)
            return null;
        // A transaction SQLite already rolled back by itself (after SQLITE_FULL, say): Microsoft.Data.Sqlite refuses
        // the statement, where running it here would commit it on its own.
        if (tx is not null && raw.sqlite3_get_autocommit(connection.Handle!) != 0)
            return null;
        // In use: a row mapper running the same text again (never done today) gets a statement of its own there.
        if (Find(connection, sql) is not { InUse: false } statement)
            return null;
        for (var i = 0; i < statement.Parameters.Length; i++)
        {
            if (!Bind(statement.Handle, i + 1, statement.Parameters[i], args))
            {
                raw.sqlite3_reset(statement.Handle);
                return null;
            }
        }
        statement.InUse = true;
        return statement;
    }

    /// <summary>
    /// A step that failed: false (go the usual way) when another process holds the database and nothing was done yet,
    /// since Microsoft.Data.Sqlite waits for it up to its timeout; else the error, as Microsoft.Data.Sqlite throws it.
    /// </summary>
    private static bool Failed(SqliteConnection connection, int rc, bool nothingDone)
    {
        if (rc is SqliteBusy or SqliteLocked && nothingDone)
            return false;
        var db = connection.Handle!;
        throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(db));
    }

    private static bool Bind(sqlite3_stmt stmt, int index, string name, (string Name, object? Value)[] args)
    {
        foreach (var (argName, value) in args)
        {
            if (!string.Equals(argName, name, StringComparison.Ordinal))
                continue;
            var rc = value switch
            {
                null or DBNull => raw.sqlite3_bind_null(stmt, index),
                string s => raw.sqlite3_bind_text16(stmt, index, s.AsSpan()),
                long l => raw.sqlite3_bind_int64(stmt, index, l),
                int n => raw.sqlite3_bind_int64(stmt, index, n),
                bool b => raw.sqlite3_bind_int64(stmt, index, b ? 1 : 0),
                byte[] bytes => raw.sqlite3_bind_blob(stmt, index, bytes),
                double d => raw.sqlite3_bind_double(stmt, index, d),
                _ => -1,
            };
            return rc == SqliteOk;
        }
        // Missing: Microsoft.Data.Sqlite says which parameter ("Must add values for the following parameters").
        return false;
    }

    /// <summary>The connection's prepared statement for this text; null when it cannot be one (remembered when the text holds several).</summary>
    private static Statement? Find(SqliteConnection connection, string sql)
    {
        var cache = s_statements.GetValue(connection, Track);
        if (cache.TryGetValue(sql, out var statement))
            return statement;
        statement = null;
        if (raw.sqlite3_prepare_v2(connection.Handle!, sql, out var stmt, out var tail) == SqliteOk && !stmt.IsInvalid)
        {
            if (string.IsNullOrWhiteSpace(tail))
            {
                var parameters = new string[raw.sqlite3_bind_parameter_count(stmt)];
                for (var i = 0; i < parameters.Length; i++)
                    parameters[i] = raw.sqlite3_bind_parameter_name(stmt, i + 1).utf8_to_string();
                statement = new Statement(stmt, parameters, raw.sqlite3_stmt_readonly(stmt) != 0);
            }
            else
            {
                stmt.Dispose();
            }
        }
        else
        {
            stmt?.Dispose(); // SQLite could not prepare it (yet: a table a migration adds): Microsoft.Data.Sqlite reports the error
            return null;
        }
        cache[sql] = statement;
        return statement;
    }

    /// <summary>A new cache for the connection, emptied (its statements finalized) when the connection closes.</summary>
    private static Dictionary<string, Statement?> Track(SqliteConnection connection)
    {
        var cache = new Dictionary<string, Statement?>(StringComparer.Ordinal);
        connection.StateChange += (_, e) =>
        {
            if (e.CurrentState != ConnectionState.Closed)
                return;
            foreach (var statement in cache.Values)
                statement?.Handle.Dispose();
            cache.Clear();
        };
        return cache;
    }

    private sealed class Statement(sqlite3_stmt handle, string[] parameters, bool readOnly)
    {
        public sqlite3_stmt Handle { get; } = handle;
        public string[] Parameters { get; } = parameters;
        public bool ReadOnly { get; } = readOnly;
        public bool InUse { get; set; }

        public void End()
        {
            raw.sqlite3_reset(Handle);
            InUse = false;
        }
    }
}
