namespace Herald.Client;

/// <summary>Something the server sent a connected device.</summary>
public abstract record DeviceEvent;

/// <summary>A message for this consumer; acknowledge it with <see cref="DeviceConnection.MarkDeliveredAsync"/>.</summary>
/// <param name="Message">the message, with its sender's profile</param>
public sealed record MessageReceived(DeviceMessage Message) : DeviceEvent;

/// <summary>
/// The server has stored these acks (they are no longer in <see cref="DeviceConnection.UnconfirmedAcks"/>). Every id
/// of the ack frame is named, also those that changed nothing because the message was already in that state.
/// </summary>
/// <param name="Ack">delivered or seen</param>
/// <param name="MessageIds">the confirmed ids</param>
/// <param name="Ref">the ack frame's reference, when it had one</param>
public sealed record AcksConfirmed(string Ack, IReadOnlyList<string> MessageIds, string? Ref) : DeviceEvent;

/// <summary>A reply went to the business; <paramref name="ReplyId"/> is its callback event's id.</summary>
/// <param name="ReplyId">the reply's id</param>
/// <param name="Ref">the reference the reply carried</param>
public sealed record ReplySent(string ReplyId, string? Ref) : DeviceEvent;

/// <summary>The server could not use a frame (the connection stays open).</summary>
/// <param name="Code">invalid_frame, unknown_type, not_two_way, not_found, restricted</param>
/// <param name="Message">what went wrong</param>
/// <param name="Ref">the reference of the frame that failed</param>
public sealed record DeviceError(string Code, string Message, string? Ref) : DeviceEvent;

/// <summary>A message as a device gets it: content and sender, no business secrets.</summary>
/// <param name="MessageId">de-duplicate by this: a message not acknowledged before a reconnect comes again</param>
/// <param name="Sender">the sender's profile</param>
/// <param name="Category">transactional or promotional</param>
/// <param name="Text">text</param>
/// <param name="Url">a link</param>
/// <param name="ImageUrl">an image</param>
/// <param name="Button">a button</param>
/// <param name="Qr">a QR code's payload</param>
/// <param name="SentAt">when the business sent it</param>
/// <param name="ExpiresAt">when it expires</param>
public sealed record DeviceMessage(
    string MessageId, SenderProfile Sender, string Category, string? Text, string? Url, string? ImageUrl, MessageButton? Button, string? Qr,
    DateTimeOffset SentAt, DateTimeOffset ExpiresAt);

/// <summary>A signed-in device.</summary>
/// <param name="Token">the device token (<c>hdt_…</c>): keep it secret</param>
/// <param name="DeviceId">the device's id</param>
/// <param name="Phone">the consumer's number</param>
public sealed record DeviceSignIn(string Token, string DeviceId, string Phone);
