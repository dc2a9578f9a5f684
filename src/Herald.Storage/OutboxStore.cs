using Herald.Core.Callbacks;
using Herald.Core.Privacy;
using System.Data.Common;

namespace Herald.Storage;

/// <summary>
/// The callback outbox. Events are written in the same transaction as the change they report, so none is lost and
/// per message they are in lifecycle order. Payloads are encrypted (a reply's text is content).
/// </summary>
public sealed class OutboxStore(Database database, Writer writer, ContentCipher cipher)
{
    private Action? _eventsWritten;

    /// <summary>
    /// Registers what runs after each commit that added events or queued one again (the server wakes its callback
    /// dispatcher, here and on the other nodes): callers of the stores need not remember to.
    /// </summary>
    public void AfterEventsWritten(Action action) => _eventsWritten = action;

    /// <summary>Adds an event inside the caller's transaction.</summary>
    public void Enqueue(DbConnection c, DbTransaction tx, string businessId, CallbackEvent evt)
    {
        EventsWritten();
        var json = CallbackJson.Event(evt);
        Sql.Defer(c, tx, """
            INSERT INTO outbox (business_id, event_id, message_id, type, payload, created_at, next_attempt_at)
            VALUES (@b,@e,@m,@type,@p,@t,@t)
            """, ("@b", businessId), ("@e", evt.EventId), ("@m", evt.MessageId), ("@type", evt.Type),
            ("@p", cipher.Encrypt(json, evt.EventId)), ("@t", Sql.Ms(evt.Timestamp)));
    }

    /// <summary>Adds an event that reports no other change (a test event), in a transaction of its own.</summary>
    public Task Add(string businessId, CallbackEvent evt) => writer.Write((c, tx) =>
    {
        Enqueue(c, tx, businessId, evt);
        return 0;
    });

    /// <summary>Businesses with a callback URL whose oldest pending event is due.</summary>
    public List<string> DueBusinesses(DateTimeOffset now)
    {
        using var c = database.Read();
        // Per business, one probe of the pending index for its oldest event: the cost follows the number of
        // businesses, not of pending events (a GROUP BY over the pending rows read all of them on every wake-up,
        // which with a million events waiting after a big batch was most of the server's work).
        return Sql.Query(c, null, """
            SELECT b.id FROM businesses b
            WHERE b.callback_url IS NOT NULL
              AND (SELECT o.next_attempt_at FROM outbox o
                   WHERE o.business_id = b.id AND o.sent_at IS NULL AND o.abandoned_at IS NULL
                   ORDER BY o.seq LIMIT 1) <= @now
            """, r => r.GetString(0), ("@now", Sql.Ms(now)));
    }

    /// <summary>Called on the writer's thread by every write that makes an event due.</summary>
    private void EventsWritten()
    {
        if (_eventsWritten is { } action)
            writer.AfterCommit(action);
    }

    private const string PendingColumns = "seq, event_id, payload, attempts, created_at, webhook_id, message_id, type";

    /// <summary>The oldest pending events of one business, in order.</summary>
    public List<PendingEvent> Head(string businessId, int limit)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"""
            SELECT {PendingColumns} FROM outbox
            WHERE business_id=@b AND sent_at IS NULL AND abandoned_at IS NULL ORDER BY seq LIMIT @n
            """, ReadPending, ("@b", businessId), ("@n", limit));
    }

    /// <summary>The pending rows a failed POST carried (all of them, whatever the batch size is now), in order.</summary>
    public List<PendingEvent> Retrying(string businessId, string webhookId)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"""
            SELECT {PendingColumns} FROM outbox
            WHERE business_id=@b AND webhook_id=@w AND sent_at IS NULL AND abandoned_at IS NULL ORDER BY seq
            """, ReadPending, ("@b", businessId), ("@w", webhookId));
    }

    private PendingEvent ReadPending(DbDataReader r)
    {
        var eventId = r.GetString(1);
        // The JSON as stored (CallbackJson): it goes into the POST as it is.
        return new PendingEvent(r.GetInt64(0), eventId, Sql.Str(r, 6), r.GetString(7), cipher.Decrypt((byte[])r.GetValue(2), eventId),
            r.GetInt32(3), Sql.Time(r.GetInt64(4)), Sql.Str(r, 5));
    }

    // Exactly the rows the batch carried, named by seq. Not "pending with seq <= the batch's last": on a shared
    // database seqs are taken at INSERT and commits land in any order, so a row with a smaller seq can commit after
    // the head was read, and a range would mark that unsent row sent (a callback silently lost).
    private string BatchRows => $"business_id=@b AND seq IN ({database.IntegersOf("@seqs")}) AND sent_at IS NULL AND abandoned_at IS NULL";

    private static string SeqList(IReadOnlyCollection<long> seqs) =>
        "[" + string.Join(',', seqs.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    // A reply's text is content: it goes once the webhook has it (or retries ran out). Other events hold only
    // metadata (ids, the number, tracking data) and stay, encrypted, for replay until retention deletes the row.
    private const string DropContent = "payload=CASE WHEN type='reply' THEN NULL ELSE payload END";

    /// <summary>Acknowledged: a reply's text is dropped; the row stays as the delivery log (and for replay).</summary>
    public Task MarkSent(string businessId, IReadOnlyCollection<long> seqs, string webhookId, DateTimeOffset now) =>
        UpdateBatch(businessId, seqs, $"sent_at=@t, {DropContent}, attempts=attempts+1, last_error=NULL, webhook_id=@w", ("@t", Sql.Ms(now)), ("@w", webhookId));

    /// <summary>Records the POST's webhook-id on its rows, so the retry carries the same rows under the same id.</summary>
    public Task MarkFailed(string businessId, IReadOnlyCollection<long> seqs, string webhookId, int attempts, DateTimeOffset nextAttemptAt, string error) =>
        UpdateBatch(businessId, seqs, "attempts=@a, next_attempt_at=@n, last_error=@e, webhook_id=@w",
            ("@a", attempts), ("@n", Sql.Ms(nextAttemptAt)), ("@e", error), ("@w", webhookId));

    /// <summary>Retries ran out: the event stays visible in the delivery log as abandoned, with its last error.</summary>
    public Task Abandon(string businessId, IReadOnlyCollection<long> seqs, DateTimeOffset now, string error) =>
        UpdateBatch(businessId, seqs, $"abandoned_at=@t, {DropContent}, last_error=@e", ("@t", Sql.Ms(now)), ("@e", error));

    /// <summary>
    /// Sends a delivered or abandoned event again, as the business asked: the row becomes pending with fresh attempts
    /// and no webhook-id, so it goes in a new POST under a new <c>webhook-id</c> (the <c>event_id</c> stays).
    /// </summary>
    public Task<ReplayOutcome> Replay(string businessId, string eventId, DateTimeOffset now) => writer.Write((c, tx) =>
    {
        var row = Sql.Query(c, tx, "SELECT sent_at IS NULL AND abandoned_at IS NULL, payload IS NULL FROM outbox WHERE business_id=@b AND event_id=@e",
            r => (Found: true, Pending: r.GetBoolean(0), Gone: r.GetBoolean(1)), ("@b", businessId), ("@e", eventId)).SingleOrDefault();
        if (!row.Found)
            return ReplayOutcome.NotFound;
        if (row.Pending)
            return ReplayOutcome.Pending;
        if (row.Gone)
            return ReplayOutcome.ContentGone;
        Sql.Exec(c, tx, """
            UPDATE outbox SET sent_at=NULL, abandoned_at=NULL, attempts=0, next_attempt_at=@t, last_error=NULL, webhook_id=NULL
            WHERE business_id=@b AND event_id=@e
            """, ("@t", Sql.Ms(now)), ("@b", businessId), ("@e", eventId));
        EventsWritten();
        return ReplayOutcome.Queued;
    });

    private Task UpdateBatch(string businessId, IReadOnlyCollection<long> seqs, string set, params (string, object?)[] values) => writer.Write((c, tx) =>
    {
        Sql.Defer(c, tx, $"UPDATE outbox SET {set} WHERE {BatchRows}", [.. values, ("@b", businessId), ("@seqs", SeqList(seqs))]);
        return 0;
    });
}

/// <param name="Json">the event as it goes out in a POST (<see cref="CallbackJson"/>)</param>
/// <param name="WebhookId">set when a POST that carried the event failed: its retry keeps that id</param>
public sealed record PendingEvent(long Seq, string EventId, string? MessageId, string Type, byte[] Json, int Attempts, DateTimeOffset CreatedAt,
    string? WebhookId = null);

public enum ReplayOutcome
{
    Queued,
    NotFound,
    /// <summary>Still waiting to be delivered: it will be sent anyway.</summary>
    Pending,
    /// <summary>A reply whose text was deleted once the webhook had it.</summary>
    ContentGone,
}
