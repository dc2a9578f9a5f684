using Herald.Core.Messages;
using Herald.Server.Business;

namespace Herald.Server.Consumer;

/// <summary>
/// The WebSocket protocol, JSON text frames. Device → server: <c>auth</c> (first frame, when the token is not in
/// the Authorization header), <c>delivered</c> and <c>seen</c> with <c>message_ids</c>, <c>reply</c> to a two-way sender.
/// Server → device: <c>ready</c>, <c>message</c>, <c>acked</c>, <c>reply_sent</c>, <c>read</c>, <c>reply_echo</c>, <c>error</c>.
/// See docs/protocol.md.
/// </summary>
// Settable properties rather than a constructor: System.Text.Json reads a type with more than four constructor
// parameters through a slower path that allocates per frame, and every ack is one of these.
public sealed class DeviceFrame
{
    public string? Type { get; init; }
    public string? Token { get; init; }
    public List<string>? MessageIds { get; init; }
    public string? BusinessId { get; init; }
    public string? MessageId { get; init; }
    public string? Text { get; init; }
    public string? Ref { get; init; }
}

public sealed record ReadyFrame(string DeviceId, string Type = "ready");

/// <param name="Ref">the device's own reference from the frame that failed, when it gave one</param>
public sealed record ErrorFrame(string Code, string Message, string? Ref = null, string Type = "error");

public sealed record ReplySentFrame(string ReplyId, string? Ref, string Type = "reply_sent");

/// <summary>
/// A <c>delivered</c> or <c>seen</c> frame is committed: the device may forget these acks. Until then it keeps them
/// and sends them again after reconnecting (the server may have crashed before the commit).
/// </summary>
/// <param name="Ack">the confirmed frame's type: delivered or seen</param>
/// <param name="MessageIds">the frame's ids, each once</param>
/// <param name="Ref">the frame's <c>ref</c>, when it gave one</param>
public sealed record AckedFrame(string Ack, IReadOnlyCollection<string> MessageIds, string? Ref, string Type = "acked");

public sealed record MessageFrame(DeliveredMessage Message, string Type = "message");

/// <summary>Another device of this consumer sent <c>seen</c> for these messages (live, and on connect for what was missed).</summary>
public sealed record ReadFrame(IReadOnlyCollection<string> MessageIds, string Type = "read");

/// <summary>A reply sent from another device of this consumer (live only: reply content is never kept).</summary>
public sealed record ReplyEchoFrame(string ReplyId, string BusinessId, string Text, string? MessageId, DateTimeOffset SentAt, string Type = "reply_echo");

public sealed record DeliveredMessage(
    string MessageId, SenderProfile Sender, string Category, string? Text, string? Url, string? ImageUrl,
    MessageButton? Button, string? Qr, DateTimeOffset SentAt, DateTimeOffset ExpiresAt)
{
    /// <summary>The message as every device path shows it (WebSocket, push payload, GET messages/waiting).</summary>
    public static DeliveredMessage Of(Storage.WaitingMessage m, SenderProfile sender)
    {
        var c = m.Content;
        return new DeliveredMessage(m.Id, sender, WireNames.Of(m.Category), c.Text, c.Url, c.ImageUrl, c.Button, c.Qr, m.AcceptedAt, m.ExpiresAt);
    }
}
