using System.Net.WebSockets;

namespace Herald.Server.Consumer;

/// <summary>
/// Closes a device socket from the server's side as RFC 6455 asks: the close frame, then whatever the device is still
/// sending is read and dropped until its own close arrives, for at most <see cref="Grace"/>. Hanging up with unread
/// data makes TCP answer with a reset, which can destroy the close frame before the device has read it: the device
/// would see a dropped connection instead of the reason (1008, 1009).
/// </summary>
internal static class SocketClosing
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <param name="pendingReceive">a receive already started (its bytes are dropped): it is awaited instead of starting
    /// another, since a WebSocket takes one receive at a time</param>
    public static async Task CloseAndDrain(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken cancel,
        Task<ValueWebSocketReceiveResult>? pendingReceive = null)
    {
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        grace.CancelAfter(Grace);
        try
        {
            await socket.CloseOutputAsync(status, reason, grace.Token);
            if (pendingReceive is not null && (await pendingReceive.WaitAsync(grace.Token)).MessageType == WebSocketMessageType.Close)
                return;
            var sink = new byte[4096];
            while (socket.State == WebSocketState.CloseSent && (await socket.ReceiveAsync(sink.AsMemory(), grace.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // the device did not answer in time, or broke the protocol on its way out: the connection ends either way
        }
    }
}
