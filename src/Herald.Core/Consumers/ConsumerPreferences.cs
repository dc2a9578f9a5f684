using Herald.Core.Messages;

namespace Herald.Core.Consumers;

/// <summary>What a consumer has said about receiving business messages.</summary>
public sealed record ConsumerPreferences(bool BusinessMessages, bool Promotional, bool Restricted, bool BlocksSender)
{
    /// <summary>
    /// Why a message from this sender may not be delivered, or null when it may. Restriction comes first (the
    /// consumer asked to stop all processing), then the sender block, then the opt-outs. A session answer is not
    /// promotional: the consumer started the conversation, so only the opt-out from all business messages stops it.
    /// </summary>
    public FailureReason? Refusal(MessageCategory category) =>
        Restricted ? FailureReason.Restricted
        : BlocksSender ? FailureReason.Blocked
        : !BusinessMessages ? FailureReason.OptedOut
        : category == MessageCategory.Promotional && !Promotional ? FailureReason.OptedOut
        : null;
}
