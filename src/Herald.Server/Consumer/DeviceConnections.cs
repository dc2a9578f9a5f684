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
public sealed partial class DeviceConnections
{
    private readonly Dictionary<string, List<DeviceSession>> _byConsumer = [];
    private readonly ConcurrentDictionary<string, byte> _refreshing = new();
    private readonly ClusterBus _cluster;
    private readonly MessageStore _messages;
    private readonly StoreHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger<DeviceConnections> _log;

    public DeviceConnections(ClusterBus cluster, MessageStore messages, StoreHealth health, TimeProvider time, ILogger<DeviceConnections> log)
    {
        _cluster = cluster;
        _messages = messages;
        _health = health;
        _time = time;
        _log = log;
        // While the database was away, pushes that needed a read (another node's hint, a connect) could not happen,
        // and no new hint will come for messages stored before it: once it answers, every device here catches up.
        health.Recovered += OfferAllWaiting;
    }

    private void OfferAllWaiting()
    {
        string[] consumers;
        lock (_byConsumer)
            consumers = [.. _byConsumer.Keys];
        foreach (var consumerId in consumers)
            OfferWaiting(consumerId);
    }

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
        _cluster.Publish(ClusterBus.Close, deviceId is null ? consumerId : consumerId + " " + deviceId);
    }

    /// <summary>A stopping server closes its sockets (1001 "going away") instead of holding shutdown until devices leave.</summary>
    public void CloseAllForShutdown()
    {
        DeviceSession[] all;
        lock (_byConsumer)
            all = [.. _byConsumer.Values.SelectMany(list => list)];
        foreach (var session in all)
            session.Close(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "server stopping");
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
        _cluster.Publish(ClusterBus.Waiting, consumerId);
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
                    foreach (var waiting in _messages.WaitingFor(consumerId, session.Device.DeviceId, _time.GetUtcNow()))
                        session.Offer(waiting);
            }
            catch (Exception ex)
            {
                // The messages stay waiting: the next hint, a reconnect, or the database's recovery pushes them.
                if (_health.Failed(ex) == StoreFault.None)
                    LogReadFailed(ex);
            }
        });
    }

    public bool IsConnectedHere(string consumerId, string deviceId) => SessionsOf(consumerId).Any(s => s.Device.DeviceId == deviceId);

    /// <summary>
    /// A device of the consumer sent <c>seen</c>: their other devices learn it (a <c>read</c> frame), here and on the
    /// other nodes. Only the consumer's own message ids reach this.
    /// </summary>
    public void Read(string consumerId, string fromDeviceId, IReadOnlyCollection<string> messageIds)
    {
        ReadHere(consumerId, fromDeviceId, messageIds);
        if (_cluster.Clustered) // the payload is built on every seen otherwise, for nobody
            _cluster.Publish(ClusterBus.Read, $"{consumerId} {fromDeviceId} {string.Join(',', messageIds)}");
    }

    public void ReadHere(string consumerId, string fromDeviceId, IReadOnlyCollection<string> messageIds)
    {
        foreach (var session in SessionsOf(consumerId).Where(s => s.Device.DeviceId != fromDeviceId))
            session.Tell(new ReadFrame(messageIds));
    }

    /// <summary>
    /// A device of the consumer sent a reply: their other connected devices show it (<c>reply_echo</c>), here and on
    /// the other nodes. Live only: the text passes through and is not kept.
    /// </summary>
    public void EchoReply(string consumerId, string fromDeviceId, ReplyEchoFrame echo)
    {
        EchoReplyHere(consumerId, fromDeviceId, echo);
        if (_cluster.Clustered)
            _cluster.Publish(ClusterBus.ReplyEcho, $"{consumerId} {fromDeviceId} {System.Text.Json.JsonSerializer.Serialize(echo, Http.ApiJson.Options)}");
    }

    public void EchoReplyHere(string consumerId, string fromDeviceId, ReplyEchoFrame echo)
    {
        foreach (var session in SessionsOf(consumerId).Where(s => s.Device.DeviceId != fromDeviceId))
            session.Tell(echo);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read waiting messages after a hint from another node")]
    private partial void LogReadFailed(Exception ex);

    private DeviceSession[] SessionsOf(string consumerId)
    {
        lock (_byConsumer)
            return _byConsumer.TryGetValue(consumerId, out var list) ? [.. list] : [];
    }
}
