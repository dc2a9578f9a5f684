namespace Herald.Storage.Sqlite;

/// <summary>Operator tokens, stored as hashes.</summary>
public sealed class OperatorStore(SqliteDatabase database, SqliteWriter writer)
{
    public bool HasAnyToken()
    {
        using var c = database.Read();
        return Sql.Scalar<long>(c, null, "SELECT COUNT(*) FROM operator_tokens") > 0;
    }

    public Task AddToken(string id, byte[] tokenHash, DateTimeOffset now) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "INSERT INTO operator_tokens (id, token_hash, created_at) VALUES ($id,$h,$t)",
            ("$id", id), ("$h", tokenHash), ("$t", Sql.Ms(now))));

    /// <summary>The token's id, or null. The lookup is by hash, so its timing says nothing about the token.</summary>
    public string? FindToken(byte[] tokenHash)
    {
        using var c = database.Read();
        return Sql.Scalar<string>(c, null, "SELECT id FROM operator_tokens WHERE token_hash=$h", ("$h", tokenHash));
    }
}
