namespace Herald.Storage;

/// <summary>
/// How far each business's callbacks are behind: pending events and when the oldest was created. Read for the metrics
/// only, at most every few seconds (see OutboxGauges): per business the count walks the pending index (never the
/// table) and the oldest is one probe of it, as the dispatcher finds due businesses.
/// </summary>
public sealed class OutboxBacklog(Database database)
{
    public List<(string BusinessId, long Pending, DateTimeOffset? Oldest)> Read()
    {
        using var c = database.Read();
        return Sql.Query(c, null, """
            SELECT b.id,
                   (SELECT COUNT(*) FROM outbox o WHERE o.business_id = b.id AND o.sent_at IS NULL AND o.abandoned_at IS NULL),
                   (SELECT o.created_at FROM outbox o WHERE o.business_id = b.id AND o.sent_at IS NULL AND o.abandoned_at IS NULL
                    ORDER BY o.seq LIMIT 1)
            FROM businesses b
            """, r => (r.GetString(0), r.GetInt64(1), Sql.Time(r, 2)));
    }
}
