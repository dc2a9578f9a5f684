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

    public static async Task<(T? Value, IResult? Problem)> Read<T>(HttpContext context, JsonTypeInfo<T> type, long limit = DefaultLimit)
        where T : class
    {
        if (context.Request.ContentLength > limit)
            return (null, Problems.TooLarge(limit));
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit;
        if (!(context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
            return (null, Problems.Create(415, "invalid_request", "The body must be JSON.", "Send Content-Type: application/json."));
        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
            return value is null ? (null, Problems.Invalid("body", "a JSON object is required")) : (value, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(limit));
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Problems.Invalid(field, Describe(ex)));
        }
    }

    // The serializer's messages name .NET types; say what the client can fix instead.
    private static string Describe(JsonException ex) =>
        ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown field"
        : ex.Message.Contains("could not be converted", StringComparison.Ordinal) ? "wrong type"
        : "malformed JSON";
}
