using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Messenger;

/// <summary>What the business's webhook heard: the Messenger's acks and choices, as Herald reported them.</summary>
public static class Webhook
{
    public static bool Is(this JsonElement e, string type, string? messageId = null) =>
        e.GetProperty("type").GetString() == type
        && (messageId is null || (e.TryGetProperty("message_id", out var id) && id.GetString() == messageId));

    /// <summary>The first event of that type (for that message), once it has arrived.</summary>
    public static async Task<JsonElement> WaitFor(this Receiver receiver, string type, string? messageId = null)
    {
        var events = await receiver.WaitForEvents(all => all.Any(e => e.Is(type, messageId)));
        return events.First(e => e.Is(type, messageId));
    }
}
