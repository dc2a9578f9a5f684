using Herald.Storage;

namespace Herald.Server.Consumer;

/// <summary>The devices connected to this node, by consumer, so a new message reaches them the moment it is stored.</summary>
public sealed class DeviceConnections
{
    private readonly Dictionary<string, List<DeviceSession>> _byConsumer = [];

    public void Add(DeviceSession session)
    {
        lock (_byConsumer)
        {
            if (!_byConsumer.TryGetValue(session.Device.ConsumerId, out var list))
                _byConsumer[session.Device.ConsumerId] = list = [];
            list.Add(session);
        }
    }

    public void Remove(DeviceSession session)
    {
        lock (_byConsumer)
        {
            if (_byConsumer.TryGetValue(session.Device.ConsumerId, out var list) && list.Remove(session) && list.Count == 0)
                _byConsumer.Remove(session.Device.ConsumerId);
        }
    }

    /// <summary>
    /// Ends the connections of a consumer (after erasure: their tokens no longer exist), or of one of their devices
    /// (after it signed out).
    /// </summary>
    public void Close(string consumerId, string? deviceId = null)
    {
        DeviceSession[] sessions;
        lock (_byConsumer)
            sessions = _byConsumer.TryGetValue(consumerId, out var list) ? [.. list] : [];
        foreach (var session in sessions.Where(s => deviceId is null || s.Device.DeviceId == deviceId))
            session.Close(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, "signed out");
    }

    public void Notify(string consumerId, WaitingMessage message)
    {
        DeviceSession[] sessions;
        lock (_byConsumer)
        {
            if (!_byConsumer.TryGetValue(consumerId, out var list))
                return;
            sessions = [.. list];
        }
        foreach (var session in sessions)
            session.Offer(message);
    }
}
