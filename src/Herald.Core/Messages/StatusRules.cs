namespace Herald.Core.Messages;

/// <summary>
/// The forward-only status machine: accepted → delivered → seen, or accepted → expired | failed.
/// A device ack is what moves a message; everything else is refused so a late or repeated ack changes nothing.
/// </summary>
public static class StatusRules
{
    public static bool IsTerminal(MessageStatus status) =>
        status is MessageStatus.Seen or MessageStatus.Expired or MessageStatus.Failed;

    public static bool CanMove(MessageStatus from, MessageStatus to) => (from, to) switch
    {
        (MessageStatus.Accepted, MessageStatus.Delivered) => true,
        (MessageStatus.Accepted, MessageStatus.Seen) => true, // seen implies delivered: both events are emitted
        (MessageStatus.Delivered, MessageStatus.Seen) => true,
        (MessageStatus.Accepted, MessageStatus.Expired) => true,
        (MessageStatus.Accepted, MessageStatus.Failed) => true,
        _ => false,
    };

    /// <summary>
    /// The statuses a message passes through to reach <paramref name="to"/>, in lifecycle order
    /// (each one becomes a callback event). Empty when the move is not allowed.
    /// </summary>
    public static IReadOnlyList<MessageStatus> Path(MessageStatus from, MessageStatus to)
    {
        if (!CanMove(from, to))
            return [];
        if (from == MessageStatus.Accepted && to == MessageStatus.Seen)
            return [MessageStatus.Delivered, MessageStatus.Seen];
        return [to];
    }
}
