using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Faults;

/// <summary>
/// Steady load through a fault, counted: senders POST messages at a fixed pace and sort every answer; a device
/// stays connected, acknowledges what it gets and sends again what the server has not confirmed. What a fault test
/// asserts comes from these counts: accepted, refused (and how), unexpected answers, delivered, lost.
/// </summary>
public sealed class FaultLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _senders = [];
    private readonly Func<Uri> _server;

    public FaultLoad(Func<Uri> server) => _server = server;

    public ConcurrentDictionary<string, byte> Accepted { get; } = new();
    public ConcurrentDictionary<string, int> Refused { get; } = new(); // by problem code, each with Retry-After
    public ConcurrentQueue<string> Unexpected { get; } = new(); // anything else: a 500, a 503 without Retry-After, a dropped request
    public ConcurrentQueue<(DateTimeOffset At, TimeSpan Took, int Status)> Answers { get; } = new();

    /// <summary>Starts <paramref name="workers"/> senders, each sending one message every <paramref name="pause"/>.</summary>
    public void Send(TestBusiness business, string phone, int workers, TimeSpan pause)
    {
        for (var w = 0; w < workers; w++)
        {
            var worker = w;
            _senders.Add(Task.Run(async () =>
            {
                using var client = Api.Client(_server(), business.ApiKey);
                client.Timeout = TimeSpan.FromSeconds(60);
                for (var i = 0; !_stop.IsCancellationRequested; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = await client.PostAsJsonAsync("/v1/messages", new { to = phone, category = "transactional", text = $"w{worker} n{i}" });
                        var body = await response.Content.ReadAsStringAsync();
                        Answers.Enqueue((DateTimeOffset.UtcNow, Stopwatch.GetElapsedTime(started), (int)response.StatusCode));
                        Sort(response, body);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Unexpected.Enqueue($"request failed: {ex.Message}");
                    }
                    await Task.Delay(pause);
                }
            }));
        }
    }

    /// <summary>A reader that asks for the status of accepted messages, one every <paramref name="pause"/>: reads must not hang either.</summary>
    public void ReadStatuses(TestBusiness business, TimeSpan pause)
    {
        _senders.Add(Task.Run(async () =>
        {
            using var client = Api.Client(_server(), business.ApiKey);
            client.Timeout = TimeSpan.FromSeconds(60);
            while (!_stop.IsCancellationRequested)
            {
                var id = Accepted.Keys.FirstOrDefault();
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (id is not null)
                    {
                        using var response = await client.GetAsync($"/v1/messages/{id}");
                        var body = await response.Content.ReadAsStringAsync();
                        Reads.Enqueue((DateTimeOffset.UtcNow, Stopwatch.GetElapsedTime(started), (int)response.StatusCode));
                        if (response.StatusCode != HttpStatusCode.OK)
                            Sort(response, body);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Unexpected.Enqueue($"status read failed: {ex.Message}");
                }
                await Task.Delay(pause);
            }
        }));
    }

    public ConcurrentQueue<(DateTimeOffset At, TimeSpan Took, int Status)> Reads { get; } = new();

    private void Sort(HttpResponseMessage response, string body)
    {
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            Accepted.TryAdd(JsonDocument.Parse(body).RootElement.GetProperty("message_id").GetString()!, 0);
            return;
        }
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null
            && response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            && JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var code))
        {
            Refused.AddOrUpdate(code.GetString()!, 1, (_, n) => n + 1);
            return;
        }
        Unexpected.Enqueue($"{(int)response.StatusCode} {response.Headers.RetryAfter} {body[..Math.Min(body.Length, 300)]}");
    }

    public async Task StopSending()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
    }

    public string Summary(string fault) =>
        $"{fault}: accepted {Accepted.Count}, refused {string.Join(", ", Refused.Select(r => $"{r.Value} x 503 {r.Key}"))}, " +
        $"unexpected {Unexpected.Count}, slowest send {(Answers.IsEmpty ? 0 : Answers.Max(a => a.Took.TotalSeconds)):F2} s; " +
        $"status reads {Reads.Count} ({Reads.Count(r => r.Status == 503)} x 503), slowest {(Reads.IsEmpty ? 0 : Reads.Max(a => a.Took.TotalSeconds)):F2} s";

    public async ValueTask DisposeAsync()
    {
        await StopSending();
        _stop.Dispose();
    }
}

/// <summary>
/// A device that stays connected through a fault: it acknowledges each message it gets (<c>delivered</c>), and every
/// second sends again the acks of messages it has not seen confirmed (by an <c>acked</c> frame or by
/// <paramref name="confirmed"/>): an ack the server refused while its database was away must not be lost.
/// </summary>
public sealed class PatientDevice : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<string, byte> _received = new();
    private readonly ConcurrentDictionary<string, byte> _confirmed = new();
    private readonly ConcurrentQueue<string> _toAck = new();
    private readonly Func<IReadOnlySet<string>> _confirmedElsewhere;
    private readonly CancellationTokenSource _stop = new();
    private Task _loops = Task.CompletedTask;

    private PatientDevice(Func<IReadOnlySet<string>> confirmed) => _confirmedElsewhere = confirmed;

    public IReadOnlyCollection<string> Received => (IReadOnlyCollection<string>)_received.Keys;
    public int Duplicates { get; private set; }
    public ConcurrentQueue<string> Errors { get; } = new();
    public WebSocketState State => _socket.State;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<PatientDevice> Connect(Uri server, string token, Func<IReadOnlySet<string>> confirmed)
    {
        var device = new PatientDevice(confirmed);
        device._socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await device._socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/consumer/v1/ws" }.Uri, CancellationToken.None);
        device._loops = Task.WhenAll(device.Receive(), device.Resend());
        return device;
    }

    private async Task Receive()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                    length += result.Count;
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                var frame = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement;
                switch (frame.GetProperty("type").GetString())
                {
                    case "message":
                        var id = frame.GetProperty("message").GetProperty("message_id").GetString()!;
                        if (!_received.TryAdd(id, 0))
                            Duplicates++;
                        _toAck.Enqueue(id);
                        break;
                    case "acked":
                        foreach (var acked in frame.GetProperty("message_ids").EnumerateArray())
                            _confirmed.TryAdd(acked.GetString()!, 0);
                        break;
                    case "error":
                        Errors.Enqueue(frame.GetProperty("code").GetString()!);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    /// <summary>Acks go out every 50 ms, as the Messenger batches them (the server limits frames per device).</summary>
    private async Task Resend()
    {
        try
        {
            for (var round = 1; !_stop.IsCancellationRequested; round++)
            {
                await Task.Delay(50, _stop.Token);
                var ids = new List<string>();
                while (_toAck.TryDequeue(out var id))
                    ids.Add(id);
                if (round % 20 == 0)
                {
                    var elsewhere = _confirmedElsewhere();
                    ids.AddRange(_received.Keys.Where(id => !_confirmed.ContainsKey(id) && !elsewhere.Contains(id)));
                }
                foreach (var chunk in ids.Distinct().Chunk(1000))
                    await Ack(chunk);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    private async Task Ack(string[] ids)
    {
        if (_socket.State == WebSocketState.Open)
            await _socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "delivered", message_ids = ids })), WebSocketMessageType.Text, true, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _loops; } catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
        _socket.Dispose();
        _stop.Dispose();
    }
}
