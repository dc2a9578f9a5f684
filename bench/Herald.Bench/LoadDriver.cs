using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Herald.Bench;

/// <summary>
/// Sends messages as a business would: single POSTs or batches, from <c>concurrency</c> workers, at full speed or
/// paced to a fixed rate. Each text starts with the send's Stopwatch timestamp, so devices can measure latency.
/// </summary>
/// <remarks>Worker w sends to node w mod the number of nodes.</remarks>
public sealed class LoadDriver(IReadOnlyList<Uri> servers, string apiKey, int devices)
{
    public long Accepted;
    public long Errors;

    /// <param name="duration">when set, workers stop taking new messages after this long (a warm-up)</param>
    public async Task<double> Run(int messages, int concurrency, int batchSize, double ratePerSecond, CancellationToken cancel, TimeSpan? duration = null)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var clients = servers.Select(server => new HttpClient(handler, disposeHandler: false) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) }).ToArray();
        foreach (var client in clients)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var step = Math.Max(1, batchSize);
        long next = -step;
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var http = clients[worker % clients.Length];
            while (!cancel.IsCancellationRequested)
            {
                var first = Interlocked.Add(ref next, step);
                if (first >= messages || (duration is { } limit && Stopwatch.GetElapsedTime(start) >= limit))
                    return;
                var count = (int)Math.Min(step, messages - first);
                if (ratePerSecond > 0)
                {
                    var due = start + (long)(first / ratePerSecond * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                        await Task.Delay(wait, cancel);
                }
                try
                {
                    if (batchSize <= 1)
                        await SendOne(http, first, cancel);
                    else
                        await SendBatch(http, first, count, cancel);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Add(ref Errors, count);
                }
            }
        }, cancel)).ToArray();
        await Task.WhenAll(workers);
        foreach (var client in clients)
            client.Dispose();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private string Message(long i) =>
        $"{{\"to\":\"{DeviceFleet.Phone((int)(i % devices))}\",\"category\":\"transactional\",\"text\":\"{Stopwatch.GetTimestamp()} Your parcel {i} is on its way\"}}";

    private async Task SendOne(HttpClient http, long i, CancellationToken cancel)
    {
        using var content = new StringContent(Message(i), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/v1/messages", content, cancel);
        if (response.StatusCode == HttpStatusCode.Accepted)
            Interlocked.Increment(ref Accepted);
        else
            Interlocked.Increment(ref Errors);
    }

    private async Task SendBatch(HttpClient http, long first, int count, CancellationToken cancel)
    {
        var body = new StringBuilder("{\"messages\":[");
        for (var i = 0; i < count; i++)
            body.Append(i == 0 ? "" : ",").Append(Message(first + i));
        body.Append("]}");
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/v1/messages/batch", content, cancel);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Interlocked.Add(ref Errors, count);
            return;
        }
        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancel), cancellationToken: cancel);
        var ok = doc.RootElement.GetProperty("results").EnumerateArray().Count(r => r.TryGetProperty("message_id", out _));
        Interlocked.Add(ref Accepted, ok);
        Interlocked.Add(ref Errors, count - ok);
    }
}
