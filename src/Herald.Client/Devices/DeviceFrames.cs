namespace Herald.Client.Http;

/// <summary>Device → server frames: delivered, seen, reply.</summary>
internal sealed record DeviceOutFrame(string Type, IReadOnlyList<string>? MessageIds = null, string? BusinessId = null,
    string? MessageId = null, string? Text = null, string? Ref = null);

internal sealed record ReadyFrame(string DeviceId);
internal sealed record MessageFrame(DeviceMessage Message);
internal sealed record ReplySentFrame(string ReplyId, string? Ref);
internal sealed record ErrorFrame(string Code, string Message, string? Ref);
internal sealed record AckedFrame(string Ack, IReadOnlyList<string> MessageIds, string? Ref);
