using System.Data.Common;

namespace Herald.Storage;

/// <summary>First answers to <c>Idempotency-Key</c>s, kept for <see cref="Lifetime"/>.</summary>
public sealed class IdempotencyStore(Database database, Writer writer)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public IdempotencyRecord? Find(string businessId, string key, DateTimeOffset now)
    {
        using var c = database.Read();
        return Sql.Query(c, null, """
            SELECT request_hash, status_code, response, created_at FROM idempotency WHERE business_id=@b AND key=@k AND created_at > @cutoff
            """, r => new IdempotencyRecord(businessId, key, (byte[])r.GetValue(0), r.GetInt32(1), (byte[])r.GetValue(2), Sql.Time(r.GetInt64(3))),
            ("@b", businessId), ("@k", key), ("@cutoff", Sql.Ms(now - Lifetime))).SingleOrDefault();
    }

    /// <summary>Inside the caller's transaction; throws a unique-constraint error when the key is in use.</summary>
    internal static void Insert(DbConnection c, DbTransaction tx, IdempotencyRecord record)
    {
        Sql.Exec(c, tx, "DELETE FROM idempotency WHERE business_id=@b AND key=@k AND created_at <= @cutoff",
            ("@b", record.BusinessId), ("@k", record.Key), ("@cutoff", Sql.Ms(record.CreatedAt - Lifetime)));
        Sql.Exec(c, tx, "INSERT INTO idempotency (business_id, key, request_hash, status_code, response, created_at) VALUES (@b,@k,@h,@s,@r,@t)",
            ("@b", record.BusinessId), ("@k", record.Key), ("@h", record.RequestHash), ("@s", record.StatusCode), ("@r", record.Response), ("@t", Sql.Ms(record.CreatedAt)));
    }

    public Task<int> DeleteExpired(DateTimeOffset now) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "DELETE FROM idempotency WHERE created_at <= @cutoff", ("@cutoff", Sql.Ms(now - Lifetime))));

    /// <summary>True when an insert failed because the key was taken meanwhile (another request won the race).</summary>
    public bool IsConflict(Exception ex) => database.IsUniqueViolation(ex);
}

/// <param name="Response">the first answer's body: message ids only, never content</param>
public sealed record IdempotencyRecord(string BusinessId, string Key, byte[] RequestHash, int StatusCode, byte[] Response, DateTimeOffset CreatedAt);
