using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Herald.Core.Telemetry;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Herald.Storage;

/// <summary>
/// Counts database errors by kind (<c>herald.db.errors</c>). They are caught where they are first thrown, process
/// wide, so every store, the writer, the leader election and the health checks are covered without a line in each;
/// an exception object is counted once however many awaits rethrow it. Costs nothing until something throws.
/// </summary>
public static class DatabaseErrors
{
    private static readonly Counter<long> s_errors = HeraldTelemetry.Meter.CreateCounter<long>(
        "herald.db.errors", "{error}", "Database errors, by kind: unavailable, timeout, disk_full, busy, constraint, other");

    private static readonly ConditionalWeakTable<Exception, object> s_counted = [];
    private static int s_watching;

    /// <summary>Starts counting (once per process; later calls do nothing).</summary>
    public static void Watch()
    {
        if (Interlocked.Exchange(ref s_watching, 1) == 0)
            AppDomain.CurrentDomain.FirstChanceException += (_, e) => Count(e.Exception);
    }

    private static void Count(Exception ex)
    {
        if (ex is not DbException db || !s_errors.Enabled || !s_counted.TryAdd(ex, s_counted))
            return;
        s_errors.Add(1, new KeyValuePair<string, object?>("kind", Classify(db)));
    }

    /// <summary>A short, stable name for what went wrong, for metrics and logs.</summary>
    public static string Classify(DbException ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 13 } => "disk_full",            // SQLITE_FULL
        SqliteException { SqliteErrorCode: 5 or 6 } => "busy",              // SQLITE_BUSY, SQLITE_LOCKED
        SqliteException { SqliteErrorCode: 19 } => "constraint",            // SQLITE_CONSTRAINT
        SqliteException { SqliteErrorCode: 10 or 14 } => "unavailable",     // SQLITE_IOERR, SQLITE_CANTOPEN
        PostgresException { SqlState: "53100" } => "disk_full",
        PostgresException { SqlState: "57014" } => "timeout",               // query_canceled (statement timeout)
        PostgresException p when p.SqlState.StartsWith("23", StringComparison.Ordinal) => "constraint",
        PostgresException p when p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || p.SqlState.StartsWith("53", StringComparison.Ordinal) => "unavailable", // connection, shutdown, resources
        PostgresException { SqlState: "40001" or "40P01" or "55P03" } => "busy", // serialization, deadlock, lock not available
        NpgsqlException { InnerException: TimeoutException } => "timeout",
        NpgsqlException => "unavailable", // no PostgreSQL answer at all: refused, reset, broken stream
        _ => "other",
    };
}
