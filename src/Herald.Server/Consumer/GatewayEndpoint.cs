using System.Net.WebSockets;
using System.Text.Json;
using Herald.Core.Security;
using Herald.Server.BusinessApi;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Consumer;

public static class GatewayEndpoint
{
    /// <summary>How long a socket without a token in its upgrade request has to send its <c>auth</c> frame.</summary>
    public static readonly TimeSpan AuthTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The gateway's URL (the <c>/consumer/v1</c> group's <c>/ws</c>).</summary>
    public const string SocketPath = "/consumer/v1/ws";

    /// <summary>
    /// Documents the gateway among the consumer routes. Requests never reach this endpoint: <see cref="UseGateway"/>
    /// serves the path before routing.
    /// </summary>
    public static void MapGateway(this RouteGroupBuilder consumer) => consumer.Map("/ws", (RequestDelegate)(_ => Task.CompletedTask))
        .WithName("deviceSocket").WithSummary("The device WebSocket").DocumentCredential(Credential.DeviceToken).Errors("invalid_request")
        .WithDescription("Upgrade to a WebSocket; frames are described in docs/protocol.md. Browsers send `{\"type\":\"auth\",\"token\"}` first instead of the header.")
        .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status101SwitchingProtocols));

    /// <summary>
    /// Serves the gateway's path on a branch at the very start of the pipeline. A WebSocket request lasts as long as
    /// its socket, and everything it passed through stays alive with it: through the whole pipeline (authentication,
    /// authorization, web apps, routing, the endpoint's request delegate, a request service scope) that was about
    /// 2.5 KiB per idle device. The branch keeps only what the gateway's answers depend on: the exception handler,
    /// HTTPS-only and the WebSocket handshake (every answer here has a body, so status code pages add nothing).
    /// </summary>
    public static void UseGateway(this WebApplication app, Action<IApplicationBuilder> transport, WebSocketOptions sockets)
    {
        var gateway = ActivatorUtilities.CreateInstance<Gateway>(app.Services);
        // One registration for every socket instead of one per socket: a stopping server closes its sockets (1001
        // "going away") instead of holding shutdown until devices leave.
        app.Lifetime.ApplicationStopping.Register(gateway.Connections.CloseAllForShutdown);
        app.MapWhen(IsGatewayPath, branch =>
        {
            branch.UseExceptionHandler();
            transport(branch);
            branch.UseWebSockets(sockets);
            branch.Run(gateway.Serve);
        });
    }

    private static bool IsGatewayPath(HttpContext context) =>
        context.Request.Path.StartsWithSegments(SocketPath, StringComparison.OrdinalIgnoreCase, out var rest) && (!rest.HasValue || rest == "/");

    /// <summary>The gateway's singletons, resolved once rather than from a request scope per socket.</summary>
    private sealed class Gateway(IServiceProvider root, IServiceScopeFactory scopes, ConsumerStore consumers, MessageStore messages,
        SenderProfiles profiles, DeviceConnections connections, InboxSignal inbox, DeviceAcks acks, ConsumerDevices devices, StoreHealth health,
        TimeProvider time, ILogger<DeviceSession> sessionLog)
    {
        public DeviceConnections Connections => connections;

        /// <summary>
        /// The device WebSocket. The device token comes in the Authorization header or, for browsers (which cannot set
        /// headers on a WebSocket), in a first <c>auth</c> frame; never in the URL, where proxies and logs would keep it.
        /// </summary>
        public async Task Serve(HttpContext context)
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await Problems.Create(400, "invalid_request", "This is a WebSocket endpoint.", "Connect with a WebSocket client.").ExecuteAsync(context);
                return;
            }
            var (refused, device) = await AuthenticateUpgrade(context);
            if (refused)
                return;

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            // The upgrade request's headers (the token among them) are not read again; Kestrel would keep them for
            // the socket's whole life.
            context.Request.Headers.Clear();
            device ??= await AuthenticateByFrame(socket, consumers, time, context.RequestAborted);
            if (device is null)
                return;

            var session = new DeviceSession(socket, device, messages, profiles, inbox, acks, connections, devices, health, time, sessionLog);
            var connectedAt = time.GetUtcNow();
            connections.Add(session);
            await Remember(() => devices.Touch(device.DeviceId, connectedAt), health);
            try
            {
                // Not linked to RequestAborted: a dropped connection ends the session's receive anyway, and a linked
                // token source per socket is memory held for nothing.
                await session.Run();
            }
            finally
            {
                connections.Remove(session);
                await Remember(() => devices.Disconnected(device.DeviceId, connectedAt, time.GetUtcNow()), health);
            }
        }

        /// <summary>
        /// A token in the upgrade request is checked by the deviceToken scheme (a bad one is a 401 before the upgrade);
        /// without one, the socket opens and waits for the auth frame. The scheme runs in a service scope of its own,
        /// ended here rather than kept for the socket's life.
        /// </summary>
        private async Task<(bool Refused, DeviceIdentity? Device)> AuthenticateUpgrade(HttpContext context)
        {
            await using var scope = scopes.CreateAsyncScope();
            context.RequestServices = scope.ServiceProvider;
            try
            {
                var header = await context.AuthenticateAsync(DeviceAuth.SchemeName);
                if (header.Failure is not null)
                {
                    await TypedResults.Challenge(authenticationSchemes: [DeviceAuth.SchemeName]).ExecuteAsync(context);
                    return (true, null);
                }
                return (false, header.Succeeded ? DeviceAuth.Current(context) : null);
            }
            finally
            {
                context.RequestServices = root;
            }
        }
    }

    /// <summary>Device metadata (last active, read sync) is worth a write but not a failed connection: a database fault is let go.</summary>
    private static async Task Remember(Func<Task> write, StoreHealth health)
    {
        try
        {
            await write();
        }
        catch (Exception ex) when (health.Failed(ex) != StoreFault.None)
        {
        }
    }

    /// <summary>
    /// Reads the first frame, which must be <c>auth</c>. The 10 s limit is a timer beside the receive, not a cancelled
    /// receive: cancelling a WebSocket receive aborts the socket, and the device would see 1006 instead of the
    /// <c>unauthorized</c> frame and the 1008 close that docs/protocol.md promises.
    /// </summary>
    private static async Task<DeviceIdentity?> AuthenticateByFrame(WebSocket socket, ConsumerStore consumers, TimeProvider time, CancellationToken cancel)
    {
        var buffer = new byte[4096];
        var receive = socket.ReceiveAsync(buffer.AsMemory(), cancel).AsTask();
        using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var timer = Task.Delay(AuthTimeout, time, stopTimer.Token);
        DeviceFrame? frame = null;
        var binary = false;
        try
        {
            if (await Task.WhenAny(receive, timer) == receive)
            {
                var result = await receive;
                binary = result.MessageType == WebSocketMessageType.Binary;
                if (result.MessageType == WebSocketMessageType.Text && result.EndOfMessage)
                    frame = JsonSerializer.Deserialize(buffer.AsSpan(0, result.Count), ApiJson.Type<DeviceFrame>());
            }
        }
        catch (Exception ex) when (ex is JsonException or OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            await stopTimer.CancelAsync();
        }
        if (binary)
        {
            await SocketClosing.CloseAndDrain(socket, WebSocketCloseStatus.InvalidMessageType, DeviceSession.BinaryRefused, cancel);
            return null;
        }
        var device = frame is { Type: "auth", Token: { } token } ? consumers.FindDevice(Secrets.Hash(token)) : null;
        if (device is null && socket.State == WebSocketState.Open)
        {
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new ErrorFrame("unauthorized", "Send {\"type\":\"auth\",\"token\":\"…\"} first."), ApiJson.Options),
                WebSocketMessageType.Text, true, cancel);
            // Not CloseAsync: it waits for the device's close without end, so a client that never answers would hold
            // an unauthenticated connection open for good. After a timeout the first receive is still pending: the
            // drain goes on with it (a WebSocket takes one receive at a time).
            await SocketClosing.CloseAndDrain(socket, WebSocketCloseStatus.PolicyViolation, "unauthorized", cancel, receive.IsCompleted ? null : receive);
        }
        return device;
    }
}
