using System.Collections.Concurrent;
using Herald.Server.Cluster;
using Herald.Server.Telemetry;
using Herald.Storage;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Consumer;

/// <summary>
/// The devices connected to this node, by consumer, so a new message reaches them the moment it is stored. In a
/// cluster, what happens to a consumer here is also announced to the other nodes, which may hold their other devices.
/// </summary>
public sealed partial class DeviceConnections(ClusterBus cluster, MessageStore messages, TimeProvider time, ILogger<DeviceConnections> log)
{
    private readonly Dictionary<string, List<DeviceSession>> _byConsumer = [];
    private readonly ConcurrentDictionary<string, byte> _refreshing = new();

    public void Add(DeviceSession session)
    {
        lock (_byConsumer)
        {
            if (!_byConsumer.TryGetValue(session.Device.ConsumerId, out var list))
                _byConsumer[session.Device.ConsumerId] = list = [];
            list.Add(session);
        }
        DeviceMetrics.Connected();
    }

    public void Remove(DeviceSession session)
    {
        lock (_byConsumer)
        {
            if (!_byConsumer.TryGetValue(session.Device.ConsumerId, out var list) || !list.Remove(session))
                return;
            if (list.Count == 0)
                _byConsumer.Remove(session.Device.ConsumerId);
        }
        DeviceMetrics.Disconnected();
    }

    /// <summary>
    /// Ends the connections of a consumer (after erasure: their tokens no longer exist), or of one of their devices
    /// (after it signed out), on every node.
    /// </summary>
    public void Close(string consumerId, string? deviceId = null)
    {
        CloseHere(consumerId, deviceId);
        cluster.Publish(ClusterBus.Close, deviceId is null ? consumerId : consumerId + " " + deviceId);
    }

    public void CloseHere(string consumerId, string? deviceId)
    {
        foreach (var session in SessionsOf(consumerId).Where(s => deviceId is null || s.Device.DeviceId == deviceId))
            session.Close(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, "signed out");
    }

    /// <summary>A message was stored for the consumer: push it to their devices here, and tell the other nodes.</summary>
    public void Notify(string consumerId, WaitingMessage message)
    {
        foreach (var session in SessionsOf(consumerId))
            session.Offer(message);
        cluster.Publish(ClusterBus.Waiting, consumerId);
    }

    /// <summary>
    /// Another node stored messages for the consumer: if any of their devices is connected here, read what is waiting
    /// for each and push it (a session pushes a message once). Hints for the same consumer that arrive while a read
    /// is queued share it.
    /// </summary>
    public void OfferWaiting(string consumerId)
    {
        if (SessionsOf(consumerId).Length == 0 || !_refreshing.TryAdd(consumerId, 0))
            return;
        _ = Task.Run(() =>
        {
            // Cleared before reading, so a hint that arrives during the read causes another read.
            _refreshing.TryRemove(consumerId, out _);
            try
            {
                foreach (var session in SessionsOf(consumerId))
                    foreach (var waiting in messages.WaitingFor(consumerId, session.Device.DeviceId, time.GetUtcNow()))
                        session.Offer(waiting);
            }
            catch (Exception ex)
            {
                LogReadFailed(ex); // the messages stay waiting: the next hint or reconnect pushes them
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read waiting messages after a hint from another node")]
    private partial void LogReadFailed(Exception ex);

    private DeviceSession[] SessionsOf(string consumerId)
    {
        lock (_byConsumer)
            return _byConsumer.TryGetValue(consumerId, out var list) ? [.. list] : [];
    }
}
