using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Herald.Core.Messages;
using Herald.Core.Security;
using Herald.Server.BusinessApi;
using Herald.Server.Http;
using Herald.Server.Telemetry;
using Herald.Storage;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Consumer;

/// <summary>
/// One connected device. A single writer loop owns the socket's send side; everything to send goes through
/// <see cref="Outbound"/>, whose writer runs only while something waits. A message is pushed at most once per connection; across connections, the device's
/// <c>delivered</c> ack is what stops it being pushed again. An ack is confirmed with an <c>acked</c> frame once it is
/// committed, so a device knows which of its acks to send again after a crash or a dropped connection.
/// </summary>
public sealed partial class DeviceSession(WebSocket socket, DeviceIdentity device, MessageStore messages, SenderProfiles profiles,
    InboxSignal inbox, DeviceAcks acks, DeviceConnections connections, ConsumerDevices devices, StoreHealth health, TimeProvider time,
    ILogger<DeviceSession> log)
{
    public const int MaxFrameBytes = 64 * 1024;
    /// <summary>
    /// The close reason for a binary frame, closed with 1003 as RFC 6455 §7.4.1 suggests for "a type of data it cannot
    /// accept": every frame of the protocol is JSON text, so a client sending binary is built wrong, and an error frame
    /// per binary frame would only answer it again and again.
    /// </summary>
    public const string BinaryRefused = "binary frames are not accepted: send JSON text frames";
    /// <summary>Frames a device may send per second on average (an ack carries up to 1000 ids); bursts up to <see cref="FrameBurst"/>.</summary>
    public const int FramesPerSecond = 100;
    public const int FrameBurst = 500;
    private const int MaxIdsPerAck = 1000;
    // Device frames are small acks: a frame starts in a buffer this size and only a larger one grows past it.
    private const int FrameBufferBytes = 4 * 1024;
    private OutboundQueue? _queue;
    private HashSet<string>? _pushed; // touched by the one writer only; created with the first push
    private readonly CancellationTokenSource _closed = new();
    private volatile bool _closing; // once closing (sign-out, erasure, shutdown), frames from the device are ignored
    private double _frameTokens = FrameBurst;
    private long _frameTokensAt = System.Diagnostics.Stopwatch.GetTimestamp();
    // Acks read but not yet stored (read loop only): see FlushAcks.
    private readonly List<PendingAck> _pendingAcks = [];
    private int _pendingAckIds;

    public DeviceIdentity Device { get; } = device;

    // Made on first use: a field initializer cannot hand the queue this session's Write.
    private OutboundQueue Outbound => _queue ?? Interlocked.CompareExchange(ref _queue, new OutboundQueue(Write), null) ?? _queue;

    public void Offer(WaitingMessage message) => Outbound.TryWrite(message);

    /// <summary>Queues a frame for the device (read, reply_echo).</summary>
    public void Tell(object frame) => Outbound.TryWrite(frame);

    /// <summary>
    /// Ends the session from the server's side with a close frame (the device learns why); a device that does not
    /// answer the close within 2 seconds is cut off.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        _closing = true;
        Outbound.TryWrite(new CloseRequest(status, reason));
        _closed.CancelAfter(TimeSpan.FromSeconds(2));
    }

    /// <summary>Pushes what is waiting, then serves the connection until it closes.</summary>
    public async Task Run()
    {
        Outbound.TryWrite(new ReadyFrame(Device.DeviceId));
        try
        {
            foreach (var waiting in messages.WaitingFor(Device.ConsumerId, Device.DeviceId, time.GetUtcNow()))
                Offer(waiting);
            // What the consumer's other devices read while this one was away (ids only, MaxIdsPerAck to a frame).
            foreach (var chunk in devices.SeenSinceLastSync(Device.ConsumerId, Device.DeviceId).Chunk(MaxIdsPerAck))
                Tell(new ReadFrame(chunk));
        }
        catch (Exception ex) when (health.Failed(ex) != StoreFault.None)
        {
            // The device stays connected: when the database answers again, DeviceConnections offers what waits.
        }
        try
        {
            await ReadLoop(_closed.Token);
        }
        finally
        {
            var writer = Outbound.Complete();
            await _closed.CancelAsync();
            await writer;
        }
    }

    /// <summary>Sends one queued item; false once the close frame went out.</summary>
    private async Task<bool> Write(object item)
    {
        var cancel = _closed.Token;
        // Closing: what is still queued is dropped so the close frame goes out within the 2 s grace; unacknowledged
        // messages come again on the next connection, unconfirmed acks are sent again by the device.
        if (_closing && item is not CloseRequest)
            return true;
        if (item is CloseRequest close)
        {
            await socket.CloseOutputAsync(close.Status, close.Reason, cancel);
            return false;
        }
        var frame = item is WaitingMessage message ? ToFrame(message) : item;
        if (frame is null)
            return true;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, frame.GetType(), ApiJson.Options);
        using var push = frame is MessageFrame pushed ? MessageTracing.StartPush(pushed.Message.MessageId) : null;
        await socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancel);
        return true;
    }

    private MessageFrame? ToFrame(WaitingMessage m)
    {
        if (m.ExpiresAt <= time.GetUtcNow() || !(_pushed ??= []).Add(m.Id))
            return null;
        var sender = profiles.Get(m.BusinessId);
        return sender is null ? null : new MessageFrame(DeliveredMessage.Of(m, sender));
    }

    private async Task ReadLoop(CancellationToken cancel)
    {
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                // Wait for the next frame holding no buffer (a zero-byte receive): an idle device then costs no 4 KiB
                // of its own, and 100,000 of them no 400 MiB. The buffer is rented once the frame has begun to arrive.
                var next = socket.ReceiveAsync(Memory<byte>.Empty, cancel);
                // Acks read so far are stored once no further frame is already here: a device's delivered and seen
                // sent back to back go into one transaction (AckFold), and a busy device's acks share commits.
                if (!next.IsCompleted && _pendingAcks.Count > 0)
                    await FlushAcks(cancel);
                var ready = await next;
                if (ready.MessageType == WebSocketMessageType.Close)
                {
                    await FlushAcks(cancel);
                    await CloseReceived(cancel);
                    return;
                }
                var rented = ArrayPool<byte>.Shared.Rent(FrameBufferBytes);
                try
                {
                    // An empty message ends at the zero-byte receive: there is nothing more to read for it.
                    var (length, kind, buffer) = ready.EndOfMessage ? (0, ready.MessageType, rented) : await ReceiveFrame(socket, rented, cancel);
                    if (kind == WebSocketMessageType.Close)
                    {
                        await FlushAcks(cancel);
                        await CloseReceived(cancel);
                        return;
                    }
                    if (length < 0)
                    {
                        await SocketClosing.CloseAndDrain(socket, WebSocketCloseStatus.MessageTooBig, $"frames are limited to {MaxFrameBytes} bytes", cancel);
                        return;
                    }
                    if (kind == WebSocketMessageType.Binary)
                    {
                        await SocketClosing.CloseAndDrain(socket, WebSocketCloseStatus.InvalidMessageType, BinaryRefused, cancel);
                        return;
                    }
                    if (!TakeFrameToken())
                    {
                        // Drained like the 1009 close: a flood still arriving when the server hangs up would make TCP reset
                        // the connection, and the device could lose the close frame that says why.
                        await SocketClosing.CloseAndDrain(socket, WebSocketCloseStatus.PolicyViolation, $"too many frames: at most {FramesPerSecond} a second", cancel);
                        return;
                    }
                    if (!_closing)
                        await HandleOrRefuse(buffer.AsMemory(0, length), cancel);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented); // a frame that outgrew it was read into a larger array of its own
                }
            }
        }
        catch (WebSocketException)
        {
            // the device went away without a close handshake: nothing is lost, unacked messages are pushed next time
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
    }

    private async Task CloseReceived(CancellationToken cancel)
    {
        if (socket.State == WebSocketState.CloseReceived) // the device closed first: answer it
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel);
    }

    /// <summary>A token bucket on the device's frames: a flood closes the connection instead of eating the node.</summary>
    private bool TakeFrameToken()
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        _frameTokens = Math.Min(FrameBurst, _frameTokens + System.Diagnostics.Stopwatch.GetElapsedTime(_frameTokensAt, now).TotalSeconds * FramesPerSecond);
        _frameTokensAt = now;
        if (_frameTokens < 1)
            return false;
        _frameTokens--;
        return true;
    }

    /// <returns>the frame's length (-1 when it is larger than <see cref="MaxFrameBytes"/>) and the buffer holding it</returns>
    private static async Task<(int Length, WebSocketMessageType Kind, byte[] Buffer)> ReceiveFrame(WebSocket socket, byte[] buffer, CancellationToken cancel)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > MaxFrameBytes)
                    return (-1, WebSocketMessageType.Text, buffer);
                // Room for one byte past the limit: a frame of exactly the limit can still end with an empty fragment.
                Array.Resize(ref buffer, Math.Min(length * 2, MaxFrameBytes + 1));
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancel);
            if (result.MessageType == WebSocketMessageType.Close)
                return (0, WebSocketMessageType.Close, buffer);
            length += result.Count;
            if (result.EndOfMessage)
                return (length > MaxFrameBytes ? -1 : length, result.MessageType, buffer);
        }
    }

    /// <summary>
    /// A frame the database cannot take now (down, full) is refused with an error frame, and the connection stays:
    /// closing every device because the database restarted would only make them all reconnect at once when it is back.
    /// </summary>
    private async Task HandleOrRefuse(ReadOnlyMemory<byte> json, CancellationToken cancel)
    {
        try
        {
            await Handle(json, cancel);
        }
        catch (Exception ex) when (health.Failed(ex) is not StoreFault.None and var fault)
        {
            Refuse(fault);
        }
    }

    private void Refuse(StoreFault fault) => Send(fault == StoreFault.Full
        ? new ErrorFrame("storage_full", "The server's storage is full: nothing of this frame was stored. Send it again later.")
        : new ErrorFrame("database_unavailable", "The server cannot store this now: send it again in a few seconds."));

    private async Task Handle(ReadOnlyMemory<byte> json, CancellationToken cancel)
    {
        DeviceFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize(json.Span, ApiJson.Type<DeviceFrame>());
        }
        catch (JsonException)
        {
            Send(new ErrorFrame("invalid_frame", "Frames are JSON objects with a 'type'."));
            return;
        }
        if (JsonBody.HoldsNul(json.Span))
        {
            Send(new ErrorFrame("invalid_frame", $"Frame {JsonBody.NulRefused}."));
            return;
        }
        if (frame?.Type == "reply")
        {
            await FlushAcks(cancel); // what the device acknowledged before it replied is stored first
            await Reply(frame);
            return;
        }
        var ack = frame?.Type switch { "delivered" => MessageStatus.Delivered, "seen" => MessageStatus.Seen, _ => (MessageStatus?)null };
        if (ack is null)
        {
            Send(new ErrorFrame("unknown_type", $"Unknown frame type '{frame?.Type}'. Known: delivered, seen, reply.", frame?.Ref));
            return;
        }
        // Nulls and empty strings are refused as over HTTP (POST /consumer/v1/acks), not stored as ids of nothing.
        if (frame!.MessageIds is not { Count: > 0 and <= MaxIdsPerAck } ids || ids.Any(string.IsNullOrEmpty))
        {
            Send(new ErrorFrame("invalid_frame", $"'message_ids' needs 1 to {MaxIdsPerAck} ids, each a non-empty string.", frame.Ref));
            return;
        }
        var distinct = ids.Count == 1 ? ids : ids.Distinct().ToList();
        if (_pendingAckIds + distinct.Count > MaxIdsPerAck)
            await FlushAcks(cancel);
        _pendingAcks.Add(new PendingAck(frame.Type!, ack.Value, distinct, frame.Ref));
        _pendingAckIds += distinct.Count;
    }

    /// <summary>Stores the acks read since the last flush in one transaction, then confirms each frame with its <c>acked</c>.</summary>
    private async Task FlushAcks(CancellationToken cancel)
    {
        if (_pendingAcks.Count == 0)
            return;
        PendingAck[] batch = [.. _pendingAcks];
        _pendingAcks.Clear();
        _pendingAckIds = 0;
        var stored = await Store(batch);
        // One frame the store refuses (not a database fault) must not take the others down with it: each again alone.
        if (stored == AckStored.Failed && batch.Length > 1)
        {
            foreach (var single in batch)
                if (await Store([single]) == AckStored.Yes)
                    Send(new AckedFrame(single.Type, single.Ids, single.Ref));
            return;
        }
        // Every id is confirmed, also those that changed nothing (already in that state, another consumer's, unknown):
        // sending them again would change nothing either, so the device can forget them.
        if (stored == AckStored.Yes)
            foreach (var a in batch)
                Send(new AckedFrame(a.Type, a.Ids, a.Ref));
        cancel.ThrowIfCancellationRequested();
    }

    private async Task<AckStored> Store(PendingAck[] batch)
    {
        // A span per frame, as if each were stored alone; they end together, with the transaction.
        var spans = Array.ConvertAll(batch, a => MessageTracing.StartAck(a.Ids, a.Type));
        try
        {
            await acks.Acknowledge(Device, [.. batch.Select(a => (a.Ids, a.Ack))]);
            return AckStored.Yes;
        }
        catch (Exception ex) when (health.Failed(ex) is not StoreFault.None and var fault)
        {
            Refuse(fault); // down or full: the device is told, and sends them again later
            return AckStored.Refused;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not stored, so not confirmed: the device keeps the acks and sends them again, and the connection stays (a
            // dropped one would only bring the same acks back at once).
            LogAckNotStored(ex, batch.Sum(a => a.Ids.Count));
            return AckStored.Failed;
        }
        finally
        {
            foreach (var span in spans)
                span?.Dispose();
        }
    }

    private enum AckStored { Yes, Refused, Failed }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store a device's ack of {Count} messages; it stays unconfirmed")]
    private partial void LogAckNotStored(Exception ex, int count);

    /// <summary>A reply to a two-way sender: it goes to the business as a <c>reply</c> event and is not kept after that.</summary>
    private async Task Reply(DeviceFrame frame)
    {
        if (string.IsNullOrEmpty(frame.BusinessId) || string.IsNullOrWhiteSpace(frame.Text) || MessageRules.Characters(frame.Text) > MessageRules.MaxTextLength)
        {
            Send(new ErrorFrame("invalid_frame", $"A reply needs 'business_id' and 'text' (1 to {MessageRules.MaxTextLength} characters).", frame.Ref));
            return;
        }
        var replyId = Secrets.NewId("evt");
        var outcome = await messages.Reply(Device.ConsumerId, Device.Phone, frame.BusinessId, frame.MessageId, frame.Text, replyId, time.GetUtcNow());
        switch (outcome)
        {
            case ReplyOutcome.Sent: // its reply event wakes the callback dispatcher after the commit
                inbox.Wake(frame.BusinessId);
                Send(new ReplySentFrame(replyId, frame.Ref));
                connections.EchoReply(Device.ConsumerId, Device.DeviceId,
                    new ReplyEchoFrame(replyId, frame.BusinessId, frame.Text, frame.MessageId, time.GetUtcNow()));
                break;
            case ReplyOutcome.OneWaySender:
                Send(new ErrorFrame("not_two_way", "This sender does not take replies.", frame.Ref));
                break;
            case ReplyOutcome.ConsumerGone:
                Send(new ErrorFrame("unauthorized", "This account no longer exists.", frame.Ref));
                break;
            case ReplyOutcome.Restricted:
                Send(new ErrorFrame("restricted", "Processing is restricted at your request; lift the restriction to reply.", frame.Ref));
                break;
            default:
                Send(new ErrorFrame("not_found", "No such sender, or no such message from it to you.", frame.Ref));
                break;
        }
    }

    private void Send(object frame) => Outbound.TryWrite(frame);

    private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason);

    private sealed record PendingAck(string Type, MessageStatus Ack, IReadOnlyCollection<string> Ids, string? Ref);
}
