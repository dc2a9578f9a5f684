using System.Text.Json;
using Herald.Core.Json;
using Herald.Core.Messages;
using Herald.Core.Privacy;

namespace Herald.Storage;

/// <summary>GDPR rights of a consumer: access and portability (export), erasure, restriction. Each takes effect at once.</summary>
public sealed class ConsumerRights(Database database, Writer writer, MessageStore messages, ContentCipher cipher)
{
    /// <summary>Everything Herald holds about the consumer, including the content of messages still waiting for them.</summary>
    public ConsumerExport Export(string consumerId)
    {
        using var c = database.Read();
        var consumer = Sql.Query(c, null, "SELECT phone, created_at, business_messages, promotional, restricted_at FROM consumers WHERE id=@c",
            r => (Phone: r.GetString(0), Created: Sql.Time(r.GetInt64(1)), All: r.GetBoolean(2), Promo: r.GetBoolean(3), Restricted: Sql.Time(r, 4)),
            ("@c", consumerId)).Single();
        var devices = Sql.Query(c, null, "SELECT id, created_at, revoked_at, name, push_endpoint FROM devices WHERE consumer_id=@c ORDER BY created_at",
            r => new ExportedDevice(r.GetString(0), Sql.Time(r.GetInt64(1)), Sql.Time(r, 2), Sql.Str(r, 3), Sql.Str(r, 4)), ("@c", consumerId));
        var blocks = Sql.Query(c, null, "SELECT business_id, blocked_at FROM blocks WHERE consumer_id=@c ORDER BY blocked_at",
            r => new ExportedBlock(r.GetString(0), Sql.Time(r.GetInt64(1))), ("@c", consumerId));
        var mutes = Sql.Query(c, null, "SELECT business_id, muted_at FROM mutes WHERE consumer_id=@c ORDER BY muted_at",
            r => new ExportedMute(r.GetString(0), Sql.Time(r.GetInt64(1))), ("@c", consumerId));
        var held = Sql.Query(c, null, """
            SELECT id, business_id, category, status, reason, accepted_at, expires_at, delivered_at, seen_at, ended_at, content
            FROM messages WHERE consumer_id=@c ORDER BY accepted_at
            """, r => new ExportedMessage(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.Str(r, 4),
                Sql.Time(r.GetInt64(5)), Sql.Time(r.GetInt64(6)), Sql.Time(r, 7), Sql.Time(r, 8), Sql.Time(r, 9),
                Sql.Bytes(r, 10) is { } sealedContent
                    ? JsonSerializer.Deserialize(cipher.Decrypt(sealedContent, r.GetString(0)), CoreJson.Default.MessageContent)
                    : null), ("@c", consumerId));
        return new ConsumerExport(consumer.Phone, consumer.Created, new ExportedSettings(consumer.All, consumer.Promo, consumer.Restricted),
            devices, blocks, mutes, held);
    }

    /// <summary>
    /// Erases the consumer: account, devices (with their push subscriptions), blocks, mutes and waiting content. Waiting messages fail with
    /// <c>not_registered</c>; the businesses keep only their own metadata (id, number, status, times), unlinked.
    /// Returns the businesses that got events.
    /// </summary>
    public Task<HashSet<string>> Erase(string consumerId, DateTimeOffset now) => writer.WriteCounted((c, tx, tally) =>
    {
        var businesses = new HashSet<string>();
        messages.FailWaiting(c, tx, consumerId, FailureReason.NotRegistered, now, businesses, tally);
        var phone = Sql.Scalar<string>(c, tx, "SELECT phone FROM consumers WHERE id=@c", ("@c", consumerId));
        Sql.Exec(c, tx, "UPDATE messages SET consumer_id=NULL WHERE consumer_id=@c", ("@c", consumerId));
        Sql.Exec(c, tx, "DELETE FROM blocks WHERE consumer_id=@c", ("@c", consumerId));
        Sql.Exec(c, tx, "DELETE FROM mutes WHERE consumer_id=@c", ("@c", consumerId));
        Sql.Exec(c, tx, "DELETE FROM devices WHERE consumer_id=@c", ("@c", consumerId));
        Sql.Exec(c, tx, "DELETE FROM signin_codes WHERE phone=@p", ("@p", phone));
        Sql.Exec(c, tx, "DELETE FROM consumers WHERE id=@c", ("@c", consumerId));
        return businesses;
    });

    /// <summary>
    /// Restricts processing (new sends fail <c>restricted</c>, waiting messages fail now and their content goes),
    /// or lifts the restriction. Returns the businesses that got events.
    /// </summary>
    public Task<HashSet<string>> Restrict(string consumerId, bool restricted, DateTimeOffset now) => writer.WriteCounted((c, tx, tally) =>
    {
        var businesses = new HashSet<string>();
        Sql.Exec(c, tx, "UPDATE consumers SET restricted_at=@t WHERE id=@c", ("@t", restricted ? Sql.Ms(now) : null), ("@c", consumerId));
        if (restricted)
            messages.FailWaiting(c, tx, consumerId, FailureReason.Restricted, now, businesses, tally);
        return businesses;
    });
}

public sealed record ConsumerExport(
    string Phone, DateTimeOffset CreatedAt, ExportedSettings Settings, List<ExportedDevice> Devices, List<ExportedBlock> BlockedSenders,
    List<ExportedMute> MutedSenders, List<ExportedMessage> Messages);

public sealed record ExportedSettings(bool BusinessMessages, bool Promotional, DateTimeOffset? RestrictedAt);
/// <param name="PushEndpoint">the push service address of the device's Web Push subscription, if it has one</param>
public sealed record ExportedDevice(string DeviceId, DateTimeOffset SignedInAt, DateTimeOffset? SignedOutAt, string? Name, string? PushEndpoint);
public sealed record ExportedMute(string BusinessId, DateTimeOffset MutedAt);
public sealed record ExportedBlock(string BusinessId, DateTimeOffset BlockedAt);

/// <param name="Content">only while the message is still waiting for a device; null once delivered</param>
public sealed record ExportedMessage(
    string MessageId, string BusinessId, string Category, string Status, string? Reason, DateTimeOffset AcceptedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? DeliveredAt, DateTimeOffset? SeenAt, DateTimeOffset? EndedAt, MessageContent? Content);
