using System.Text.Json;
using Herald.Server.Consumer;
using Herald.Server.Http;

namespace Herald.Server.Push;

/// <summary>
/// What the service worker gets from <c>event.data.json()</c>: the message itself, or a content-free wake-up after
/// which it fetches GET /consumer/v1/messages/waiting.
/// </summary>
public static class PushPayload
{
    /// <summary>
    /// The most plaintext one push may carry. Push services accept 4096 bytes of body (RFC 8030 §7.2); aes128gcm
    /// (RFC 8188) spends 86 on its header (salt, record size, the sender's 65-byte key) and 17 on the tag and the
    /// padding delimiter, and the library encrypts into one record of that size.
    /// </summary>
    public const int MaxPlaintextBytes = 4096 - 86 - 17;

    public static readonly string Wake = """{"type":"wake"}""";

    /// <returns>the message payload, or null when it is too big for one push (then a wake-up goes instead)</returns>
    public static string? Message(DeliveredMessage message, bool notify)
    {
        var json = JsonSerializer.Serialize(new MessagePush(message, notify), ApiJson.Options);
        return System.Text.Encoding.UTF8.GetByteCount(json) <= MaxPlaintextBytes ? json : null;
    }

    private sealed record MessagePush(DeliveredMessage Message, bool Notify, string Type = "message");
}
