using Herald.Core.Callbacks;
using Herald.Core.Security;

namespace Herald.Storage;

/// <summary>What a consumer decides about business messages: blocked senders and the two opt-out settings.</summary>
public sealed class ConsumerChoices(Database database, Writer writer, OutboxStore outbox, MessageStore messages)
{
    public ConsumerSettings Settings(string consumerId)
    {
        using var c = database.Read();
        return Sql.Query(c, null, "SELECT business_messages, promotional, restricted_at IS NOT NULL FROM consumers WHERE id=@c",
            r => new ConsumerSettings(r.GetBoolean(0), r.GetBoolean(1), r.GetBoolean(2)), ("@c", consumerId)).Single();
    }

    public Task SaveSettings(string consumerId, bool businessMessages, bool promotional) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "UPDATE consumers SET business_messages=@all, promotional=@promo WHERE id=@c",
            ("@all", businessMessages), ("@promo", promotional), ("@c", consumerId)));

    /// <summary>
    /// Blocks or unblocks a sender and tells it (<c>unsubscribed</c> / <c>subscribed</c>). A block also fails that
    /// sender's messages still waiting for the consumer (<c>blocked</c>): nothing from it reaches a device after the
    /// block. Repeating the current state changes nothing and sends nothing. Returns false when the business does not exist.
    /// </summary>
    public Task<bool> SetBlocked(string consumerId, string phone, string businessId, bool blocked, DateTimeOffset now) => writer.WriteCounted((c, tx, tally) =>
    {
        if (Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM businesses WHERE id=@b", ("@b", businessId)) == 0)
            return false;
        var changed = blocked
            ? Sql.Exec(c, tx, "INSERT INTO blocks (consumer_id, business_id, blocked_at) VALUES (@c,@b,@t) ON CONFLICT DO NOTHING", ("@c", consumerId), ("@b", businessId), ("@t", Sql.Ms(now)))
            : Sql.Exec(c, tx, "DELETE FROM blocks WHERE consumer_id=@c AND business_id=@b", ("@c", consumerId), ("@b", businessId));
        if (changed > 0)
        {
            outbox.Enqueue(c, tx, businessId, new CallbackEvent
            {
                EventId = Secrets.NewId("evt"),
                Type = blocked ? "unsubscribed" : "subscribed",
                To = phone,
                Timestamp = now,
            });
            if (blocked)
                messages.FailWaiting(c, tx, consumerId, Core.Messages.FailureReason.Blocked, now, [], tally, onlyFrom: businessId);
        }
        return true;
    });

    /// <summary>
    /// Mutes or unmutes a sender: its messages still arrive, without a notification. Unlike a block, the business is
    /// not told. Returns false when the business does not exist.
    /// </summary>
    public Task<bool> SetMuted(string consumerId, string businessId, bool muted, DateTimeOffset now) => writer.Write((c, tx) =>
    {
        if (Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM businesses WHERE id=@b", ("@b", businessId)) == 0)
            return false;
        if (muted)
            Sql.Exec(c, tx, "INSERT INTO mutes (consumer_id, business_id, muted_at) VALUES (@c,@b,@t) ON CONFLICT DO NOTHING", ("@c", consumerId), ("@b", businessId), ("@t", Sql.Ms(now)));
        else
            Sql.Exec(c, tx, "DELETE FROM mutes WHERE consumer_id=@c AND business_id=@b", ("@c", consumerId), ("@b", businessId));
        return true;
    });

    public bool IsMuted(string consumerId, string businessId)
    {
        using var c = database.Read();
        return Sql.Scalar<long>(c, null, "SELECT COUNT(*) FROM mutes WHERE consumer_id=@c AND business_id=@b", ("@c", consumerId), ("@b", businessId)) > 0;
    }

    /// <summary>The senders in a consumer's life: those that messaged them (while metadata is kept) and those they blocked or muted.</summary>
    public List<(string BusinessId, bool Blocked, bool Muted)> Senders(string consumerId)
    {
        using var c = database.Read();
        return Sql.Query(c, null, """
            SELECT s.business_id, EXISTS (SELECT 1 FROM blocks b WHERE b.consumer_id=@c AND b.business_id=s.business_id),
                   EXISTS (SELECT 1 FROM mutes u WHERE u.consumer_id=@c AND u.business_id=s.business_id)
            FROM (SELECT business_id FROM messages WHERE consumer_id=@c UNION SELECT business_id FROM blocks WHERE consumer_id=@c
                  UNION SELECT business_id FROM mutes WHERE consumer_id=@c) s
            ORDER BY s.business_id
            """, r => (r.GetString(0), r.GetBoolean(1), r.GetBoolean(2)), ("@c", consumerId));
    }
}

public sealed record ConsumerSettings(bool BusinessMessages, bool Promotional, bool Restricted);
