using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Sdk;

/// <summary>A Kestrel on loopback that answers every request from a script, and records what it got.</summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly ConcurrentQueue<StubRequest> _requests = new();

    private StubServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    public IReadOnlyList<StubRequest> Requests => [.. _requests];

    /// <summary>Answers in order; once the script runs out, the last answer repeats.</summary>
    public static async Task<StubServer> Start(params Func<HttpContext, Task>[] answers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubServer(app);
        foreach (var answer in answers)
            stub._script.Enqueue(answer);
        var last = answers[^1];
        app.Run(async context =>
        {
            using var body = new StreamReader(context.Request.Body);
            stub._requests.Enqueue(new StubRequest(context.Request.Method, context.Request.Path, context.Request.Headers["Idempotency-Key"].ToString(),
                context.Request.Headers.Authorization.ToString(), await body.ReadToEndAsync(), DateTimeOffset.UtcNow));
            await (stub._script.TryDequeue(out var answer) ? answer : last)(context);
        });
        await app.StartAsync();
        stub.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return stub;
    }

    public static Func<HttpContext, Task> Status(int status, string? retryAfter = null, string code = "server_error") => context =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
            context.Response.Headers.RetryAfter = retryAfter;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync($$"""{"status":{{status}},"code":"{{code}}","title":"Scripted failure."}""");
    };

    public static Func<HttpContext, Task> Json(string body, int status = 200) => context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    };

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

public sealed record StubRequest(string Method, string Path, string IdempotencyKey, string Authorization, string Body, DateTimeOffset At);
