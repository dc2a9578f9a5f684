namespace Herald.Storage;

/// <summary>Operator tokens, stored as hashes.</summary>
public sealed class OperatorStore(Database database, Writer writer)
{
    public bool HasAnyToken()
    {
        using var c = database.Read();
        return Sql.Scalar<long>(c, null, "SELECT COUNT(*) FROM operator_tokens") > 0;
    }

    /// <summary>Adds a token; the same token added twice (nodes of a cluster starting at once) is kept once.</summary>
    public Task AddToken(string id, byte[] tokenHash, DateTimeOffset now) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "INSERT INTO operator_tokens (id, token_hash, created_at) VALUES (@id,@h,@t) ON CONFLICT DO NOTHING",
            ("@id", id), ("@h", tokenHash), ("@t", Sql.Ms(now))));

    /// <summary>The token's id, or null. The lookup is by hash, so its timing says nothing about the token.</summary>
    public string? FindToken(byte[] tokenHash)
    {
        using var c = database.Read();
        return Sql.Scalar<string>(c, null, "SELECT id FROM operator_tokens WHERE token_hash=@h", ("@h", tokenHash));
    }
}
