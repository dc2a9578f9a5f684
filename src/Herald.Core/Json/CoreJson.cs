using System.Text.Json.Serialization;
using Herald.Core.Callbacks;
using Herald.Core.Messages;

namespace Herald.Core.Json;

/// <summary>Source-generated, snake_case JSON for the domain's records (no reflection on hot paths).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(MessageContent))]
[JsonSerializable(typeof(CallbackEvent))]
[JsonSerializable(typeof(CallbackBatch))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class CoreJson : JsonSerializerContext;
