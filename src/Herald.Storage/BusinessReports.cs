namespace Herald.Storage;

/// <summary>
/// What a business can read about its own traffic, from metadata only: the per-day delivery funnel and the webhook
/// delivery log. Every query is scoped to one business.
/// </summary>
public sealed class BusinessReports(Database database)
{
    private const long DayMs = 86_400_000;

    /// <summary>Per UTC day of acceptance since <paramref name="from"/> (a UTC midnight): what became of the messages. Days without sends are absent.</summary>
    /// <param name="category">only messages of this category (wire name), or all when null</param>
    public List<DayFunnel> DailyFunnel(string businessId, DateTimeOffset from, string? category = null)
    {
        using var c = database.Read();
        // CASE rather than SUM(condition): PostgreSQL does not add up booleans. Counts are bigint there, so read as Int64.
        return Sql.Query(c, null, """
            SELECT accepted_at / @day, COUNT(*),
                   SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN seen_at IS NOT NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status = 'expired' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END)
            FROM messages WHERE business_id = @b AND accepted_at >= @from AND (CAST(@cat AS TEXT) IS NULL OR category = @cat)
            GROUP BY 1
            """, r => new DayFunnel(DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(r.GetInt64(0))),
                (int)r.GetInt64(1), (int)r.GetInt64(2), (int)r.GetInt64(3), (int)r.GetInt64(4), (int)r.GetInt64(5)),
            ("@day", DayMs), ("@b", businessId), ("@from", Sql.Ms(from)), ("@cat", category));
    }

    /// <summary>The business's callback events, newest first, with how their delivery went.</summary>
    public List<DeliveryLogRow> DeliveryLog(string businessId, int limit, long? before)
    {
        using var c = database.Read();
        return Sql.Query(c, null, """
            SELECT seq, event_id, type, message_id, attempts, created_at, next_attempt_at, sent_at, abandoned_at, last_error, webhook_id
            FROM outbox WHERE business_id = @b AND seq < @before ORDER BY seq DESC LIMIT @n
            """, r => new DeliveryLogRow(r.GetInt64(0), r.GetString(1), r.GetString(2), Sql.Str(r, 3), r.GetInt32(4),
                Sql.Time(r.GetInt64(5)), Sql.Time(r.GetInt64(6)), Sql.Time(r, 7), Sql.Time(r, 8), Sql.Str(r, 9), Sql.Str(r, 10)),
            ("@b", businessId), ("@before", before ?? long.MaxValue), ("@n", limit));
    }
}

public sealed record DayFunnel(DateOnly Date, int Accepted, int Delivered, int Seen, int Expired, int Failed);

public sealed record DeliveryLogRow(
    long Seq, string EventId, string Type, string? MessageId, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt, DateTimeOffset? AbandonedAt, string? LastError, string? WebhookId);
