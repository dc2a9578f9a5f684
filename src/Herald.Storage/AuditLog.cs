using System.Data.Common;

namespace Herald.Storage;

/// <summary>
/// Operator (and Console account) actions, written in the same transaction as the action itself: an action that happened is audited,
/// and an audit row never describes something that did not happen.
/// </summary>
public sealed class AuditLog(Database database, Writer writer)
{
    /// <summary>An entry for something that changed nothing else (a sign-in, a refused attempt).</summary>
    public Task Record(AuditEntry entry) => writer.Write((c, tx) =>
    {
        Append(c, tx, entry);
        return 1;
    });

    public static void Append(DbConnection c, DbTransaction tx, AuditEntry entry) =>
        Sql.Exec(c, tx, "INSERT INTO audit_log (at, actor, action, target, details) VALUES (@at,@actor,@action,@target,@details)",
            ("@at", Sql.Ms(entry.At)), ("@actor", entry.Actor), ("@action", entry.Action), ("@target", entry.Target), ("@details", entry.Details));

    /// <summary>Newest first; <paramref name="before"/> pages back. Each filter given must match exactly.</summary>
    public List<AuditRecord> List(int limit, long? before, AuditFilter? filter = null)
    {
        var args = new List<(string, object?)> { ("@before", before ?? long.MaxValue), ("@n", limit) };
        var where = "seq < @before";
        foreach (var (column, value) in new[] { ("actor", filter?.Actor), ("action", filter?.Action), ("target", filter?.Target) })
            if (value is not null)
            {
                where += $" AND {column}=@{column}";
                args.Add(($"@{column}", value));
            }
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT seq, at, actor, action, target, details FROM audit_log WHERE {where} ORDER BY seq DESC LIMIT @n",
            r => new AuditRecord(r.GetInt64(0), Sql.Time(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.GetString(4), Sql.Str(r, 5)),
            [.. args]);
    }
}

public sealed record AuditFilter(string? Actor, string? Action, string? Target);

/// <param name="Details">JSON of what changed; never a secret</param>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Target, string? Details = null);

public sealed record AuditRecord(long Seq, DateTimeOffset At, string Actor, string Action, string Target, string? Details);
