using System.Data.Common;
using Herald.Core.Callbacks;
using Herald.Core.Security;
using Herald.Core.Templates;

namespace Herald.Storage;

/// <summary>Message templates and their review by the operator.</summary>
public sealed class TemplateStore(Database database, Writer writer, OutboxStore outbox)
{
    private const string Columns = "id, business_id, name, text, status, reason, created_at, decided_at";

    public Task Insert(Template template) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, $"INSERT INTO templates ({Columns}) VALUES (@id,@b,@name,@text,'pending',NULL,@t,NULL)",
            ("@id", template.Id), ("@b", template.BusinessId), ("@name", template.Name), ("@text", template.Text), ("@t", Sql.Ms(template.CreatedAt))));

    /// <summary>A template, only if it belongs to <paramref name="businessId"/> (null: any business, for the operator).</summary>
    public Template? Get(string id, string? businessId)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {Columns} FROM templates WHERE id=@id AND (CAST(@b AS TEXT) IS NULL OR business_id=@b)", Read,
            ("@id", id), ("@b", businessId)).SingleOrDefault();
    }

    public List<Template> List(string? businessId, string? status)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"""
            SELECT {Columns} FROM templates WHERE (CAST(@b AS TEXT) IS NULL OR business_id=@b) AND (CAST(@s AS TEXT) IS NULL OR status=@s)
            ORDER BY created_at, id LIMIT 1000
            """, Read, ("@b", businessId), ("@s", status));
    }

    /// <summary>
    /// Approves or rejects a pending template and tells its business (<c>template_approved</c> / <c>template_rejected</c>).
    /// Returns the decided template, or null when there is no pending template with that id.
    /// </summary>
    public Task<Template?> Decide(string id, bool approve, string? reason, AuditEntry audit) => writer.Write<Template?>((c, tx) =>
    {
        var template = Sql.Query(c, tx, $"SELECT {Columns} FROM templates WHERE id=@id AND status='pending'", Read, ("@id", id)).SingleOrDefault();
        if (template is null)
            return null;
        var status = approve ? TemplateStatuses.Approved : TemplateStatuses.Rejected;
        Sql.Exec(c, tx, "UPDATE templates SET status=@s, reason=@r, decided_at=@t WHERE id=@id",
            ("@s", status), ("@r", approve ? null : reason), ("@t", Sql.Ms(audit.At)), ("@id", id));
        outbox.Enqueue(c, tx, template.BusinessId, new CallbackEvent
        {
            EventId = Secrets.NewId("evt"),
            Type = approve ? CallbackEventTypes.TemplateApproved : CallbackEventTypes.TemplateRejected,
            TemplateId = id,
            Timestamp = audit.At,
            Reason = approve ? null : reason,
        });
        AuditLog.Append(c, tx, audit);
        return template with { Status = status, Reason = approve ? null : reason, DecidedAt = audit.At };
    });

    private static Template Read(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Sql.Str(r, 5), Sql.Time(r.GetInt64(6)), Sql.Time(r, 7));
}

/// <param name="Status">pending, approved or rejected</param>
public sealed record Template(
    string Id, string BusinessId, string Name, string Text, string Status, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt);
