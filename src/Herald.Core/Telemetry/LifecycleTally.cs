using Herald.Core.Messages;

namespace Herald.Core.Telemetry;

/// <summary>
/// Status changes made inside one write, counted into <see cref="MessageMetrics"/> only once that write committed.
/// A write may run twice (the writer retries a batch item by item), so each run makes a tally of its own and
/// returns it with its result.
/// </summary>
public sealed class LifecycleTally
{
    private List<(MessageStatus Status, MessageCategory Category, FailureReason? Reason)>? _steps;

    public void Add(MessageStatus status, MessageCategory category, FailureReason? reason = null) =>
        (_steps ??= []).Add((status, category, reason));

    /// <summary>Call after COMMIT returned.</summary>
    public void Record()
    {
        if (_steps is null)
            return;
        foreach (var (status, category, reason) in _steps)
        {
            switch (status)
            {
                case MessageStatus.Accepted:
                    MessageMetrics.Accepted(category);
                    break;
                case MessageStatus.Delivered or MessageStatus.Seen:
                    MessageMetrics.Acknowledged(status, category);
                    break;
                case MessageStatus.Expired:
                    MessageMetrics.Expired(category);
                    break;
                default:
                    MessageMetrics.Failed(category, reason ?? FailureReason.Restricted);
                    break;
            }
        }
    }
}
