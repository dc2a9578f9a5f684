using Herald.Core.Messages;
using Herald.Storage;

namespace Herald.Server.Consumer;

/// <summary>
/// A device's <c>delivered</c>/<c>seen</c>, from its WebSocket or over HTTP (a service worker woken by a push): stored and a <c>seen</c> passed on to the consumer's other devices as <c>read</c>.
/// </summary>
public sealed class DeviceAcks(MessageStore messages, DeviceConnections connections, TimeProvider time)
{
    public const int MaxIds = 1000;

    /// <summary>Returns once the ack is committed; ids that are not the consumer's messages change nothing.</summary>
    public Task Acknowledge(DeviceIdentity device, IReadOnlyCollection<string> distinctIds, MessageStatus ack) =>
        Acknowledge(device, [(distinctIds, ack)]);

    /// <summary>Several acks of the device, folded (<see cref="AckFold"/>) and committed in one transaction.</summary>
    public async Task Acknowledge(DeviceIdentity device, IReadOnlyList<(IReadOnlyCollection<string> Ids, MessageStatus Ack)> acks)
    {
        var seen = acks.Any(a => a.Ack == MessageStatus.Seen) ? new List<string>() : null;
        // The events it writes wake the callback dispatcher after the commit (OutboxStore.AfterEventsWritten).
        await messages.Acknowledge(device.ConsumerId, device.DeviceId, AckFold.Fold(acks), time.GetUtcNow(), seen);
        if (seen is { Count: > 0 })
            connections.Read(device.ConsumerId, device.DeviceId, seen);
    }
}
