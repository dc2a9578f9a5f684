using System.Text;
using System.Text.Json;
using Herald.Core.Callbacks;
using Herald.Core.Json;
using Herald.Core.Messages;
using Herald.Core.Privacy;
using Herald.Core.Security;
using Microsoft.Data.Sqlite;

namespace Herald.Storage.Sqlite;

/// <summary>
/// Messages and their statuses. Every status change writes its callback event in the same transaction; content is
/// stored encrypted and set to NULL the moment it is no longer needed.
/// </summary>
public sealed class MessageStore(SqliteDatabase database, SqliteWriter writer, OutboxStore outbox, ContentCipher cipher)
{
    private const string StateColumns =
        "id, business_id, to_phone, category, status, reason, accepted_at, expires_at, delivered_at, seen_at, ended_at";

    /// <summary>
    /// Stores an accepted message. A phone nobody registered fails at once with <c>not_registered</c> (its content is
    /// never written). Returns the consumer to notify, or null.
    /// </summary>
    public Task<string?> Accept(NewMessage message) => writer.Write((c, tx) => AcceptInTransaction(c, tx, message));

    private string? AcceptInTransaction(SqliteConnection c, SqliteTransaction tx, NewMessage m)
    {
        var consumerId = Sql.Scalar<string>(c, tx, "SELECT id FROM consumers WHERE phone=$p", ("$p", m.To));
        var tracking = m.TrackingData is null ? null : cipher.Encrypt(Encoding.UTF8.GetBytes(m.TrackingData), TrackingAad(m.Id));
        if (consumerId is null)
        {
            Sql.Exec(c, tx, $"""
                INSERT INTO messages (id, business_id, to_phone, category, status, reason, tracking, accepted_at, expires_at, ended_at)
                VALUES ($id,$b,$to,$cat,'failed','not_registered',$tr,$t,$exp,$t)
                """, ("$id", m.Id), ("$b", m.BusinessId), ("$to", m.To), ("$cat", WireNames.Of(m.Category)),
                ("$tr", tracking), ("$t", Sql.Ms(m.AcceptedAt)), ("$exp", Sql.Ms(m.ExpiresAt)));
            outbox.Enqueue(c, tx, m.BusinessId, Event("failed", m.Id, m.To, m.AcceptedAt, m.TrackingData, WireNames.Of(FailureReason.NotRegistered)));
            return null;
        }

        var content = cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(m.Content, CoreJson.Default.MessageContent), m.Id);
        Sql.Exec(c, tx, """
            INSERT INTO messages (id, business_id, to_phone, consumer_id, category, status, tracking, content, accepted_at, expires_at)
            VALUES ($id,$b,$to,$c,$cat,'accepted',$tr,$content,$t,$exp)
            """, ("$id", m.Id), ("$b", m.BusinessId), ("$to", m.To), ("$c", consumerId), ("$cat", WireNames.Of(m.Category)),
            ("$tr", tracking), ("$content", content), ("$t", Sql.Ms(m.AcceptedAt)), ("$exp", Sql.Ms(m.ExpiresAt)));
        return consumerId;
    }

    /// <summary>The status of a business's own message; another business's id is simply not found.</summary>
    public MessageState? Get(string businessId, string messageId)
    {
        using var c = database.Open();
        return Sql.Query(c, null, $"SELECT {StateColumns} FROM messages WHERE id=$id AND business_id=$b", ReadState,
            ("$id", messageId), ("$b", businessId)).SingleOrDefault();
    }

    /// <summary>Messages still waiting for this device: not yet acknowledged by it, not expired, content not purged.</summary>
    public List<WaitingMessage> WaitingFor(string consumerId, string deviceId, DateTimeOffset now, int limit = 500)
    {
        using var c = database.Open();
        return Sql.Query(c, null, """
            SELECT m.id, m.business_id, m.category, m.content, m.accepted_at, m.expires_at FROM messages m
            WHERE m.consumer_id=$c AND m.content IS NOT NULL AND m.expires_at > $now
              AND NOT EXISTS (SELECT 1 FROM device_receipts r WHERE r.message_id = m.id AND r.device_id = $d)
            ORDER BY m.accepted_at, m.id LIMIT $n
            """, r =>
            {
                var id = r.GetString(0);
                var category = WireNames.ParseCategory(r.GetString(2));
                var content = JsonSerializer.Deserialize(cipher.Decrypt((byte[])r.GetValue(3), id), CoreJson.Default.MessageContent)!;
                return new WaitingMessage(id, r.GetString(1), category, content, Sql.Time(r.GetInt64(4)), Sql.Time(r.GetInt64(5)));
            }, ("$c", consumerId), ("$d", deviceId), ("$now", Sql.Ms(now)), ("$n", limit));
    }

    /// <summary>
    /// A device says it has received (<see cref="MessageStatus.Delivered"/>) or shown (<see cref="MessageStatus.Seen"/>)
    /// messages. Ids of other consumers' messages are ignored. Returns the businesses that got new events.
    /// </summary>
    public Task<HashSet<string>> Acknowledge(string consumerId, string deviceId, IReadOnlyCollection<string> messageIds, MessageStatus ack, DateTimeOffset now) =>
        writer.Write((c, tx) =>
        {
            var businesses = new HashSet<string>();
            foreach (var id in messageIds.Distinct())
            {
                var row = Sql.Query(c, tx, "SELECT business_id, to_phone, status, tracking, content IS NOT NULL FROM messages WHERE id=$id AND consumer_id=$c",
                    r => (Business: r.GetString(0), To: r.GetString(1), Status: WireNames.ParseStatus(r.GetString(2)), Tracking: Sql.Bytes(r, 3), HasContent: r.GetBoolean(4)),
                    ("$id", id), ("$c", consumerId)).SingleOrDefault();
                if (row.Business is null)
                    continue;

                foreach (var next in StatusRules.Path(row.Status, ack))
                {
                    var column = next == MessageStatus.Delivered ? "delivered_at" : "seen_at";
                    Sql.Exec(c, tx, $"UPDATE messages SET status=$s, {column}=$t WHERE id=$id",
                        ("$s", WireNames.Of(next)), ("$t", Sql.Ms(now)), ("$id", id));
                    outbox.Enqueue(c, tx, row.Business, Event(WireNames.Of(next), id, row.To, now, DecryptTracking(row.Tracking, id), null));
                    businesses.Add(row.Business);
                }

                if (row.HasContent)
                {
                    Sql.Exec(c, tx, "INSERT OR IGNORE INTO device_receipts (message_id, device_id) VALUES ($id,$d)", ("$id", id), ("$d", deviceId));
                    var missing = Sql.Scalar<long>(c, tx, """
                        SELECT COUNT(*) FROM devices d WHERE d.consumer_id=$c AND d.revoked_at IS NULL
                          AND NOT EXISTS (SELECT 1 FROM device_receipts r WHERE r.message_id=$id AND r.device_id=d.id)
                        """, ("$c", consumerId), ("$id", id));
                    if (missing == 0)
                        PurgeContent(c, tx, id);
                }
            }
            return businesses;
        });

    /// <summary>
    /// Expires messages whose TTL passed before any delivery, and drops the content of delivered ones whose TTL passed
    /// while some device never fetched them. Returns the businesses that got events.
    /// </summary>
    public Task<HashSet<string>> ExpireDue(DateTimeOffset now, int limit = 1000) => writer.Write((c, tx) =>
    {
        var businesses = new HashSet<string>();
        var due = Sql.Query(c, tx, "SELECT id, business_id, to_phone, tracking FROM messages WHERE status='accepted' AND expires_at <= $now LIMIT $n",
            r => (Id: r.GetString(0), Business: r.GetString(1), To: r.GetString(2), Tracking: Sql.Bytes(r, 3)), ("$now", Sql.Ms(now)), ("$n", limit));
        foreach (var m in due)
        {
            Sql.Exec(c, tx, "UPDATE messages SET status='expired', ended_at=$t WHERE id=$id", ("$t", Sql.Ms(now)), ("$id", m.Id));
            PurgeContent(c, tx, m.Id);
            outbox.Enqueue(c, tx, m.Business, Event("expired", m.Id, m.To, now, DecryptTracking(m.Tracking, m.Id), null));
            businesses.Add(m.Business);
        }
        foreach (var id in Sql.Query(c, tx, "SELECT id FROM messages WHERE content IS NOT NULL AND expires_at <= $now LIMIT $n",
                     r => r.GetString(0), ("$now", Sql.Ms(now)), ("$n", limit)))
            PurgeContent(c, tx, id);
        return businesses;
    });

    /// <summary>Deletes metadata (messages and sent callback log rows) older than the retention period.</summary>
    public Task<int> DeleteMetadataBefore(DateTimeOffset cutoff) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "DELETE FROM messages WHERE accepted_at < $t AND content IS NULL AND status <> 'accepted'", ("$t", Sql.Ms(cutoff)))
        + Sql.Exec(c, tx, "DELETE FROM outbox WHERE created_at < $t AND (sent_at IS NOT NULL OR abandoned_at IS NOT NULL)", ("$t", Sql.Ms(cutoff))));

    private static void PurgeContent(SqliteConnection c, SqliteTransaction tx, string id)
    {
        Sql.Exec(c, tx, "UPDATE messages SET content=NULL WHERE id=$id", ("$id", id));
        Sql.Exec(c, tx, "DELETE FROM device_receipts WHERE message_id=$id", ("$id", id));
    }

    private string? DecryptTracking(byte[]? tracking, string messageId) =>
        tracking is null ? null : Encoding.UTF8.GetString(cipher.Decrypt(tracking, TrackingAad(messageId)));

    private static string TrackingAad(string messageId) => messageId + "/tracking";

    private static CallbackEvent Event(string type, string messageId, string to, DateTimeOffset at, string? tracking, string? reason) => new()
    {
        EventId = Secrets.NewId("evt"),
        Type = type,
        MessageId = messageId,
        To = to,
        Timestamp = at,
        TrackingData = tracking,
        Reason = reason,
    };

    private static MessageState ReadState(SqliteDataReader r)
    {
        var category = WireNames.ParseCategory(r.GetString(3));
        return new MessageState(r.GetString(0), r.GetString(1), r.GetString(2), category, WireNames.ParseStatus(r.GetString(4)),
            r.IsDBNull(5) ? null : WireNames.ParseReason(r.GetString(5)), Sql.Time(r.GetInt64(6)), Sql.Time(r.GetInt64(7)),
            Sql.Time(r, 8), Sql.Time(r, 9), Sql.Time(r, 10));
    }
}

public sealed record NewMessage(
    string Id, string BusinessId, string To, MessageCategory Category, MessageContent Content, string? TrackingData,
    DateTimeOffset AcceptedAt, DateTimeOffset ExpiresAt);

public sealed record MessageState(
    string Id, string BusinessId, string To, MessageCategory Category, MessageStatus Status, FailureReason? Reason,
    DateTimeOffset AcceptedAt, DateTimeOffset ExpiresAt, DateTimeOffset? DeliveredAt, DateTimeOffset? SeenAt, DateTimeOffset? EndedAt);

public sealed record WaitingMessage(
    string Id, string BusinessId, MessageCategory Category, MessageContent Content, DateTimeOffset AcceptedAt, DateTimeOffset ExpiresAt);
