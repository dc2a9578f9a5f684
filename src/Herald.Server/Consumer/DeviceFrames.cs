using Herald.Core.Messages;
using Herald.Server.Business;

namespace Herald.Server.Consumer;

/// <summary>
/// The WebSocket protocol, JSON text frames. Device → server: <c>auth</c> (first frame, when the token is not in
/// the Authorization header), <c>delivered</c> and <c>seen</c> with <c>message_ids</c>, <c>reply</c> to a two-way sender.
/// Server → device: <c>ready</c>, <c>message</c>, <c>reply_sent</c>, <c>error</c>. See docs/protocol.md.
/// </summary>
public sealed record DeviceFrame(
    string? Type, string? Token, List<string>? MessageIds, string? BusinessId, string? MessageId, string? Text, string? Ref);

public sealed record ReadyFrame(string DeviceId, string Type = "ready");

/// <param name="Ref">the device's own reference from the frame that failed, when it gave one</param>
public sealed record ErrorFrame(string Code, string Message, string? Ref = null, string Type = "error");

public sealed record ReplySentFrame(string ReplyId, string? Ref, string Type = "reply_sent");

public sealed record MessageFrame(DeliveredMessage Message, string Type = "message");

public sealed record DeliveredMessage(
    string MessageId, SenderProfile Sender, string Category, string? Text, string? Url, string? ImageUrl,
    MessageButton? Button, string? Qr, DateTimeOffset SentAt, DateTimeOffset ExpiresAt);
