namespace Herald.Core.Messages;

/// <summary>Where a message is in its life. Only moves forward; see <see cref="StatusRules"/>.</summary>
public enum MessageStatus
{
    Accepted,
    Delivered,
    Seen,
    Expired,
    Failed,
}

/// <summary>Why a message failed.</summary>
public enum FailureReason
{
    NotRegistered,
    Blocked,
    OptedOut,
    Restricted,
}

public enum MessageCategory
{
    Transactional,
    Promotional,
    /// <summary>A free-form answer inside the 24-hour window a consumer's reply opens (see <see cref="Sessions"/>).</summary>
    Session,
}

/// <summary>The spec's public spelling of the enums, in one place.</summary>
public static class WireNames
{
    /// <summary>Every value of <paramref name="set"/>, spelled as on the wire.</summary>
    public static IReadOnlyList<string> Values(WireSet set) => set switch
    {
        WireSet.Category => [.. Enum.GetValues<MessageCategory>().Select(Of)],
        WireSet.MessageStatus => [.. Enum.GetValues<MessageStatus>().Select(Of)],
        WireSet.FailureReason => [.. Enum.GetValues<FailureReason>().Select(Of)],
        WireSet.TemplateStatus => Templates.TemplateStatuses.All,
        WireSet.CallbackEventType => Callbacks.CallbackEventTypes.All,
        WireSet.ReplyDestinations => Businesses.ReplyDestinationNames.All,
        _ => Callbacks.DeliveryStates.All,
    };

    public static string Of(MessageStatus status) => status switch
    {
        MessageStatus.Accepted => "accepted",
        MessageStatus.Delivered => "delivered",
        MessageStatus.Seen => "seen",
        MessageStatus.Expired => "expired",
        _ => "failed",
    };

    public static string Of(FailureReason reason) => reason switch
    {
        FailureReason.NotRegistered => "not_registered",
        FailureReason.Blocked => "blocked",
        FailureReason.OptedOut => "opted_out",
        _ => "restricted",
    };

    public static string Of(MessageCategory category) => category switch
    {
        MessageCategory.Transactional => "transactional",
        MessageCategory.Promotional => "promotional",
        _ => "session",
    };

    public static MessageStatus ParseStatus(string value) => value switch
    {
        "accepted" => MessageStatus.Accepted,
        "delivered" => MessageStatus.Delivered,
        "seen" => MessageStatus.Seen,
        "expired" => MessageStatus.Expired,
        "failed" => MessageStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown status"),
    };

    public static FailureReason ParseReason(string value) => value switch
    {
        "not_registered" => FailureReason.NotRegistered,
        "blocked" => FailureReason.Blocked,
        "opted_out" => FailureReason.OptedOut,
        "restricted" => FailureReason.Restricted,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown reason"),
    };

    public static MessageCategory ParseCategory(string value) =>
        TryParseCategory(value, out var category) ? category : throw new ArgumentOutOfRangeException(nameof(value), value, "unknown category");

    public static bool TryParseCategory(string? value, out MessageCategory category)
    {
        category = value switch
        {
            "promotional" => MessageCategory.Promotional,
            "session" => MessageCategory.Session,
            _ => MessageCategory.Transactional,
        };
        return value is "transactional" or "promotional" or "session";
    }
}
