using System.Text.Json;
using System.Text.Json.Serialization;
using Herald.Client;

namespace Herald.Cli;

/// <summary>
/// Messages from a JSON file: one message object, an array of them, or <c>{"messages":[…]}</c> as the batch API
/// takes. Fields are the API's; an unknown field is an error here, as on the server, so a typo never goes out.
/// </summary>
internal static class MessageFile
{
    private static readonly JsonSerializerOptions s_options = new(Output.JsonOptions)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static List<OutgoingMessage> Read(string path)
    {
        string text;
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read {path}: {ex.Message}");
        }
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var messages))
                root = messages;
            var list = root.ValueKind == JsonValueKind.Array
                ? root.Deserialize<List<OutgoingMessage>>(s_options)
                : [root.Deserialize<OutgoingMessage>(s_options)!];
            if (list is null || list.Count == 0 || list.Any(m => m is null))
                throw new UsageException($"{path} holds no messages.");
            return list;
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{path} is not a message, a list of messages or {{\"messages\":[…]}}: {ex.Message}");
        }
    }
}
