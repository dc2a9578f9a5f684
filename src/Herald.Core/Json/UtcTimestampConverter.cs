using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Herald.Core.Json;

/// <summary>Timestamps on the wire are ISO 8601 in UTC with a 'Z' and milliseconds: 2026-11-25T07:16:18.722Z.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    /// <exception cref="JsonException">for anything but a timestamp string, like every other malformed value (a 400, not a 500)</exception>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new JsonException("A timestamp is an ISO 8601 string such as 2026-11-25T07:16:18.722Z.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
