using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Herald.Client.Http;

namespace Herald.Client;

/// <summary>
/// A device's open WebSocket. Messages waiting for the device arrive right after connecting, then live.
/// Acknowledge each with <see cref="MarkDeliveredAsync"/> (and <see cref="MarkSeenAsync"/> when shown): a message
/// not acknowledged before the connection drops comes again on the next one, so de-duplicate by message id.
/// Acks stay in <see cref="UnconfirmedAcks"/> until the server confirms them (<see cref="AcksConfirmed"/>); the next
/// connection sends them again, so an ack the server had not stored when it crashed is not lost.
/// </summary>
public sealed class DeviceConnection : IAsyncDisposable
{
    private const int MaxFrameBytes = 64 * 1024;
    private const int MaxIdsPerAck = 1000; // the protocol's limit per frame
    private readonly ClientWebSocket _socket;
    private readonly Channel<DeviceEvent> _events = Channel.CreateUnbounded<DeviceEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly SemaphoreSlim _sending = new(1, 1); // a WebSocket takes one send at a time
    private readonly UnconfirmedAcks _acks;
    private readonly CancellationTokenSource _stopResending = new();
    private readonly Task _receiving;
    private Task _resending = Task.CompletedTask;

    private DeviceConnection(ClientWebSocket socket, string deviceId, UnconfirmedAcks acks)
    {
        _socket = socket;
        DeviceId = deviceId;
        _acks = acks;
        _receiving = ReceiveLoop();
    }

    /// <summary>The device this connection speaks for.</summary>
    public string DeviceId { get; }

    /// <summary>Why the server closed the connection, once it has (1001 server stopping, 1008 signed out or erased).</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>The acks of this device the server has not confirmed yet.</summary>
    public UnconfirmedAcks UnconfirmedAcks => _acks;

    internal static async Task<DeviceConnection> Open(Uri server, string token, UnconfirmedAcks acks, CancellationToken cancel)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(server) { Scheme = server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = server.AbsolutePath.TrimEnd('/') + "/consumer/v1/ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, cancel);
            var ready = await ReadFrame(socket, new byte[MaxFrameBytes], cancel);
            if (ready is not { } frame || frame.GetProperty("type").GetString() != "ready")
                throw new HeraldApiException(null, "unexpected_frame", "The server did not say ready.");
            var deviceId = frame.Deserialize(ClientJson.Default.ReadyFrame)!.DeviceId;
            var connection = new DeviceConnection(socket, deviceId, acks);
            await connection.SendUnconfirmed(long.MaxValue, cancel);
            connection._resending = connection.ResendLoop();
            return connection;
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode == HttpStatusCode.Unauthorized)
        {
            socket.Dispose();
            throw new HeraldApiException(HttpStatusCode.Unauthorized, "unauthorized", "The device token is unknown or signed out.", inner: ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Everything the server sends, until the connection closes.</summary>
    public IAsyncEnumerable<DeviceEvent> ReadEventsAsync(CancellationToken cancel = default) => _events.Reader.ReadAllAsync(cancel);

    /// <summary>The next message; other events before it are skipped.</summary>
    /// <exception cref="WebSocketException">the connection closed first</exception>
    public async Task<DeviceMessage> NextMessageAsync(CancellationToken cancel = default)
    {
        await foreach (var e in ReadEventsAsync(cancel))
            if (e is MessageReceived received)
                return received.Message;
        throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"The connection closed ({CloseStatus}) before a message arrived.");
    }

    /// <summary>
    /// Tells the server this device has stored these messages (the sender's status moves to delivered). The ack is
    /// kept in <see cref="UnconfirmedAcks"/> until the server confirms it. Send one call for many messages (up to
    /// 1000 ids a frame): a device may send 100 frames a second.
    /// </summary>
    public Task MarkDeliveredAsync(IReadOnlyList<string> messageIds, CancellationToken cancel = default) =>
        Acknowledge("delivered", messageIds, cancel);

    /// <summary>Tells the server the consumer has opened these messages (implies delivered); kept until confirmed.</summary>
    public Task MarkSeenAsync(IReadOnlyList<string> messageIds, CancellationToken cancel = default) =>
        Acknowledge("seen", messageIds, cancel);

    private async Task Acknowledge(string ack, IReadOnlyList<string> messageIds, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        // Recorded before sending: a connection that drops mid-send leaves the ack for the next one.
        _acks.Add(messageIds, ack == "seen", Environment.TickCount64);
        foreach (var chunk in messageIds.Chunk(MaxIdsPerAck))
            await Send(new DeviceOutFrame(ack, MessageIds: chunk), cancel);
    }

    /// <summary>Sends the unconfirmed acks last sent before <paramref name="sentBefore"/>, delivered first.</summary>
    private async Task SendUnconfirmed(long sentBefore, CancellationToken cancel)
    {
        var (delivered, seen) = _acks.TakeDue(sentBefore, Environment.TickCount64);
        foreach (var chunk in delivered.Chunk(MaxIdsPerAck))
            await Send(new DeviceOutFrame("delivered", MessageIds: chunk), cancel);
        foreach (var chunk in seen.Chunk(MaxIdsPerAck))
            await Send(new DeviceOutFrame("seen", MessageIds: chunk), cancel);
    }

    /// <summary>While the connection is open, acks left unconfirmed for <see cref="UnconfirmedAcks.ResendAfter"/> go again.</summary>
    private async Task ResendLoop()
    {
        var period = _acks.ResendAfter;
        using var timer = new PeriodicTimer(period / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopResending.Token) && _socket.State == WebSocketState.Open)
                await SendUnconfirmed(Environment.TickCount64 - (long)period.TotalMilliseconds, _stopResending.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // the connection ended: the next one sends what is left
        }
    }

    /// <summary>Replies to a two-way sender; a <see cref="ReplySent"/> or a <see cref="DeviceError"/> with the same <paramref name="reference"/> follows.</summary>
    public Task ReplyAsync(string businessId, string text, string? inReplyTo = null, string? reference = null, CancellationToken cancel = default) =>
        Send(new DeviceOutFrame("reply", BusinessId: businessId, MessageId: inReplyTo, Text: text, Ref: reference), cancel);

    private async Task Send(DeviceOutFrame frame, CancellationToken cancel)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, ClientJson.Default.DeviceOutFrame);
        await _sending.WaitAsync(cancel);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancel);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[MaxFrameBytes];
        try
        {
            while (await ReadFrame(_socket, buffer, CancellationToken.None) is { } frame)
            {
                DeviceEvent? e = frame.GetProperty("type").GetString() switch
                {
                    "message" => new MessageReceived(frame.Deserialize(ClientJson.Default.MessageFrame)!.Message),
                    "acked" => Confirmed(frame.Deserialize(ClientJson.Default.AckedFrame)),
                    "reply_sent" => frame.Deserialize(ClientJson.Default.ReplySentFrame) is { } r ? new ReplySent(r.ReplyId, r.Ref) : null,
                    "error" => frame.Deserialize(ClientJson.Default.ErrorFrame) is { } f ? new DeviceError(f.Code, f.Message, f.Ref) : null,
                    _ => null, // a frame type from a newer server: ignored
                };
                if (e is not null)
                    _events.Writer.TryWrite(e);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or JsonException or OperationCanceledException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private AcksConfirmed? Confirmed(AckedFrame? frame)
    {
        if (frame?.MessageIds is null || frame.Ack is not ("delivered" or "seen"))
            return null;
        _acks.Confirm(frame.Ack, frame.MessageIds);
        return new AcksConfirmed(frame.Ack, frame.MessageIds, frame.Ref);
    }

    /// <returns>the next text frame, or null when the connection closed</returns>
    private static async Task<JsonElement?> ReadFrame(ClientWebSocket socket, byte[] buffer, CancellationToken cancel)
    {
        if (socket.State != WebSocketState.Open)
            return null;
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == buffer.Length)
                throw new WebSocketException(WebSocketError.Faulted, $"A frame was larger than {MaxFrameBytes} bytes.");
            result = await socket.ReceiveAsync(buffer.AsMemory(length), cancel);
            length += result.Count;
        } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            if (socket.State == WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel);
            return null;
        }
        using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
        return document.RootElement.Clone();
    }

    /// <summary>Closes the connection normally.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopResending.CancelAsync();
        await _resending;
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Dispose();
        await _receiving;
        _sending.Dispose();
        _stopResending.Dispose();
    }
}
