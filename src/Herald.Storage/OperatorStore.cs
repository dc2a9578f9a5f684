namespace Herald.Storage;

/// <summary>
/// Operator tokens, stored as hashes, each with a unique name the audit log shows and a role (as people have). A
/// revoked token is kept, so its name keeps meaning one token in the audit log.
/// </summary>
public sealed class OperatorStore(Database database, Writer writer)
{
    private const string Columns = "id, name, role, created_by, created_at, expires_at, last_used_at, revoked_at";

    public bool HasAnyToken()
    {
        using var c = database.Read();
        return Sql.Scalar<long>(c, null, "SELECT COUNT(*) FROM operator_tokens") > 0;
    }

    /// <summary>
    /// Adds the bootstrap token; when another node of a cluster starting at once stored one first, nothing is added.
    /// </summary>
    /// <returns>whether this token was stored</returns>
    public Task<bool> AddBootstrapToken(string id, byte[] tokenHash, string role, DateTimeOffset now) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "INSERT INTO operator_tokens (id, name, role, token_hash, created_at) VALUES (@id,'bootstrap',@r,@h,@t) ON CONFLICT DO NOTHING",
            ("@id", id), ("@r", role), ("@h", tokenHash), ("@t", Sql.Ms(now))) == 1);

    /// <returns>false when the name is taken (by a live or a revoked token)</returns>
    public Task<bool> AddToken(NewOperatorToken token, AuditEntry audit) => writer.Write((c, tx) =>
    {
        if (Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM operator_tokens WHERE name=@n", ("@n", token.Name)) > 0)
            return false;
        Sql.Exec(c, tx, """
            INSERT INTO operator_tokens (id, name, role, token_hash, created_by, created_at, expires_at)
            VALUES (@id,@n,@r,@h,@by,@t,@x)
            """, ("@id", token.Id), ("@n", token.Name), ("@r", token.Role), ("@h", token.TokenHash), ("@by", token.CreatedBy),
            ("@t", Sql.Ms(audit.At)), ("@x", token.ExpiresAt is { } x ? Sql.Ms(x) : null));
        AuditLog.Append(c, tx, audit);
        return true;
    });

    /// <summary>
    /// The unrevoked token with this hash, expired ones too (the caller tells them apart), or null. The lookup is by
    /// hash, so its timing says nothing about the token.
    /// </summary>
    public OperatorToken? FindToken(byte[] tokenHash)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {Columns} FROM operator_tokens WHERE token_hash=@h AND revoked_at IS NULL", Read, ("@h", tokenHash))
            .SingleOrDefault();
    }

    /// <summary>The token with this id, or else with this name; revoked ones too.</summary>
    public OperatorToken? GetToken(string idOrName)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {Columns} FROM operator_tokens WHERE id=@v OR name=@v ORDER BY CASE WHEN id=@v THEN 0 ELSE 1 END",
            Read, ("@v", idOrName)).FirstOrDefault();
    }

    /// <summary>Every token, revoked ones included, oldest first.</summary>
    public List<OperatorToken> ListTokens()
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {Columns} FROM operator_tokens ORDER BY created_at, id", Read);
    }

    /// <returns>false when no such unrevoked token exists</returns>
    public Task<bool> RevokeToken(string id, AuditEntry audit) => writer.Write((c, tx) =>
    {
        var revoked = Sql.Exec(c, tx, "UPDATE operator_tokens SET revoked_at=@t WHERE id=@id AND revoked_at IS NULL",
            ("@t", Sql.Ms(audit.At)), ("@id", id)) == 1;
        if (revoked)
            AuditLog.Append(c, tx, audit);
        return revoked;
    });

    /// <summary>Records when a token was last used (the caller keeps this to once a minute per token).</summary>
    public Task RecordTokenUsed(string id, DateTimeOffset at) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "UPDATE operator_tokens SET last_used_at=@t WHERE id=@id AND (last_used_at IS NULL OR last_used_at < @t)",
            ("@t", Sql.Ms(at)), ("@id", id)));

    private static OperatorToken Read(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Sql.Str(r, 3), Sql.Time(r.GetInt64(4)), Sql.Time(r, 5), Sql.Time(r, 6), Sql.Time(r, 7));
}

/// <summary>An operator token as the team sees it: never the token itself, nor its hash.</summary>
/// <param name="CreatedBy">who created it (an e-mail or <c>token:NAME</c>); null for the bootstrap token</param>
public sealed record OperatorToken(string Id, string Name, string Role, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool ExpiredAt(DateTimeOffset now) => ExpiresAt <= now;
}

/// <summary>A token being created: its hash, never its clear text.</summary>
public sealed record NewOperatorToken(string Id, string Name, string Role, byte[] TokenHash, string CreatedBy, DateTimeOffset? ExpiresAt);
