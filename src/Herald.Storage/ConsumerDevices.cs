namespace Herald.Storage;

/// <summary>
/// A consumer's signed-in devices as the consumer sees them (list, sign out any one), their Web Push subscriptions
/// (one per device) and the metadata that keeps read state in step across them. Every call is scoped to the
/// consumer, so another consumer's device id is simply not found.
/// </summary>
public sealed class ConsumerDevices(Database database, Writer writer)
{
    public List<DeviceRecord> List(string consumerId)
    {
        using var c = database.Read();
        return Sql.Query(c, null, """
            SELECT id, name, created_at, last_active_at, push_endpoint IS NOT NULL FROM devices
            WHERE consumer_id=@c AND revoked_at IS NULL ORDER BY created_at, id
            """, r => new DeviceRecord(r.GetString(0), Sql.Str(r, 1), Sql.Time(r.GetInt64(2)), Sql.Time(r, 3), r.GetBoolean(4)), ("@c", consumerId));
    }

    /// <summary>Signs one of the consumer's devices out and drops its push subscription; false when it is not theirs or already out.</summary>
    public Task<bool> Revoke(string consumerId, string deviceId, DateTimeOffset now) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, """
            UPDATE devices SET revoked_at=@t, push_endpoint=NULL, push_p256dh=NULL, push_auth=NULL
            WHERE id=@id AND consumer_id=@c AND revoked_at IS NULL
            """, ("@t", Sql.Ms(now)), ("@id", deviceId), ("@c", consumerId)) == 1);

    /// <summary>Sets (replaces) the device's push subscription, or removes it when <paramref name="subscription"/> is null.</summary>
    public Task SetPush(string deviceId, PushTarget? subscription) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "UPDATE devices SET push_endpoint=@e, push_p256dh=@k, push_auth=@a WHERE id=@id AND revoked_at IS NULL",
            ("@e", subscription?.Endpoint), ("@k", subscription?.P256dh), ("@a", subscription?.Auth), ("@id", deviceId)));

    /// <summary>The push service said the subscription is gone (404/410): drop it, unless the device registered a new one meanwhile.</summary>
    public Task DropPush(string deviceId, string endpoint) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "UPDATE devices SET push_endpoint=NULL, push_p256dh=NULL, push_auth=NULL WHERE id=@id AND push_endpoint=@e",
            ("@id", deviceId), ("@e", endpoint)));

    /// <summary>The consumer's signed-in devices that have a push subscription.</summary>
    public List<PushTarget> PushTargets(string consumerId)
    {
        using var c = database.Read();
        return Sql.Query(c, null, """
            SELECT id, push_endpoint, push_p256dh, push_auth FROM devices
            WHERE consumer_id=@c AND revoked_at IS NULL AND push_endpoint IS NOT NULL
            """, r => new PushTarget(r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(0)), ("@c", consumerId));
    }

    /// <summary>The device was used (connected, disconnected, fetched or acknowledged over HTTP).</summary>
    public Task Touch(string deviceId, DateTimeOffset now) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "UPDATE devices SET last_active_at=@t WHERE id=@id", ("@t", Sql.Ms(now)), ("@id", deviceId)));

    /// <summary>
    /// Messages of the consumer seen (on any device) since this device last learnt of reads: sent to it on connect.
    /// A device that never connected learns from its sign-in on (what was read before, it never had). Only reads made
    /// while the consumer had more than one device are kept for this (<c>read_sync</c>): a device signed in after a
    /// read never learns of it, so with one device there is nobody to tell.
    /// </summary>
    public List<string> SeenSinceLastSync(string consumerId, string deviceId)
    {
        using var c = database.Read();
        return Sql.Query(c, null, """
            SELECT m.id FROM messages m JOIN devices d ON d.id=@d AND d.consumer_id=@c
            WHERE m.consumer_id=@c AND m.read_sync = 1 AND m.seen_at >= COALESCE(d.read_synced_at, d.created_at)
            ORDER BY m.seen_at
            """, r => r.GetString(0), ("@c", consumerId), ("@d", deviceId));
    }

    /// <summary>
    /// The device disconnects at <paramref name="now"/>; it learnt of every read before <paramref name="connectedAt"/>
    /// (on connect, and live since). Not the disconnect time: a read committed just before the disconnect may have
    /// missed the live path, so the next connect sends again what was read while it was connected (a read frame for
    /// an id already read changes nothing).
    /// </summary>
    public Task Disconnected(string deviceId, DateTimeOffset connectedAt, DateTimeOffset now) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "UPDATE devices SET read_synced_at=@s, last_active_at=@t WHERE id=@id", ("@s", Sql.Ms(connectedAt)), ("@t", Sql.Ms(now)), ("@id", deviceId)));
}

/// <param name="Name">made from the User-Agent at sign-in; null for devices signed in before names were kept</param>
public sealed record DeviceRecord(string DeviceId, string? Name, DateTimeOffset SignedInAt, DateTimeOffset? LastActiveAt, bool Push);

/// <summary>A Web Push subscription: the push service's endpoint and the browser's keys (base64url).</summary>
public sealed record PushTarget(string Endpoint, string P256dh, string Auth, string DeviceId = "");
