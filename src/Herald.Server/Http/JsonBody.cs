using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Herald.Server.Http;

/// <summary>
/// Reads a JSON body with a size limit and turns every way it can be wrong (too big, not JSON, wrong shape,
/// unknown fields) into a problem the caller can act on, instead of a bare 400 or 500.
/// </summary>
public static class JsonBody
{
    public const long DefaultLimit = 64 * 1024;
    private const long DrainAllowance = 1024 * 1024;

    public static async Task<(T? Value, IResult? Problem)> Read<T>(HttpContext context, JsonTypeInfo<T> type, long limit = DefaultLimit)
        where T : class
    {
        var (value, problem, _) = await ReadWithBytes(context, type, limit);
        return (value, problem);
    }

    /// <summary>Also hands back the body's bytes, for callers that must compare bodies (idempotency).</summary>
    public static async Task<(T? Value, IResult? Problem, byte[] Body)> ReadWithBytes<T>(HttpContext context, JsonTypeInfo<T> type, long limit = DefaultLimit)
        where T : class
    {
        // Kestrel cuts a body at its limit by closing the connection, which the client sees as a reset, not a 413.
        // So Kestrel's cap sits a little higher, and a body just over our limit is read to its end and answered.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit + DrainAllowance;
        if (!IsJson(context.Request.ContentType))
            return (null, Problems.UnsupportedMediaType(), []);
        byte[]? body;
        try
        {
            body = await ReadUpTo(context.Request, limit, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }
        if (body is null)
            return (null, Problems.TooLarge(limit), []);
        try
        {
            var value = JsonSerializer.Deserialize(body, type);
            if (value is not null && HoldsNul(body))
                return (null, Problems.Invalid("body", NulRefused), body);
            return value is null ? (null, Problems.Invalid("body", "a JSON object is required"), body) : (value, null, body);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Problems.Invalid(field, Describe(ex)), body);
        }
    }

    /// <summary><c>application/json</c>, with or without parameters (<c>; charset=utf-8</c>); nothing else is read as JSON.</summary>
    private static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    public const string NulRefused = "strings must not contain the NUL character (\\u0000)";

    /// <summary>
    /// Whether a string in valid JSON holds U+0000. No field has a use for it and PostgreSQL's text cannot store it (the
    /// insert would fail as a 500), so every API refuses it the same way on every store.
    /// </summary>
    public static bool HoldsNul(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u0000"u8) < 0) // the only way to write NUL in JSON text: raw control characters are invalid
            return false;
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <returns>the body, or null when it is longer than <paramref name="limit"/> (the rest is read and dropped)</returns>
    private static async Task<byte[]?> ReadUpTo(HttpRequest request, long limit, CancellationToken cancel)
    {
        // Nearly every client says how long its body is: read it straight into an array of that size. (This used to
        // allocate a 16 KiB chunk per request, almost half of everything a send allocated.) Kestrel ends a body that
        // is shorter than its Content-Length with an error, and never hands out more than it declared.
        if (request.ContentLength is { } declared && declared <= limit)
        {
            var exact = new byte[declared];
            await request.Body.ReadExactlyAsync(exact, cancel);
            return exact;
        }
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var buffer = new MemoryStream();
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    while (await request.Body.ReadAsync(chunk, cancel) > 0)
                    {
                    }
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    // The serializer's messages name .NET types; say what the client can fix instead.
    private static string Describe(JsonException ex) =>
        ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown field"
        : ex.Message.Contains("could not be converted", StringComparison.Ordinal) ? "wrong type"
        : "malformed JSON";
}
