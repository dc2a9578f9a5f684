using System.Data.Common;
using System.Text;
using System.Text.Json;
using Herald.Core.Businesses;
using Herald.Core.Callbacks;
using Herald.Core.Consumers;
using Herald.Core.Json;
using Herald.Core.Messages;
using Herald.Core.Privacy;
using Herald.Core.Security;
using Herald.Core.Telemetry;

namespace Herald.Storage;

/// <summary>
/// Messages and their statuses. Every status change writes its callback event in the same transaction; content is
/// stored encrypted and set to NULL the moment it is no longer needed.
/// </summary>
public sealed class MessageStore(Database database, Writer writer, OutboxStore outbox, InboxStore inbox, ContentCipher cipher)
{
    private const string StateColumns =
        "id, business_id, to_phone, category, status, reason, accepted_at, expires_at, delivered_at, seen_at, ended_at, campaign_id";

    /// <summary>
    /// Stores accepted messages in one transaction, with the Idempotency-Key's answer when there is one (a key
    /// already used makes the whole call fail with a unique-constraint error, and nothing is stored).
    /// A message the consumer cannot receive (unknown phone, blocked sender, opted out, restricted) fails at once and
    /// its content is never written. Returns, per message, the consumer to notify, or null.
    /// <paramref name="sameTransaction"/> runs in the transaction that inserts the messages, after them: what it writes
    /// commits with them or not at all (a campaign records which recipient got which message this way), and when it
    /// throws, none of the messages is stored.
    /// </summary>
    public Task<string?[]> Accept(IReadOnlyList<NewMessage> messages, IdempotencyRecord? idempotency = null,
        Action<DbConnection, DbTransaction>? sameTransaction = null)
    {
        // Sealed on the caller's thread: the writer is one thread for everybody, so it gets only the SQL to do.
        var sealedMessages = messages.Select(m => (Message: m,
            Content: cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(m.Content, CoreJson.Default.MessageContent), m.Id),
            Tracking: m.TrackingData is null ? null : cipher.Encrypt(Encoding.UTF8.GetBytes(m.TrackingData), TrackingAad(m.Id)))).ToList();
        return writer.WriteCounted((c, tx, tally) =>
        {
            if (idempotency is not null)
                IdempotencyStore.Insert(c, tx, idempotency);
            var consumers = new string?[sealedMessages.Count];
            for (var i = 0; i < sealedMessages.Count; i++)
                consumers[i] = AcceptInTransaction(c, tx, sealedMessages[i].Message, sealedMessages[i].Content, sealedMessages[i].Tracking, tally);
            sameTransaction?.Invoke(c, tx);
            return consumers;
        });
    }

    private string? AcceptInTransaction(DbConnection c, DbTransaction tx, NewMessage m, byte[] content, byte[]? tracking, LifecycleTally tally)
    {
        var consumer = Sql.Query(c, tx, """
            SELECT c.id, c.business_messages, c.promotional, c.restricted_at IS NOT NULL,
                   EXISTS (SELECT 1 FROM blocks b WHERE b.consumer_id = c.id AND b.business_id = @b)
            FROM consumers c WHERE c.phone=@p
            """, r => (Id: r.GetString(0), Preferences: new ConsumerPreferences(r.GetBoolean(1), r.GetBoolean(2), r.GetBoolean(3), r.GetBoolean(4))),
            ("@p", m.To), ("@b", m.BusinessId)).SingleOrDefault();
        var refusal = consumer.Id is null ? FailureReason.NotRegistered : consumer.Preferences.Refusal(m.Category);
        tally.Add(MessageStatus.Accepted, m.Category);
        if (refusal is { } reason)
        {
            tally.Add(MessageStatus.Failed, m.Category, reason);
            Sql.Defer(c, tx, """
                INSERT INTO messages (id, business_id, to_phone, consumer_id, category, status, reason, tracking, accepted_at, expires_at, ended_at, campaign_id)
                VALUES (@id,@b,@to,@c,@cat,'failed',@reason,@tr,@t,@exp,@t,@camp)
                """, ("@id", m.Id), ("@b", m.BusinessId), ("@to", m.To), ("@c", consumer.Id), ("@cat", WireNames.Of(m.Category)),
                ("@reason", WireNames.Of(reason)), ("@tr", tracking), ("@t", Sql.Ms(m.AcceptedAt)), ("@exp", Sql.Ms(m.ExpiresAt)), ("@camp", m.CampaignId));
            outbox.Enqueue(c, tx, m.BusinessId, Event(CallbackEventTypes.Failed, m.Id, m.Category, m.To, m.AcceptedAt, m.TrackingData, WireNames.Of(reason), m.CampaignId));
            return null;
        }

        Sql.Defer(c, tx, """
            INSERT INTO messages (id, business_id, to_phone, consumer_id, category, status, tracking, content, accepted_at, expires_at, campaign_id)
            VALUES (@id,@b,@to,@c,@cat,'accepted',@tr,@content,@t,@exp,@camp)
            """, ("@id", m.Id), ("@b", m.BusinessId), ("@to", m.To), ("@c", consumer.Id), ("@cat", WireNames.Of(m.Category)),
            ("@tr", tracking), ("@content", content), ("@t", Sql.Ms(m.AcceptedAt)), ("@exp", Sql.Ms(m.ExpiresAt)), ("@camp", m.CampaignId));
        return consumer.Id;
    }

    /// <summary>
    /// Fails every message still waiting for a consumer (erasure, restriction; or only one sender's, for a block)
    /// and drops the content held for them.
    /// Adds the businesses that got events to <paramref name="businesses"/>.
    /// </summary>
    internal void FailWaiting(DbConnection c, DbTransaction tx, string consumerId, FailureReason reason, DateTimeOffset now,
        HashSet<string> businesses, LifecycleTally tally, string? onlyFrom = null)
    {
        var waiting = Sql.Query(c, tx, "SELECT id, business_id, to_phone, tracking, category, campaign_id FROM messages WHERE consumer_id=@c AND status='accepted' AND (CAST(@b AS TEXT) IS NULL OR business_id=@b)",
            r => (Id: r.GetString(0), Business: r.GetString(1), To: r.GetString(2), Tracking: Sql.Bytes(r, 3), Category: WireNames.ParseCategory(r.GetString(4)), Campaign: Sql.Str(r, 5)),
            ("@c", consumerId), ("@b", onlyFrom));
        foreach (var m in waiting)
        {
            if (Sql.Exec(c, tx, "UPDATE messages SET status='failed', reason=@r, ended_at=@t WHERE id=@id AND status='accepted'",
                    ("@r", WireNames.Of(reason)), ("@t", Sql.Ms(now)), ("@id", m.Id)) == 0)
                continue; // acknowledged on another node since the read
            tally.Add(MessageStatus.Failed, m.Category, reason);
            outbox.Enqueue(c, tx, m.Business, Event(CallbackEventTypes.Failed, m.Id, m.Category, m.To, now, DecryptTracking(m.Tracking, m.Id), WireNames.Of(reason), m.Campaign));
            businesses.Add(m.Business);
        }
        foreach (var id in Sql.Query(c, tx, "SELECT id FROM messages WHERE consumer_id=@c AND content IS NOT NULL AND (CAST(@b AS TEXT) IS NULL OR business_id=@b)",
                     r => r.GetString(0), ("@c", consumerId), ("@b", onlyFrom)))
            PurgeContent(c, tx, id);
    }

    /// <summary>
    /// A consumer's reply to a two-way sender goes where the business chose (<see cref="ReplyDestinations"/>): a
    /// <c>reply</c> event for its webhook and/or a row in its inbox. The text lives only there, encrypted, until each
    /// destination has it. <paramref name="inReplyTo"/>, when given, must be a message this
    /// sender sent this consumer.
    /// </summary>
    public Task<ReplyOutcome> Reply(string consumerId, string phone, string businessId, string? inReplyTo, string text, string eventId, DateTimeOffset now) =>
        writer.Write((c, tx) =>
        {
            var sender = Sql.Query(c, tx, "SELECT two_way, replies_to FROM businesses WHERE id=@b",
                r => (TwoWay: (bool?)r.GetBoolean(0), RepliesTo: r.GetString(1)), ("@b", businessId)).SingleOrDefault();
            if (sender.TwoWay is null)
                return ReplyOutcome.UnknownSender;
            if (sender.TwoWay == false)
                return ReplyOutcome.OneWaySender;
            var restricted = Sql.Query(c, tx, "SELECT restricted_at IS NOT NULL FROM consumers WHERE id=@c", r => (bool?)r.GetBoolean(0), ("@c", consumerId)).SingleOrDefault();
            if (restricted is null)
                return ReplyOutcome.ConsumerGone; // erased while a connection was still open
            if (restricted == true)
                return ReplyOutcome.Restricted;
            if (inReplyTo is not null && Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM messages WHERE id=@m AND consumer_id=@c AND business_id=@b",
                    ("@m", inReplyTo), ("@c", consumerId), ("@b", businessId)) == 0)
                return ReplyOutcome.UnknownMessage;
            var destinations = ReplyDestinationNames.Parse(sender.RepliesTo);
            if (destinations.ToWebhook())
                outbox.Enqueue(c, tx, businessId, new CallbackEvent { EventId = eventId, Type = CallbackEventTypes.Reply, MessageId = inReplyTo, To = phone, Text = text, Timestamp = now });
            if (destinations.ToInbox())
                inbox.Add(c, tx, businessId, eventId, phone, inReplyTo, text, now);
            // The reply (re)opens the session window; an older reply committing late (another node) never shortens it.
            Sql.Exec(c, tx, """
                INSERT INTO sessions (consumer_id, business_id, last_reply_at) VALUES (@c,@b,@t)
                ON CONFLICT (consumer_id, business_id) DO UPDATE SET last_reply_at =
                  CASE WHEN excluded.last_reply_at > sessions.last_reply_at THEN excluded.last_reply_at ELSE sessions.last_reply_at END
                """, ("@c", consumerId), ("@b", businessId), ("@t", Sql.Ms(now)));
            return ReplyOutcome.Sent;
        });

    /// <summary>When the consumer with this number last replied to the business (the start of its session window), if ever.</summary>
    public DateTimeOffset? LastReplyAt(string businessId, string phone)
    {
        using var c = database.Read();
        return Sql.Query(c, null, "SELECT s.last_reply_at FROM sessions s JOIN consumers c ON c.id = s.consumer_id WHERE c.phone=@p AND s.business_id=@b",
            r => (DateTimeOffset?)Sql.Time(r.GetInt64(0)), ("@p", phone), ("@b", businessId)).SingleOrDefault();
    }

    /// <summary>The status of a business's own message; another business's id is simply not found.</summary>
    public MessageState? Get(string businessId, string messageId)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {StateColumns} FROM messages WHERE id=@id AND business_id=@b", ReadState,
            ("@id", messageId), ("@b", businessId)).SingleOrDefault();
    }

    /// <summary>
    /// Every message still waiting for this device (not yet acknowledged by it, not expired, content not purged),
    /// oldest first, read <paramref name="pageSize"/> at a time as the caller enumerates. All of them, not the first
    /// page: pushed but not yet acknowledged messages stay waiting, so a first page alone could hold only those and
    /// never reach the newer ones. A message committed after its page was read is not skipped for good: whoever
    /// stored it notifies the device afterwards (on this node directly, from another through a hint that reads again).
    /// </summary>
    public IEnumerable<WaitingMessage> WaitingFor(string consumerId, string deviceId, DateTimeOffset now, int pageSize = 500)
    {
        var (afterAt, afterOrder) = (long.MinValue, long.MinValue);
        while (true)
        {
            List<(WaitingMessage Message, long At, long Order)> page;
            using (var c = database.Read())
            {
                page = Sql.Query(c, null, $"""
                    SELECT m.id, m.business_id, m.category, m.content, m.accepted_at, m.expires_at, m.{database.MessageOrder} FROM messages m
                    WHERE m.consumer_id=@c AND m.content IS NOT NULL AND m.expires_at > @now
                      AND (m.accepted_at > @at OR (m.accepted_at = @at AND m.{database.MessageOrder} > @o))
                      AND NOT EXISTS (SELECT 1 FROM device_receipts r WHERE r.message_id = m.id AND r.device_id = @d)
                    ORDER BY m.accepted_at, m.{database.MessageOrder} LIMIT @n
                    """, r =>
                    {
                        var id = r.GetString(0);
                        var category = WireNames.ParseCategory(r.GetString(2));
                        var content = JsonSerializer.Deserialize(cipher.Decrypt((byte[])r.GetValue(3), id), CoreJson.Default.MessageContent)!;
                        return (new WaitingMessage(id, r.GetString(1), category, content, Sql.Time(r.GetInt64(4)), Sql.Time(r.GetInt64(5))),
                            r.GetInt64(4), r.GetInt64(6));
                    }, ("@c", consumerId), ("@d", deviceId), ("@now", Sql.Ms(now)), ("@at", afterAt), ("@o", afterOrder), ("@n", pageSize));
            }
            foreach (var row in page)
                yield return row.Message;
            if (page.Count < pageSize)
                yield break;
            (afterAt, afterOrder) = (page[^1].At, page[^1].Order);
        }
    }

    /// <summary>Whether the message still waits for this device: not acknowledged by it, not expired, its content not purged.</summary>
    public bool StillWaitingFor(string messageId, string deviceId, DateTimeOffset now)
    {
        using var c = database.Read();
        return Sql.Scalar<long>(c, null, """
            SELECT COUNT(*) FROM messages m WHERE m.id=@id AND m.content IS NOT NULL AND m.expires_at > @now
              AND NOT EXISTS (SELECT 1 FROM device_receipts r WHERE r.message_id = m.id AND r.device_id = @d)
            """, ("@id", messageId), ("@d", deviceId), ("@now", Sql.Ms(now))) > 0;
    }

    /// <summary>
    /// A device says it has received (<see cref="MessageStatus.Delivered"/>) or shown (<see cref="MessageStatus.Seen"/>)
    /// messages. Ids of other consumers' messages are ignored. Returns the businesses that got new events; the ids that
    /// are the consumer's own messages are added to <paramref name="owned"/> when given.
    /// </summary>
    public Task<HashSet<string>> Acknowledge(string consumerId, string deviceId, IReadOnlyCollection<string> messageIds, MessageStatus ack, DateTimeOffset now,
        List<string>? owned = null) =>
        Acknowledge(consumerId, deviceId, AckFold.Fold([(messageIds, ack)]), now, owned);

    /// <summary>
    /// Several acks of one device in one transaction, each message with the furthest ack it got (<see cref="AckFold"/>).
    /// The consumer's own messages acknowledged as <see cref="MessageStatus.Seen"/> are added to <paramref name="seen"/>
    /// when given.
    /// </summary>
    public Task<HashSet<string>> Acknowledge(string consumerId, string deviceId, IReadOnlyList<(string Id, MessageStatus Ack)> acks, DateTimeOffset now,
        List<string>? seen = null) =>
        writer.WriteCounted((c, tx, tally) =>
        {
            var businesses = new HashSet<string>();
            foreach (var (id, ack) in acks)
            {
                // Read with the row locked on PostgreSQL (FOR UPDATE): a node acknowledging the same message at the same
                // time waits for this transaction and then reads what it wrote, so the status only moves forward and no
                // step is reported twice. (SQLite's one writer never interleaves two transactions.)
                // Most consumers have one device: then its ack is the last one needed, and the content goes in the same
                // UPDATE as the status, with no per-device receipts to write and count.
                var row = Sql.Query(c, tx, $"""
                    SELECT m.business_id, m.to_phone, m.status, m.tracking, m.content IS NOT NULL,
                           (SELECT COUNT(*) FROM devices d WHERE d.consumer_id=@c AND d.revoked_at IS NULL), m.category, m.campaign_id
                    FROM messages m WHERE m.id=@id AND m.consumer_id=@c{database.LockRows}
                    """,
                    r => (Business: r.GetString(0), To: r.GetString(1), Status: WireNames.ParseStatus(r.GetString(2)), Tracking: Sql.Bytes(r, 3),
                        HasContent: r.GetBoolean(4), Devices: r.GetInt64(5), Category: WireNames.ParseCategory(r.GetString(6)), Campaign: Sql.Str(r, 7)),
                    ("@id", id), ("@c", consumerId)).SingleOrDefault();
                if (row.Business is null)
                    continue;
                if (ack == MessageStatus.Seen)
                    seen?.Add(id);

                var onlyDevice = row.Devices <= 1;
                var purged = !row.HasContent;
                var path = StatusRules.Path(row.Status, ack);
                if (path.Count > 0)
                {
                    // One UPDATE for the whole path: accepted → seen sets delivered_at too.
                    var purgeNow = onlyDevice && !purged;
                    var sql = path[^1] == MessageStatus.Delivered ? (purgeNow ? SetDeliveredAndPurge : SetDelivered)
                        : path.Count == 1 ? (purgeNow ? SetSeenAndPurge : SetSeen)
                        : (purgeNow ? SetDeliveredSeenAndPurge : SetDeliveredSeen);
                    Sql.Defer(c, tx, sql, ("@s", WireNames.Of(path[^1])), ("@t", Sql.Ms(now)), ("@id", id));
                    if (!onlyDevice && path[^1] == MessageStatus.Seen)
                        Sql.Defer(c, tx, MarkForReadSync, ("@id", id)); // the consumer's other devices learn of it on connect
                    purged |= purgeNow;
                    var tracking = DecryptTracking(row.Tracking, id);
                    foreach (var next in path)
                    {
                        tally.Add(next, row.Category);
                        outbox.Enqueue(c, tx, row.Business, Event(WireNames.Of(next), id, row.Category, row.To, now, tracking, null, row.Campaign));
                    }
                    businesses.Add(row.Business);
                }

                if (purged)
                    continue;
                if (onlyDevice)
                {
                    PurgeContent(c, tx, id);
                    continue;
                }
                Sql.Defer(c, tx, "INSERT INTO device_receipts (message_id, device_id) VALUES (@id,@d) ON CONFLICT DO NOTHING", ("@id", id), ("@d", deviceId));
                var missing = Sql.Scalar<long>(c, tx, """
                    SELECT COUNT(*) FROM devices d WHERE d.consumer_id=@c AND d.revoked_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM device_receipts r WHERE r.message_id=@id AND r.device_id=d.id)
                    """, ("@c", consumerId), ("@id", id));
                if (missing == 0)
                    PurgeContent(c, tx, id);
            }
            return businesses;
        });

    // Constant texts: the statement cache is keyed by the SQL, and an ack is the most frequent write there is.
    private const string SetDelivered = "UPDATE messages SET status=@s, delivered_at=@t WHERE id=@id";
    private const string SetSeen = "UPDATE messages SET status=@s, seen_at=@t WHERE id=@id";
    private const string SetDeliveredAndPurge = "UPDATE messages SET status=@s, delivered_at=@t, content=NULL WHERE id=@id";
    private const string SetSeenAndPurge = "UPDATE messages SET status=@s, seen_at=@t, content=NULL WHERE id=@id";
    private const string SetDeliveredSeen = "UPDATE messages SET status=@s, delivered_at=@t, seen_at=@t WHERE id=@id";
    private const string SetDeliveredSeenAndPurge = "UPDATE messages SET status=@s, delivered_at=@t, seen_at=@t, content=NULL WHERE id=@id";
    private const string MarkForReadSync = "UPDATE messages SET read_sync=1 WHERE id=@id";

    /// <summary>
    /// Expires messages whose TTL passed before any delivery, and drops the content of delivered ones whose TTL passed
    /// while some device never fetched them. Returns the businesses that got events.
    /// </summary>
    public Task<HashSet<string>> ExpireDue(DateTimeOffset now, int limit = 1000) => writer.WriteCounted((c, tx, tally) =>
    {
        var businesses = new HashSet<string>();
        var due = Sql.Query(c, tx, "SELECT id, business_id, to_phone, tracking, category, campaign_id FROM messages WHERE status='accepted' AND expires_at <= @now LIMIT @n",
            r => (Id: r.GetString(0), Business: r.GetString(1), To: r.GetString(2), Tracking: Sql.Bytes(r, 3), Category: WireNames.ParseCategory(r.GetString(4)), Campaign: Sql.Str(r, 5)),
            ("@now", Sql.Ms(now)), ("@n", limit));
        foreach (var m in due)
        {
            // Conditional: in a cluster a device's ack on another node may have committed since the read.
            if (Sql.Exec(c, tx, "UPDATE messages SET status='expired', ended_at=@t WHERE id=@id AND status='accepted'", ("@t", Sql.Ms(now)), ("@id", m.Id)) == 0)
                continue;
            tally.Add(MessageStatus.Expired, m.Category);
            PurgeContent(c, tx, m.Id);
            outbox.Enqueue(c, tx, m.Business, Event(CallbackEventTypes.Expired, m.Id, m.Category, m.To, now, DecryptTracking(m.Tracking, m.Id), null, m.Campaign));
            businesses.Add(m.Business);
        }
        foreach (var id in Sql.Query(c, tx, "SELECT id FROM messages WHERE content IS NOT NULL AND expires_at <= @now LIMIT @n",
                     r => r.GetString(0), ("@now", Sql.Ms(now)), ("@n", limit)))
            PurgeContent(c, tx, id);
        return businesses;
    });

    /// <summary>Deletes metadata (messages and sent callback log rows) older than the retention period.</summary>
    public Task<int> DeleteMetadataBefore(DateTimeOffset cutoff) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "DELETE FROM messages WHERE accepted_at < @t AND content IS NULL AND status <> 'accepted'", ("@t", Sql.Ms(cutoff)))
        // Receipts are needed only while content waits; a one-device ack purges without looking at older ones.
        + Sql.Exec(c, tx, "DELETE FROM device_receipts WHERE message_id NOT IN (SELECT id FROM messages WHERE content IS NOT NULL)")
        + Sql.Exec(c, tx, "DELETE FROM outbox WHERE created_at < @t AND (sent_at IS NOT NULL OR abandoned_at IS NOT NULL)", ("@t", Sql.Ms(cutoff))));

    private static void PurgeContent(DbConnection c, DbTransaction tx, string id)
    {
        Sql.Defer(c, tx, "UPDATE messages SET content=NULL WHERE id=@id", ("@id", id));
        Sql.Defer(c, tx, "DELETE FROM device_receipts WHERE message_id=@id", ("@id", id));
    }

    private string? DecryptTracking(byte[]? tracking, string messageId) =>
        tracking is null ? null : Encoding.UTF8.GetString(cipher.Decrypt(tracking, TrackingAad(messageId)));

    private static string TrackingAad(string messageId) => messageId + "/tracking";

    private static CallbackEvent Event(string type, string messageId, MessageCategory category, string to, DateTimeOffset at, string? tracking, string? reason,
        string? campaignId) => new()
    {
        EventId = Secrets.NewId("evt"),
        Type = type,
        MessageId = messageId,
        Category = WireNames.Of(category),
        To = to,
        Timestamp = at,
        TrackingData = tracking,
        Reason = reason,
        CampaignId = campaignId,
    };

    private static MessageState ReadState(DbDataReader r)
    {
        var category = WireNames.ParseCategory(r.GetString(3));
        return new MessageState(r.GetString(0), r.GetString(1), r.GetString(2), category, WireNames.ParseStatus(r.GetString(4)),
            r.IsDBNull(5) ? null : WireNames.ParseReason(r.GetString(5)), Sql.Time(r.GetInt64(6)), Sql.Time(r.GetInt64(7)),
            Sql.Time(r, 8), Sql.Time(r, 9), Sql.Time(r, 10), Sql.Str(r, 11));
    }
}

public enum ReplyOutcome
{
    Sent,
    UnknownSender,
    OneWaySender,
    UnknownMessage,
    Restricted,
    ConsumerGone,
}

public sealed record NewMessage(
    string Id, string BusinessId, string To, MessageCategory Category, MessageContent Content, string? TrackingData,
    DateTimeOffset AcceptedAt, DateTimeOffset ExpiresAt, string? CampaignId = null);

public sealed record MessageState(
    string Id, string BusinessId, string To, MessageCategory Category, MessageStatus Status, FailureReason? Reason,
    DateTimeOffset AcceptedAt, DateTimeOffset ExpiresAt, DateTimeOffset? DeliveredAt, DateTimeOffset? SeenAt, DateTimeOffset? EndedAt,
    string? CampaignId = null);

public sealed record WaitingMessage(
    string Id, string BusinessId, MessageCategory Category, MessageContent Content, DateTimeOffset AcceptedAt, DateTimeOffset ExpiresAt);
