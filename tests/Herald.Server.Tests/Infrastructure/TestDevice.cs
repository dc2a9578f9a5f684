using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>A consumer's device over a real WebSocket: frames it receives queue up for the test to read.</summary>
public sealed class TestDevice : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private Task _receiving = Task.CompletedTask;
    private System.Net.Http.SocketsHttpHandler? _handler;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    /// <summary>The connection under the WebSocket, when connected with <c>corkable</c>: its writes can be held and sent as one.</summary>
    public CorkedStream? Connection { get; private set; }

    public static async Task<TestDevice> Connect(Uri server, string? token, bool tokenInFrame = false, bool corkable = false)
    {
        var device = new TestDevice();
        if (token is not null && !tokenInFrame)
            device._socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        var uri = new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = "/consumer/v1/ws" }.Uri;
        if (corkable)
        {
            // Kept for the connection's life (disposed with the device): the upgraded connection came from it.
            var handler = device._handler = new System.Net.Http.SocketsHttpHandler
            {
                ConnectCallback = async (context, cancel) =>
                {
                    var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(context.DnsEndPoint, cancel);
                    return device.Connection = new CorkedStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: true));
                },
            };
            await device._socket.ConnectAsync(uri, new HttpMessageInvoker(handler, disposeHandler: false), CancellationToken.None);
        }
        else
            await device._socket.ConnectAsync(uri, CancellationToken.None);
        if (tokenInFrame)
            await device.Send(new { type = "auth", token });
        device._receiving = device.ReceiveLoop();
        return device;
    }

    public Task Send(object frame) => SendRaw(JsonSerializer.Serialize(frame));

    public Task SendRaw(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task Ack(string type, params string[] messageIds) => Send(new { type, message_ids = messageIds });

    /// <summary>
    /// Any bytes as one text or binary message, cut into fragments at <paramref name="cuts"/> (see <see cref="Cut"/>;
    /// empty fragments included), as the fuzz tests send them; false when the server has gone.
    /// </summary>
    public async Task<bool> SendFragments(byte[] payload, bool binary, IReadOnlyList<int> cuts, CancellationToken cancel)
    {
        var type = binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        var bounds = cuts.Select(c => Cut(c, payload.Length)).Order().Append(payload.Length).ToList();
        var start = 0;
        try
        {
            for (var i = 0; i < bounds.Count; i++)
            {
                await _socket.SendAsync(payload.AsMemory(start, bounds[i] - start), type, i == bounds.Count - 1, cancel);
                start = bounds[i];
            }
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException || (ex is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>Where a cut falls: int.MinValue before the first byte, int.MaxValue after the last (an empty final fragment), else anywhere.</summary>
    public static int Cut(int cut, int length) => cut switch
    {
        int.MinValue => 0,
        int.MaxValue => length,
        _ => (int)((uint)cut % (uint)(length + 1)),
    };

    /// <summary>The next frame of any type, or null once the connection has ended.</summary>
    public async Task<JsonElement?> NextFrame(CancellationToken cancel)
    {
        try
        {
            return await _frames.Reader.ReadAsync(cancel);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>The next frame of the given type; frames of other types are skipped.</summary>
    public async Task<JsonElement> Next(string type, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            JsonElement frame;
            try
            {
                frame = await _frames.Reader.ReadAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No '{type}' frame arrived.");
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"The connection closed before a '{type}' frame arrived.");
            }
            if (frame.GetProperty("type").GetString() == type)
                return frame;
        }
    }

    /// <summary>All message frames that arrive within the window.</summary>
    public async Task<List<JsonElement>> MessagesWithin(TimeSpan window)
    {
        var messages = new List<JsonElement>();
        using var cancel = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cancel.Token);
                if (frame.GetProperty("type").GetString() == "message")
                    messages.Add(frame.GetProperty("message"));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            return messages;
        }
    }

    public async Task WaitClosed(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(_receiving, Task.Delay(timeout));
        if (finished != _receiving)
            throw new TimeoutException("The server did not close the connection.");
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
                _frames.Writer.TryWrite(JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone());
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); }
            catch (WebSocketException) { }
        }
        _socket.Dispose();
        await _receiving;
        _handler?.Dispose();
    }
}
