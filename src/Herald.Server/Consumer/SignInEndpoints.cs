using Herald.Core.Messages;
using Herald.Core.Security;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Herald.Server.Consumer;

public static class SignInEndpoints
{
    public static void MapSignInEndpoints(this RouteGroupBuilder consumer)
    {
        consumer.MapPost("/sign-in/code", RequestCode);
        consumer.MapPost("/sign-in", SignIn);
        consumer.MapDelete("/devices/current", SignOut);
    }

    /// <summary>Sends a code. The answer is the same whether or not the phone has signed in before.</summary>
    private static async Task<IResult> RequestCode(HttpContext context, SignInCodes codes, ConsumerStore consumers, SignInThrottle throttle,
        IOptions<HeraldOptions> options, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<CodeRequest>());
        if (problem is not null)
            return problem;
        if (!PhoneNumber.IsValid(request!.Phone))
            return Problems.Invalid("phone", "must be an E.164 phone number such as +447700900123");
        if (throttle.TryTake(request.Phone!, context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"].ToString()) is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Create(429, "too_many_codes", "Too many sign-in codes asked for.",
                "Wait before asking for another code (see Retry-After); the last code stays good until it expires.");
        }

        var lifetime = options.Value.Consumers.CodeLifetimeSeconds;
        var code = Secrets.NewCode();
        await consumers.SaveCode(request.Phone!, codes.Hash(request.Phone!, code), time.GetUtcNow().AddSeconds(lifetime));
        try
        {
            if (!await codes.Deliver(request.Phone!, code, context.RequestAborted))
                return Problems.Create(503, "code_delivery_unavailable", "Sign-in codes cannot be sent.",
                    "The operator has not configured Herald__Consumers__CodeHookUrl.");
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            // Refused, unreachable, or no answer within the hook client's timeout: the gateway's trouble, not a 500.
            return Problems.Create(503, "code_delivery_unavailable", "Sign-in codes cannot be sent right now.", "The SMS gateway did not accept the code.");
        }
        return TypedResults.Json(new CodeSent(lifetime), ApiJson.Options, statusCode: 202);
    }

    private static async Task<IResult> SignIn(HttpContext context, SignInCodes codes, ConsumerStore consumers,
        IOptions<HeraldOptions> options, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<SignInRequest>());
        if (problem is not null)
            return problem;
        if (!PhoneNumber.IsValid(request!.Phone) || string.IsNullOrEmpty(request.Code))
            return Problems.Invalid(new Dictionary<string, string> { ["phone"] = "E.164 phone number required", ["code"] = "required" });

        var now = time.GetUtcNow();
        if (!await consumers.UseCode(request.Phone!, codes.Hash(request.Phone!, request.Code), now, options.Value.Consumers.CodeMaxAttempts))
            return Problems.Create(401, "invalid_code", "The code is wrong or has expired.", "Request a new code after too many tries.");

        var token = Secrets.NewToken("hdt");
        var device = await consumers.AddDevice(request.Phone!, Secrets.NewId("con"), Secrets.NewId("dev"), Secrets.Hash(token), now,
            Herald.Core.Consumers.DeviceNames.FromUserAgent(context.Request.Headers.UserAgent));
        return TypedResults.Json(new SignedIn(token, device.DeviceId, device.Phone), ApiJson.Options);
    }

    /// <summary>Signs this device out: its token stops working, its socket closes, its push subscription goes.</summary>
    private static async Task<IResult> SignOut(HttpContext context, ConsumerStore consumers, ConsumerDevices devices, DeviceConnections connections, TimeProvider time)
    {
        var token = BearerToken.From(context.Request);
        var device = token is null ? null : consumers.FindDevice(Secrets.Hash(token));
        if (device is null)
            return Problems.Unauthorized("Send the device token as 'Authorization: Bearer <token>'.");
        await devices.Revoke(device.ConsumerId, device.DeviceId, time.GetUtcNow());
        connections.Close(device.ConsumerId, device.DeviceId);
        return TypedResults.NoContent();
    }
}

public sealed record CodeRequest(string? Phone);
public sealed record CodeSent(int ExpiresInSeconds);
public sealed record SignInRequest(string? Phone, string? Code);
public sealed record SignedIn(string Token, string DeviceId, string Phone);
