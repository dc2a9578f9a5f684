using Herald.Core.Messages;
using Herald.Server.Business;

namespace Herald.Server.Consumer;

/// <summary>
/// The WebSocket protocol, JSON text frames. Device → server: <c>auth</c> (first frame, when the token is not in
/// the Authorization header), <c>delivered</c> and <c>seen</c> with <c>message_ids</c>.
/// Server → device: <c>ready</c>, <c>message</c>, <c>error</c>.
/// </summary>
public sealed record DeviceFrame(string? Type, string? Token, List<string>? MessageIds);

public sealed record ReadyFrame(string DeviceId, string Type = "ready");

public sealed record ErrorFrame(string Code, string Message, string Type = "error");

public sealed record MessageFrame(DeliveredMessage Message, string Type = "message");

public sealed record DeliveredMessage(
    string MessageId, SenderProfile Sender, string Category, string? Text, string? Url, string? ImageUrl,
    MessageButton? Button, string? Qr, DateTimeOffset SentAt, DateTimeOffset ExpiresAt);
