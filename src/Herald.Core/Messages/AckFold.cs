namespace Herald.Core.Messages;

/// <summary>
/// Acks a device sent one right after the other (its <c>delivered</c> and then its <c>seen</c> for the same messages,
/// the Messenger's usual pair) are stored together: per message only the furthest ack counts, since a <c>seen</c>
/// passes through <c>delivered</c> anyway (<see cref="StatusRules.Path"/>). One read and one update per message then,
/// instead of one of each per ack, and both callback events are still written, in lifecycle order.
/// </summary>
public static class AckFold
{
    /// <returns>each message once, in the order first named, with the furthest ack any of the frames gave it</returns>
    public static List<(string Id, MessageStatus Ack)> Fold(IEnumerable<(IReadOnlyCollection<string> Ids, MessageStatus Ack)> frames)
    {
        var order = new List<string>();
        var furthest = new Dictionary<string, MessageStatus>();
        foreach (var (ids, ack) in frames)
        {
            foreach (var id in ids)
            {
                if (!furthest.TryGetValue(id, out var known))
                {
                    order.Add(id);
                    furthest[id] = ack;
                }
                else if (ack == MessageStatus.Seen && known != MessageStatus.Seen)
                    furthest[id] = ack;
            }
        }
        return order.ConvertAll(id => (id, furthest[id]));
    }
}
