using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Push;

/// <summary>
/// A push service (RFC 8030) on its own Kestrel on loopback. Each POST to /push/{id} must carry a valid VAPID
/// authorisation (RFC 8292: <c>vapid t=&lt;JWT&gt;, k=&lt;key&gt;</c>, the JWT ES256-signed by that key, which must be the
/// one Herald publishes; <c>aud</c> the endpoint's origin, <c>exp</c> at most 24 h ahead, <c>sub</c> a contact), an
/// aes128gcm body and a TTL; a POST that fails a check is answered 400/401/403 and recorded as refused. The body is
/// decrypted with the subscriber's keys. Answers can be scripted per subscription (410, 413, 429 with Retry-After…).
/// </summary>
public sealed class PushServiceStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, PushSubscriber> _subscribers = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string? RetryAfter)>> _scripted = new();
    private readonly List<ReceivedPush> _received = [];

    private PushServiceStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The VAPID public key pushes must be signed with (Herald's, from GET /consumer/v1/push/key).</summary>
    public string? ExpectedKey { get; set; }

    public static async Task<PushServiceStandIn> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var service = new PushServiceStandIn(app);
        app.MapPost("/push/{id}", (string id, HttpContext context) => service.Receive(id, context));
        await app.StartAsync();
        service.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return service;
    }

    /// <summary>A new subscription: its endpoint and the browser-side keys that decrypt what arrives there.</summary>
    public (Uri Endpoint, PushSubscriber Subscriber) Subscribe()
    {
        var id = Guid.NewGuid().ToString("N");
        var subscriber = new PushSubscriber();
        _subscribers[id] = subscriber;
        return (new Uri(BaseAddress, "/push/" + id), subscriber);
    }

    /// <summary>The next POSTs to this endpoint get these answers (then 201 again).</summary>
    public void Script(Uri endpoint, params (int Status, string? RetryAfter)[] answers)
    {
        var queue = _scripted.GetOrAdd(IdOf(endpoint), _ => new());
        foreach (var answer in answers)
            queue.Enqueue(answer);
    }

    public IReadOnlyList<ReceivedPush> Received
    {
        get { lock (_received) return [.. _received]; }
    }

    public IReadOnlyList<ReceivedPush> To(Uri endpoint) => [.. Received.Where(p => p.SubscriptionId == IdOf(endpoint))];

    private static string IdOf(Uri endpoint) => endpoint.AbsolutePath["/push/".Length..];

    private async Task<IResult> Receive(string id, HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers;
        var push = new ReceivedPush(id, DateTimeOffset.UtcNow, headers["TTL"].ToString(), headers["Urgency"].ToString(), headers["Topic"].ToString());
        string? problem = null;
        if (!_subscribers.TryGetValue(id, out var subscriber))
            problem = "404 no such subscription";
        else if (CheckVapid(headers.Authorization.ToString(), context.Request) is { } vapidProblem)
            problem = vapidProblem;
        else if (headers.ContentEncoding.ToString() != "aes128gcm")
            problem = "400 Content-Encoding must be aes128gcm";
        else if (!int.TryParse(push.Ttl, out _))
            problem = "400 TTL header missing";
        else if (buffer.Length > 4096)
            problem = "413 body over 4096 bytes";
        else
        {
            try
            {
                push = push with { Plaintext = subscriber.Decrypt(buffer.ToArray()) };
            }
            catch (CryptographicException ex)
            {
                problem = "400 cannot decrypt: " + ex.Message;
            }
        }
        var scripted = problem is null && _scripted.TryGetValue(id, out var queue) && queue.TryDequeue(out var answer) ? answer : ((int, string?)?)null;
        var status = problem is not null ? int.Parse(problem[..3]) : scripted?.Item1 ?? 201;
        lock (_received)
            _received.Add(push with { Answered = status, Refusal = problem });
        if (scripted?.Item2 is { } retryAfter)
            context.Response.Headers.RetryAfter = retryAfter;
        return Results.StatusCode(status);
    }

    /// <returns>null when the VAPID authorisation is right, else "&lt;status&gt; why"</returns>
    private string? CheckVapid(string authorization, HttpRequest request)
    {
        if (!authorization.StartsWith("vapid ", StringComparison.Ordinal))
            return "401 Authorization must use the vapid scheme (RFC 8292)";
        var parameters = authorization[6..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parameters.TryGetValue("t", out var jwt) || !parameters.TryGetValue("k", out var key))
            return "401 vapid needs t and k";
        if (ExpectedKey is not null && key != ExpectedKey)
            return "403 signed with a key other than the one Herald publishes";
        var parts = jwt.Split('.');
        if (parts.Length != 3)
            return "401 t is not a JWT";
        var header = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[0])).RootElement;
        if (header.GetProperty("alg").GetString() != "ES256")
            return "401 alg must be ES256";
        var point = WebEncoders.Base64UrlDecode(key);
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..65] },
        });
        // JWS ES256 signatures are r|s (64 bytes), the IEEE P1363 form .NET verifies by default.
        if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), WebEncoders.Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256))
            return "403 the JWT signature does not verify with k";
        var claims = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[1])).RootElement;
        // The origin the push resource is on. The library leaves out a port (real push services are on 443), so the
        // stand-in on a loopback port checks scheme and host.
        var origin = $"{request.Scheme}://{request.Host.Host}";
        if (claims.GetProperty("aud").GetString() != origin)
            return $"403 aud must be {origin}";
        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        if (exp <= DateTimeOffset.UtcNow || exp > DateTimeOffset.UtcNow.AddHours(24))
            return "403 exp must be in the next 24 hours";
        if (!claims.TryGetProperty("sub", out var sub) || !(sub.GetString() ?? "").StartsWith("mailto:", StringComparison.Ordinal) && !(sub.GetString() ?? "").StartsWith("https:", StringComparison.Ordinal))
            return "403 sub must be a mailto: or https: contact";
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var subscriber in _subscribers.Values)
            subscriber.Dispose();
    }
}

/// <param name="Plaintext">the decrypted payload (null when the POST was refused before decryption)</param>
/// <param name="Refusal">why the stand-in refused the POST, when it did</param>
public sealed record ReceivedPush(string SubscriptionId, DateTimeOffset At, string Ttl, string Urgency, string Topic, string? Plaintext = null,
    int Answered = 0, string? Refusal = null)
{
    public JsonElement Json => JsonDocument.Parse(Plaintext!).RootElement;
}
