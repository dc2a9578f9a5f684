namespace Herald.Storage;

/// <summary>Operator tokens, stored as hashes, each with a name the audit log shows.</summary>
public sealed class OperatorStore(Database database, Writer writer)
{
    public bool HasAnyToken()
    {
        using var c = database.Read();
        return Sql.Scalar<long>(c, null, "SELECT COUNT(*) FROM operator_tokens") > 0;
    }

    /// <summary>Adds a token; the same token added twice (nodes of a cluster starting at once) is kept once.</summary>
    public Task AddToken(string id, string name, byte[] tokenHash, DateTimeOffset now) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "INSERT INTO operator_tokens (id, name, token_hash, created_at) VALUES (@id,@n,@h,@t) ON CONFLICT DO NOTHING",
            ("@id", id), ("@n", name), ("@h", tokenHash), ("@t", Sql.Ms(now))));

    /// <summary>The token's id and name, or null. The lookup is by hash, so its timing says nothing about the token.</summary>
    public (string Id, string Name)? FindToken(byte[] tokenHash)
    {
        using var c = database.Read();
        return Sql.Query(c, null, "SELECT id, name FROM operator_tokens WHERE token_hash=@h", r => (r.GetString(0), r.GetString(1)), ("@h", tokenHash))
            .Select(t => ((string Id, string Name)?)t).FirstOrDefault();
    }
}
