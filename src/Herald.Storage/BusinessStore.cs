using System.Text.Json;
using Herald.Core.Businesses;
using Herald.Core.Json;
using System.Data.Common;

namespace Herald.Storage;

/// <summary>Businesses and their API keys.</summary>
public sealed class BusinessStore(Database database, Writer writer)
{
    private const string Columns =
        "id, name, logo_url, description, learn_more_url, verified, allowed_ips, two_way, rate_limit_per_second, callback_url, webhook_secret, created_at, updated_at, webhook_previous_secret, webhook_previous_until";
    private static readonly string s_joinedColumns = string.Join(", ", Columns.Split(", ").Select(c => "b." + c));
    private static readonly int s_columnCount = Columns.Split(", ").Length;

    /// <returns>false when the id is taken</returns>
    public Task<bool> Insert(Business business, AuditEntry audit) => writer.Write((c, tx) =>
    {
        if (Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM businesses WHERE id=@id", ("@id", business.Id)) > 0)
            return false;
        Sql.Exec(c, tx, $"INSERT INTO businesses ({Columns}) VALUES (@id,@name,@logo,@desc,@learn,@verified,@ips,@twoWay,@rate,@cb,@secret,@created,@updated,@prevSecret,@prevUntil)",
            Parameters(business));
        AuditLog.Append(c, tx, audit);
        return true;
    });

    public Task<bool> Update(Business business, AuditEntry audit) => writer.Write((c, tx) =>
    {
        var updated = Sql.Exec(c, tx, """
            UPDATE businesses SET name=@name, logo_url=@logo, description=@desc, learn_more_url=@learn, verified=@verified,
              allowed_ips=@ips, two_way=@twoWay, rate_limit_per_second=@rate, updated_at=@updated WHERE id=@id
            """, Parameters(business)) == 1;
        if (updated)
            AuditLog.Append(c, tx, audit);
        return updated;
    });

    /// <summary>
    /// Sets the callback URL, keeping the signing secret if there is one (else <paramref name="newSecret"/>), and makes
    /// every pending event due now, so a fixed URL gets the backlog at once. Returns the secret in force.
    /// </summary>
    public Task<string> SetWebhook(string businessId, string url, string newSecret, DateTimeOffset now) => writer.Write((c, tx) =>
    {
        Sql.Exec(c, tx, "UPDATE businesses SET callback_url=@url, webhook_secret=COALESCE(webhook_secret, @secret), updated_at=@now WHERE id=@id",
            ("@url", url), ("@secret", newSecret), ("@now", Sql.Ms(now)), ("@id", businessId));
        Sql.Exec(c, tx, "UPDATE outbox SET next_attempt_at=@now WHERE business_id=@id AND sent_at IS NULL AND abandoned_at IS NULL",
            ("@now", Sql.Ms(now)), ("@id", businessId));
        return Sql.Scalar<string>(c, tx, "SELECT webhook_secret FROM businesses WHERE id=@id", ("@id", businessId))!;
    });

    /// <summary>
    /// Issues <paramref name="newSecret"/>; the one it replaces keeps signing until <paramref name="previousUntil"/>.
    /// A secret still in its overlap from an earlier rotation stops signing now: only the latest two sign.
    /// </summary>
    /// <returns>false when the business has no webhook (so no secret) yet</returns>
    public Task<bool> RotateWebhookSecret(string businessId, string newSecret, DateTimeOffset previousUntil, DateTimeOffset now) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, """
            UPDATE businesses SET webhook_previous_secret=webhook_secret, webhook_previous_until=@until, webhook_secret=@secret, updated_at=@now
            WHERE id=@id AND webhook_secret IS NOT NULL
            """, ("@until", Sql.Ms(previousUntil)), ("@secret", newSecret), ("@now", Sql.Ms(now)), ("@id", businessId)) == 1);

    public Business? Get(string id)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {Columns} FROM businesses WHERE id=@id", Read, ("@id", id)).SingleOrDefault();
    }

    public List<Business> List()
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {Columns} FROM businesses ORDER BY created_at, id", Read);
    }

    /// <summary>An unrevoked key with its business; an expired one too (the caller tells the two apart).</summary>
    public ApiKey? FindByKeyHash(byte[] keyHash)
    {
        using var c = database.Read();
        return Sql.Query(c, null,
            $"SELECT {s_joinedColumns}, k.id, k.scopes, k.expires_at FROM api_keys k JOIN businesses b ON b.id = k.business_id WHERE k.key_hash=@h AND k.revoked_at IS NULL",
            r => new ApiKey(r.GetString(s_columnCount), Read(r), ApiScopes.Parse(Sql.Str(r, s_columnCount + 1)), Sql.Time(r, s_columnCount + 2)),
            ("@h", keyHash)).SingleOrDefault();
    }

    public Task AddKey(NewApiKey key, AuditEntry audit) => writer.Write((c, tx) =>
    {
        Sql.Exec(c, tx, "INSERT INTO api_keys (id, business_id, key_hash, created_at, name, scopes, expires_at) VALUES (@id,@b,@h,@t,@name,@scopes,@expires)",
            ("@id", key.KeyId), ("@b", key.BusinessId), ("@h", key.KeyHash), ("@t", Sql.Ms(audit.At)), ("@name", key.Name),
            ("@scopes", ApiScopes.Format(key.Scopes)), ("@expires", key.ExpiresAt is { } expires ? Sql.Ms(expires) : null));
        AuditLog.Append(c, tx, audit);
        return 1;
    });

    /// <returns>false when no such unrevoked key of that business exists</returns>
    public Task<bool> RevokeKey(string businessId, string keyId, AuditEntry audit) => writer.Write((c, tx) =>
    {
        var revoked = Sql.Exec(c, tx, "UPDATE api_keys SET revoked_at=@t WHERE id=@id AND business_id=@b AND revoked_at IS NULL",
            ("@t", Sql.Ms(audit.At)), ("@id", keyId), ("@b", businessId)) == 1;
        if (revoked)
            AuditLog.Append(c, tx, audit);
        return revoked;
    });

    /// <summary>Records when a key was last used (the caller keeps this to once a minute per key).</summary>
    public Task RecordKeyUsed(string keyId, DateTimeOffset at) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "UPDATE api_keys SET last_used_at=@t WHERE id=@id AND (last_used_at IS NULL OR last_used_at < @t)",
            ("@t", Sql.Ms(at)), ("@id", keyId)));

    public List<ApiKeyInfo> ListKeys(string businessId)
    {
        using var c = database.Read();
        return Sql.Query(c, null, "SELECT id, name, scopes, created_at, expires_at, last_used_at, revoked_at FROM api_keys WHERE business_id=@b ORDER BY created_at",
            r => new ApiKeyInfo(r.GetString(0), Sql.Str(r, 1), ApiScopes.Parse(Sql.Str(r, 2)), Sql.Time(r.GetInt64(3)), Sql.Time(r, 4), Sql.Time(r, 5), Sql.Time(r, 6)),
            ("@b", businessId));
    }

    private static (string, object?)[] Parameters(Business b) =>
    [
        ("@id", b.Id), ("@name", b.Name), ("@logo", b.LogoUrl), ("@desc", b.Description), ("@learn", b.LearnMoreUrl),
        ("@verified", b.Verified), ("@ips", JsonSerializer.Serialize(b.AllowedIps.ToList(), CoreJson.Default.ListString)),
        ("@twoWay", b.TwoWay), ("@rate", b.RateLimitPerSecond), ("@cb", b.CallbackUrl), ("@secret", b.WebhookSecret),
        ("@created", Sql.Ms(b.CreatedAt)), ("@updated", Sql.Ms(b.UpdatedAt)),
        ("@prevSecret", b.WebhookPreviousSecret), ("@prevUntil", b.WebhookPreviousUntil is { } until ? Sql.Ms(until) : null),
    ];

    private static Business Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        LogoUrl = Sql.Str(r, 2),
        Description = Sql.Str(r, 3),
        LearnMoreUrl = Sql.Str(r, 4),
        Verified = r.GetBoolean(5),
        AllowedIps = JsonSerializer.Deserialize(r.GetString(6), CoreJson.Default.ListString) ?? [],
        TwoWay = r.GetBoolean(7),
        RateLimitPerSecond = r.IsDBNull(8) ? null : r.GetInt32(8),
        CallbackUrl = Sql.Str(r, 9),
        WebhookSecret = Sql.Str(r, 10),
        CreatedAt = Sql.Time(r.GetInt64(11)),
        UpdatedAt = Sql.Time(r.GetInt64(12)),
        WebhookPreviousSecret = Sql.Str(r, 13),
        WebhookPreviousUntil = Sql.Time(r, 14),
    };
}

/// <summary>A key as the operator sees it: never the key itself.</summary>
public sealed record ApiKeyInfo(string KeyId, string? Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A key being issued: its hash, never its clear text. Null <see cref="Scopes"/> means every scope.</summary>
public sealed record NewApiKey(string KeyId, string BusinessId, byte[] KeyHash, string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);

/// <summary>An unrevoked key as authentication needs it.</summary>
public sealed record ApiKey(string KeyId, Business Business, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt)
{
    public bool ExpiredAt(DateTimeOffset now) => ExpiresAt <= now;
}
