using System.Security.Cryptography;
using System.Text.Json;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.BusinessApi;

/// <summary>
/// <c>Idempotency-Key</c>: the same key with the same body within 24 hours gets the first answer again (and nothing is
/// sent twice); the same key with another body is a <c>409 idempotency_conflict</c>. The first answer is stored in the
/// same transaction as the messages, so a crash cannot separate them.
/// </summary>
public sealed class IdempotentRequests(IdempotencyStore records, TimeProvider time)
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    /// <summary>The request's key and fingerprint, or the answer to give right away (a replay, a conflict, a bad key).</summary>
    public (IdempotencyAttempt? Attempt, IResult? Answer) Begin(HttpContext context, string businessId, string operation, byte[] body)
    {
        var key = context.Request.Headers[HeaderName].ToString();
        if (key.Length == 0)
            return (null, null);
        if (key.Length > MaxKeyLength)
            return (null, Problems.Invalid(HeaderName, $"at most {MaxKeyLength} characters"));
        var hash = SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(operation + "\n"), .. body]);
        var attempt = new IdempotencyAttempt(businessId, key, hash);
        return (attempt, Replay(attempt));
    }

    /// <summary>Stores the answer with the work; if another request with the key won the race, answers as it did.</summary>
    public async Task<IResult> Complete<T>(IdempotencyAttempt? attempt, int status, T answer, Func<IdempotencyRecord?, Task> store)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(answer, ApiJson.Options);
        var record = attempt is null ? null : new IdempotencyRecord(attempt.BusinessId, attempt.Key, attempt.Hash, status, bytes, time.GetUtcNow());
        try
        {
            await store(record);
        }
        catch (Exception ex) when (attempt is not null && records.IsConflict(ex))
        {
            return Replay(attempt) ?? throw new InvalidOperationException("idempotency record vanished", ex);
        }
        return new JsonBytesResult(bytes, status);
    }

    private IResult? Replay(IdempotencyAttempt attempt)
    {
        var first = records.Find(attempt.BusinessId, attempt.Key, time.GetUtcNow());
        if (first is null)
            return null;
        if (!CryptographicOperations.FixedTimeEquals(first.RequestHash, attempt.Hash))
            return Problems.Create(409, "idempotency_conflict", "This Idempotency-Key was used with another request.",
                "Use a new key for a new request; a key's first answer is kept for 24 hours.");
        return new JsonBytesResult(first.Response, first.StatusCode);
    }
}

public sealed record IdempotencyAttempt(string BusinessId, string Key, byte[] Hash);
