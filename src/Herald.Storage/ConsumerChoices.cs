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
                Type = blocked ? CallbackEventTypes.Unsubscribed : CallbackEventTypes.Subscribed,
                To = phone,
                Timestamp = now,
            });
            if (blocked)
                messages.FailWaiting(c, tx, consumerId, Core.Messages.FailureReason.Blocked, now, [], tally, onlyFrom: businessId);
        }
        return true;
    });

    /// <summary>The senders in a consumer's life: those that messaged them (while metadata is kept) and those they blocked.</summary>
    public List<(string BusinessId, bool Blocked)> Senders(string consumerId)
    {
        using var c = database.Read();
        return Sql.Query(c, null, """
            SELECT s.business_id, EXISTS (SELECT 1 FROM blocks b WHERE b.consumer_id=@c AND b.business_id=s.business_id)
            FROM (SELECT business_id FROM messages WHERE consumer_id=@c UNION SELECT business_id FROM blocks WHERE consumer_id=@c) s
            ORDER BY s.business_id
            """, r => (r.GetString(0), r.GetBoolean(1)), ("@c", consumerId));
    }
}

public sealed record ConsumerSettings(bool BusinessMessages, bool Promotional, bool Restricted);
