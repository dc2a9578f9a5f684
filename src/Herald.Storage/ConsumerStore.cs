using System.Security.Cryptography;

namespace Herald.Storage;

/// <summary>Consumers, their devices and sign-in codes.</summary>
public sealed class ConsumerStore(Database database, Writer writer)
{
    public Task SaveCode(string phone, byte[] codeHash, DateTimeOffset expiresAt) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "INSERT INTO signin_codes (phone, code_hash, expires_at, attempts) VALUES (@p,@h,@e,0) ON CONFLICT (phone) DO UPDATE SET code_hash=excluded.code_hash, expires_at=excluded.expires_at, attempts=0",
            ("@p", phone), ("@h", codeHash), ("@e", Sql.Ms(expiresAt))));

    /// <summary>
    /// Checks a code. A right code is used up; a wrong one counts against <paramref name="maxAttempts"/>, after
    /// which the code is gone and a new one must be requested.
    /// </summary>
    public Task<bool> UseCode(string phone, byte[] codeHash, DateTimeOffset now, int maxAttempts) => writer.Write((c, tx) =>
    {
        var row = Sql.Query(c, tx, "SELECT code_hash, expires_at, attempts FROM signin_codes WHERE phone=@p",
            r => (Hash: (byte[])r.GetValue(0), ExpiresAt: r.GetInt64(1), Attempts: r.GetInt32(2)), ("@p", phone)).SingleOrDefault();
        if (row.Hash is null)
            return false;
        var ok = CryptographicOperations.FixedTimeEquals(row.Hash, codeHash);
        if (ok || row.ExpiresAt <= Sql.Ms(now) || row.Attempts + 1 >= maxAttempts)
            Sql.Exec(c, tx, "DELETE FROM signin_codes WHERE phone=@p", ("@p", phone));
        else
            Sql.Exec(c, tx, "UPDATE signin_codes SET attempts=attempts+1 WHERE phone=@p", ("@p", phone));
        return ok && row.ExpiresAt > Sql.Ms(now);
    });

    /// <summary>Registers a new device for the phone, creating the consumer on first sign-in.</summary>
    /// <param name="name">what the device is, made from its User-Agent (e.g. "Chrome on Android")</param>
    public Task<DeviceIdentity> AddDevice(string phone, string newConsumerId, string deviceId, byte[] tokenHash, DateTimeOffset now, string? name = null) =>
        writer.Write((c, tx) =>
        {
            Sql.Exec(c, tx, "INSERT INTO consumers (id, phone, created_at) VALUES (@id,@p,@t) ON CONFLICT DO NOTHING",
                ("@id", newConsumerId), ("@p", phone), ("@t", Sql.Ms(now)));
            var consumerId = Sql.Scalar<string>(c, tx, "SELECT id FROM consumers WHERE phone=@p", ("@p", phone))!;
            Sql.Exec(c, tx, "INSERT INTO devices (id, consumer_id, token_hash, created_at, name) VALUES (@id,@c,@h,@t,@n)",
                ("@id", deviceId), ("@c", consumerId), ("@h", tokenHash), ("@t", Sql.Ms(now)), ("@n", name));
            return new DeviceIdentity(deviceId, consumerId, phone);
        });

    public DeviceIdentity? FindDevice(byte[] tokenHash)
    {
        using var c = database.Read();
        return Sql.Query(c, null, """
            SELECT d.id, d.consumer_id, c.phone FROM devices d JOIN consumers c ON c.id = d.consumer_id
            WHERE d.token_hash=@h AND d.revoked_at IS NULL
            """, r => new DeviceIdentity(r.GetString(0), r.GetString(1), r.GetString(2)), ("@h", tokenHash)).SingleOrDefault();
    }

}

public sealed record DeviceIdentity(string DeviceId, string ConsumerId, string Phone);
