using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;

namespace Herald.Bench;

/// <summary>
/// N consumers, each with one connected device that acknowledges every message (delivered, then seen) and records
/// accept→device latency from the send timestamp the message text carries. Like the Messenger, a device sends at most
/// one pair of ack frames per <see cref="AckInterval"/>, naming every message received meanwhile: one frame per
/// message would trip the server's per-device flood limit (100 frames a second) once a device gets more than 50
/// messages a second, as each of a few hundred devices does at full speed. Connections are spread over several
/// 127.x source addresses: one source address has about 28k ephemeral ports.
/// </summary>
public sealed class DeviceFleet : IAsyncDisposable
{
    private const int ConnectionsPerSourceAddress = 20_000;
    private static readonly TimeSpan AckInterval = TimeSpan.FromMilliseconds(25);
    private static readonly string[] AckTypes = ["delivered", "seen"];
    private readonly List<ClientWebSocket> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly LatencyRecorder _latency;
    private long _received;
    private long _lastReceiveTicks;

    private DeviceFleet(LatencyRecorder latency) => _latency = latency;

    public static string Phone(int i) => "+4477" + (10_000_000 + i).ToString(CultureInfo.InvariantCulture);
    public long Received => Interlocked.Read(ref _received);
    public long LastReceiveTimestamp => Interlocked.Read(ref _lastReceiveTicks);
    public int Count => _sockets.Count;

    /// <summary>Device i signs in and connects to node i mod the number of nodes.</summary>
    public static async Task<DeviceFleet> SignInAndConnect(IReadOnlyList<Uri> servers, Receiver sms, int count, LatencyRecorder latency, int parallel = 32)
    {
        var fleet = new DeviceFleet(latency);
        var tokens = await SignIn(servers[0], sms, count, parallel);

        var uris = servers.Select(server => new UriBuilder(server) { Scheme = "ws", Path = "/consumer/v1/ws" }.Uri).ToArray();
        var sockets = new ClientWebSocket[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, cancel) =>
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", $"Bearer {tokens[i]}");
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            using var invoker = new HttpMessageInvoker(Handler(i / ConnectionsPerSourceAddress));
            await socket.ConnectAsync(uris[i % uris.Length], invoker, cancel);
            sockets[i] = socket;
        });
        foreach (var socket in sockets)
        {
            fleet._sockets.Add(socket);
            fleet._loops.Add(fleet.Serve(socket));
        }
        return fleet;
    }

    /// <summary>Signs in one device for each of <paramref name="count"/> phones from number <paramref name="first"/> on (codes read from the SMS hook); returns their tokens.</summary>
    public static async Task<string[]> SignIn(Uri server, Receiver sms, int count, int parallel = 32, int first = 0)
    {
        var tokens = new string[count];
        using var http = new HttpClient { BaseAddress = server };
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, cancel) =>
        {
            var phone = Phone(first + i);
            (await http.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone }, cancel)).EnsureSuccessStatusCode();
            var response = await http.PostAsJsonAsync("/consumer/v1/sign-in", new { phone, code = sms.Codes[phone] }, cancel);
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(cancel)).GetProperty("token").GetString()!;
        });
        return tokens;
    }

    private static SocketsHttpHandler Handler(int sourceIndex) => new()
    {
        ConnectCallback = async (context, cancel) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(new IPAddress([127, 0, (byte)(sourceIndex / 250), (byte)(1 + (sourceIndex % 250))]), 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancel);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    private async Task Serve(ClientWebSocket socket)
    {
        var buffer = new byte[4 * 1024]; // grows for a larger frame; 100k idle devices must stay cheap here too
        var received = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true, SingleWriter = true });
        var acks = Acknowledge(socket, received.Reader);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                        Array.Resize(ref buffer, buffer.Length * 2);
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                    length += result.Count;
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                var (id, sentTicks) = ParseMessage(buffer.AsSpan(0, length));
                if (id is null)
                    continue;
                var now = Stopwatch.GetTimestamp();
                if (sentTicks != 0)
                    _latency.Record(now - sentTicks);
                Interlocked.Increment(ref _received);
                Interlocked.Exchange(ref _lastReceiveTicks, now);
                received.Writer.TryWrite(id);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            received.Writer.TryComplete();
            await acks;
        }
    }

    /// <summary>The device's only sender: <c>delivered</c> then <c>seen</c> for what arrived since the last pair.</summary>
    private async Task Acknowledge(ClientWebSocket socket, System.Threading.Channels.ChannelReader<string> received)
    {
        var ids = new List<string>();
        var frame = new System.Buffers.ArrayBufferWriter<byte>(256);
        try
        {
            while (await received.WaitToReadAsync(_stop.Token))
            {
                var started = Stopwatch.GetTimestamp();
                while (ids.Count < 1000 && received.TryRead(out var id))
                    ids.Add(id);
                foreach (var type in AckTypes)
                {
                    frame.ResetWrittenCount();
                    using (var json = new Utf8JsonWriter(frame))
                    {
                        json.WriteStartObject();
                        json.WriteString("type", type);
                        json.WriteStartArray("message_ids");
                        foreach (var id in ids)
                            json.WriteStringValue(id);
                        json.WriteEndArray();
                        json.WriteEndObject();
                    }
                    await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, true, _stop.Token);
                }
                ids.Clear();
                var rest = AckInterval - Stopwatch.GetElapsedTime(started);
                if (rest > TimeSpan.Zero)
                    await Task.Delay(rest, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    /// <summary>A message frame's id and the send timestamp its text starts with; (null, 0) for other frames.</summary>
    private static (string? Id, long SentTicks) ParseMessage(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        string? type = null, id = null;
        long sent = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
                continue;
            if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = reader.GetString(); }
            else if (reader.ValueTextEquals("message_id"u8)) { reader.Read(); id = reader.GetString(); }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                var text = reader.GetString()!;
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                // The load driver's messages start with their send timestamp; a campaign's text does not.
                _ = long.TryParse(space < 0 ? text : text[..space], NumberStyles.None, CultureInfo.InvariantCulture, out sent);
            }
        }
        return type == "message" ? (id, sent) : (null, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        foreach (var socket in _sockets)
            socket.Dispose();
    }
}

/// <summary>Latencies in Stopwatch ticks; percentiles by sorting at the end (a run records at most a few million).</summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _ticks = new(1 << 20);

    public void Record(long ticks)
    {
        lock (_ticks)
            _ticks.Add(ticks);
    }

    public void Clear()
    {
        lock (_ticks)
            _ticks.Clear();
    }

    public double PercentileMs(double p)
    {
        lock (_ticks)
        {
            if (_ticks.Count == 0)
                return 0;
            _ticks.Sort();
            var index = Math.Clamp((int)Math.Ceiling(p * _ticks.Count) - 1, 0, _ticks.Count - 1);
            return _ticks[index] * 1000.0 / Stopwatch.Frequency;
        }
    }
}
