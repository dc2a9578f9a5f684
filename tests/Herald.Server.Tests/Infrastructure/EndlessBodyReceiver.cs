using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// A hostile webhook receiver and SMS code hook, on a raw socket so nothing in between buffers or limits: it reads
/// each POST, answers <c>200 OK</c> at once, then streams a chunked body that never ends (until the client hangs
/// up), at <see cref="BytesPerSecond"/>. A client that reads the whole answer grows without bound.
/// </summary>
public sealed class EndlessBodyReceiver : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;
    private static readonly byte[] s_chunk = Chunk();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<JsonElement> _events = [];
    private readonly List<Task> _connections = [];
    private Task _accepting = Task.CompletedTask;
    private long _bytesStreamed;
    private int _codePosts;

    /// <summary>How fast the endless body is offered: fast enough that reading it for a 10 s timeout takes a GB.</summary>
    public long BytesPerSecond { get; init; } = 100L * 1024 * 1024;

    public Uri WebhookUrl => new($"http://127.0.0.1:{Port}/hook");
    public Uri CodeHookUrl => new($"http://127.0.0.1:{Port}/codes");
    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Body bytes written to clients so far: how much of the endless answers anybody took.</summary>
    public long BytesStreamed => Interlocked.Read(ref _bytesStreamed);
    public int CodePosts => Volatile.Read(ref _codePosts);

    /// <summary>Every event of every webhook POST, in arrival order (each POST got a 200).</summary>
    public IReadOnlyList<JsonElement> Events
    {
        get { lock (_events) return [.. _events]; }
    }

    public static EndlessBodyReceiver Start(long? bytesPerSecond = null)
    {
        var receiver = bytesPerSecond is { } rate ? new EndlessBodyReceiver { BytesPerSecond = rate } : new EndlessBodyReceiver();
        receiver._listener.Start();
        receiver._accepting = receiver.Accept();
        return receiver;
    }

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(Serve(client));
            }
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var (path, body) = await ReadRequest(stream, _stop.Token);
            if (path == "/hook")
            {
                using var json = JsonDocument.Parse(body);
                lock (_events)
                    _events.AddRange(json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.Clone()));
            }
            else
            {
                Interlocked.Increment(ref _codePosts);
            }
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray(), _stop.Token);
            await StreamForever(stream);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up: what a well-behaved client does after the status line.
        }
    }

    /// <summary>Writes chunks until the client goes away, paced to <see cref="BytesPerSecond"/>.</summary>
    private async Task StreamForever(NetworkStream stream)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        long written = 0;
        while (true)
        {
            await stream.WriteAsync(s_chunk, _stop.Token);
            written += s_chunk.Length;
            Interlocked.Add(ref _bytesStreamed, s_chunk.Length);
            var due = TimeSpan.FromSeconds((double)written / BytesPerSecond) - started.Elapsed;
            if (due > TimeSpan.FromMilliseconds(5))
                await Task.Delay(due, _stop.Token);
        }
    }

    /// <summary>The request line's path and the body (Content-Length or chunked framing).</summary>
    private static async Task<(string Path, byte[] Body)> ReadRequest(NetworkStream stream, CancellationToken cancel)
    {
        var lines = (await ReadUntil(stream, "\r\n\r\n"u8.ToArray(), cancel)).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var path = lines[0].Split(' ')[1];
        if (headers.TryGetValue("Content-Length", out var length))
        {
            var body = new byte[int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(body, cancel);
            return (path, body);
        }
        using var chunks = new MemoryStream();
        while (true)
        {
            var size = int.Parse((await ReadUntil(stream, "\r\n"u8.ToArray(), cancel)).Split(';')[0], System.Globalization.NumberStyles.HexNumber,
                System.Globalization.CultureInfo.InvariantCulture);
            var chunk = new byte[size + 2]; // the data and its line end
            await stream.ReadExactlyAsync(chunk, cancel);
            if (size == 0)
                return (path, chunks.ToArray());
            chunks.Write(chunk, 0, size);
        }
    }

    /// <summary>ASCII up to (not including) <paramref name="end"/>, read a byte at a time so nothing after it is taken.</summary>
    private static async Task<string> ReadUntil(NetworkStream stream, byte[] end, CancellationToken cancel)
    {
        var text = new List<byte>();
        var one = new byte[1];
        while (text.Count < end.Length || !text[^end.Length..].SequenceEqual(end))
        {
            if (await stream.ReadAsync(one, cancel) == 0 || text.Count > 64 * 1024)
                throw new IOException("the request ended early");
            text.Add(one[0]);
        }
        return Encoding.ASCII.GetString([.. text[..^end.Length]]);
    }

    /// <summary>One chunk of the chunked encoding: its size line, <see cref="ChunkSize"/> bytes, and the line end.</summary>
    private static byte[] Chunk()
    {
        var size = Encoding.ASCII.GetBytes($"{ChunkSize:X}\r\n");
        var chunk = new byte[size.Length + ChunkSize + 2];
        size.CopyTo(chunk, 0);
        chunk.AsSpan(size.Length, ChunkSize).Fill((byte)'x');
        "\r\n"u8.CopyTo(chunk.AsSpan(size.Length + ChunkSize));
        return chunk;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
            connections = [.. _connections];
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
