using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Bench;

/// <summary>
/// The business's webhook and the SMS gateway, on loopback: counts callback events by event_id (an event that arrives
/// twice counts once, and as a duplicate), keeps sign-in codes.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _eventIds = new();
    private long _events;
    private long _duplicates;
    private long _lastEventTicks;
    private long _delivered;
    private long _lastDeliveredTicks;

    private Receiver(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, string> Codes { get; } = new();
    public Uri Url { get; private set; } = null!;
    public long Events => Interlocked.Read(ref _events);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public bool Got(string eventId) => _eventIds.ContainsKey(eventId);
    public long LastEventTimestamp => Interlocked.Read(ref _lastEventTicks);
    /// <summary>Distinct <c>delivered</c> events, and when the last one came.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);
    public long LastDeliveredTimestamp => Interlocked.Read(ref _lastDeliveredTicks);

    public static async Task<Receiver> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapPost("/codes", async (HttpContext context) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            receiver.Codes[body.GetProperty("phone").GetString()!] = body.GetProperty("code").GetString()!;
            return Results.Ok();
        });
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body);
            foreach (var e in doc.RootElement.GetProperty("events").EnumerateArray())
            {
                var first = receiver._eventIds.TryAdd(e.GetProperty("event_id").GetString()!, 0);
                Interlocked.Increment(ref first ? ref receiver._events : ref receiver._duplicates);
                if (first && e.GetProperty("type").ValueEquals("delivered"u8))
                {
                    Interlocked.Increment(ref receiver._delivered);
                    Interlocked.Exchange(ref receiver._lastDeliveredTicks, System.Diagnostics.Stopwatch.GetTimestamp());
                }
            }
            Interlocked.Exchange(ref receiver._lastEventTicks, System.Diagnostics.Stopwatch.GetTimestamp());
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
