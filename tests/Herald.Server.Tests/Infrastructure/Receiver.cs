using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// The outside world of a test, on its own Kestrel on loopback: the business's webhook receiver (which can be told
/// to fail) and the operator's SMS gateway hook that gets sign-in codes.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _codes = new();
    private readonly List<ReceivedPost> _posts = [];
    private int _failNext;

    private Receiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    public Uri WebhookUrl => new(BaseAddress, "/hook");
    public Uri CodeHookUrl => new(BaseAddress, "/codes");

    /// <summary>While true, every webhook POST gets a 503.</summary>
    public bool Down { get; set; }

    /// <summary>The next N webhook POSTs get a 500.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

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
            receiver._codes[body.GetProperty("phone").GetString()!] = body.GetProperty("code").GetString()!;
            return Results.Ok();
        });
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var headers = context.Request.Headers;
            var post = new ReceivedPost(buffer.ToArray(), headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(),
                headers["webhook-signature"].ToString(), DateTimeOffset.UtcNow);
            var failed = receiver.Down || Interlocked.Decrement(ref receiver._failNext) >= 0;
            lock (receiver._posts)
                receiver._posts.Add(post with { Answered = failed ? 500 : 200 });
            return failed ? Results.StatusCode(receiver.Down ? 503 : 500) : Results.Ok();
        });
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public string? CodeFor(string phone) => _codes.TryGetValue(phone, out var code) ? code : null;

    public IReadOnlyList<ReceivedPost> Posts
    {
        get { lock (_posts) return [.. _posts]; }
    }

    /// <summary>Events from acknowledged (2xx) POSTs, in arrival order.</summary>
    public IReadOnlyList<JsonElement> AcknowledgedEvents =>
        [.. Posts.Where(p => p.Answered == 200).SelectMany(p => p.Events)];

    public async Task<IReadOnlyList<JsonElement>> WaitForEvents(Func<IReadOnlyList<JsonElement>, bool> done, TimeSpan? timeout = null)
    {
        await Wait.Until(() => done(AcknowledgedEvents), timeout ?? TimeSpan.FromSeconds(15), "webhook events");
        return AcknowledgedEvents;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>A webhook POST as received: its raw body and its three Standard Webhooks headers.</summary>
public sealed record ReceivedPost(byte[] Body, string WebhookId, string Timestamp, string Signature, DateTimeOffset At, int Answered = 0)
{
    /// <summary>Checked by the server's own code (the independent check is <see cref="StandardWebhooksVerifier"/>).</summary>
    public bool VerifiesWith(string secret, DateTimeOffset? now = null) =>
        Herald.Core.Callbacks.WebhookSignature.Verify(secret, WebhookId, Timestamp, Signature, Body, now ?? DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

    public IReadOnlyList<JsonElement> Events =>
        [.. JsonDocument.Parse(Body).RootElement.GetProperty("events").EnumerateArray().Select(e => e.Clone())];
}
