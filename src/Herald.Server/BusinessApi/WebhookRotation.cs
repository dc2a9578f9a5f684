using Herald.Core.Callbacks;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.BusinessApi;

/// <summary>
/// <c>POST /v1/webhook/secret/rotate</c>: issues a new signing secret. The old one keeps signing too (a second
/// signature in <c>webhook-signature</c>) for the overlap, so receivers can switch to the new secret without missing a
/// callback. A body is optional: <c>{"overlap_seconds": n}</c>.
/// </summary>
public static class WebhookRotation
{
    /// <summary>A day: time for a receiver's deploy, even one waiting for the next working day.</summary>
    public const int DefaultOverlapSeconds = 24 * 3600;

    /// <summary>
    /// A week at most: the old secret may be the reason for rotating (leaked), so it must not sign for long; 0 stops it
    /// at once (callbacks then verify with the new secret only).
    /// </summary>
    public const int MaxOverlapSeconds = 7 * 24 * 3600;

    public static async Task<IResult> Rotate(HttpContext context, BusinessStore businesses, TimeProvider time)
    {
        var overlap = DefaultOverlapSeconds;
        if (context.Request.ContentLength > 0 || context.Request.ContentType is not null)
        {
            var (request, problem) = await JsonBody.Read(context, ApiJson.Type<RotateSecretRequest>());
            if (problem is not null)
                return problem;
            if (request!.OverlapSeconds is { } asked)
            {
                if (asked is < 0 or > MaxOverlapSeconds)
                    return Problems.Invalid("overlap_seconds", $"must be 0 to {MaxOverlapSeconds} (a week)");
                overlap = asked;
            }
        }

        var business = BusinessAuth.Current(context);
        var now = time.GetUtcNow();
        var previousUntil = now.AddSeconds(overlap);
        var secret = WebhookSignature.NewSecret();
        if (!await businesses.RotateWebhookSecret(business.Id, secret, previousUntil, now))
            return Problems.Create(404, "not_found", "Not found.", "No webhook is set, so there is no secret to rotate: PUT /v1/webhook first."); // the spec's codes
        return TypedResults.Json(new RotatedSecretView(businesses.Get(business.Id)?.CallbackUrl ?? "", secret, previousUntil), ApiJson.Options);
    }
}

public sealed record RotateSecretRequest(int? OverlapSeconds);

/// <param name="PreviousSecretExpiresAt">until when the replaced secret signs too</param>
public sealed record RotatedSecretView(string Url, string Secret, DateTimeOffset PreviousSecretExpiresAt);
