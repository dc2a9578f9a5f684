using System.Diagnostics;
using System.Diagnostics.Metrics;
using Herald.Core.Messages;

namespace Herald.Core.Telemetry;

/// <summary>
/// How many messages reached each step of their lifecycle, counted after the change committed (a write the writer
/// retries or rolls back is not counted). Labels: <c>category</c> (transactional, promotional) and, on failed,
/// <c>reason</c>.
/// </summary>
public static class MessageMetrics
{
    private static readonly Counter<long> s_accepted = Create("herald.messages.accepted", "Messages answered 202 and stored (including those that failed at once)");
    private static readonly Counter<long> s_delivered = Create("herald.messages.delivered", "Messages a device of the consumer acknowledged");
    private static readonly Counter<long> s_seen = Create("herald.messages.seen", "Messages the consumer opened");
    private static readonly Counter<long> s_expired = Create("herald.messages.expired", "Messages whose TTL passed before any delivery");
    private static readonly Counter<long> s_failed = Create("herald.messages.failed", "Messages that failed, by reason");

    public static void Accepted(MessageCategory category) => Add(s_accepted, category);

    public static void Expired(MessageCategory category) => Add(s_expired, category);

    /// <summary>One step of a device's acknowledgement: delivered, or seen.</summary>
    public static void Acknowledged(MessageStatus status, MessageCategory category) =>
        Add(status == MessageStatus.Seen ? s_seen : s_delivered, category);

    public static void Failed(MessageCategory category, FailureReason reason)
    {
        if (s_failed.Enabled)
            s_failed.Add(1, new TagList { { "category", WireNames.Of(category) }, { "reason", WireNames.Of(reason) } });
    }

    private static void Add(Counter<long> counter, MessageCategory category)
    {
        if (counter.Enabled)
            counter.Add(1, new KeyValuePair<string, object?>("category", WireNames.Of(category)));
    }

    private static Counter<long> Create(string name, string description) =>
        HeraldTelemetry.Meter.CreateCounter<long>(name, "{message}", description);
}
