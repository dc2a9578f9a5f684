using Herald.Core.Accounts;
using Herald.Core.Businesses;
using Herald.Core.Security;
using Herald.Server.Accounts;
using Herald.Server.BusinessApi;
using Herald.Server.Consumer;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Operator;

public static class BusinessAdminEndpoints
{
    public static void MapBusinessAdminEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/businesses", Create).Reads<BusinessInput>().Answers<BusinessView>("createBusiness", "Create a business", 201)
            .WithDescription("`business_id` is generated when absent (3 to 64 of `a-z0-9_-`); 409 `conflict` when it is taken. The business has no API key until one is issued.")
            .Errors("invalid_request", "conflict").Needs(Capability.ManageBusinesses);
        admin.MapGet("/businesses", (BusinessStore businesses) => TypedResults.Json(businesses.List().Select(BusinessView.Of), ApiJson.Options))
            .Answers<List<BusinessView>>("listBusinesses", "Every business")
            .WithDescription("Every business with its profile, allowlist, limits and callback URL; never a secret.").Needs(Capability.Read);
        admin.MapGet("/businesses/{businessId}", (string businessId, BusinessStore businesses) =>
            businesses.Get(businessId) is { } b ? TypedResults.Json(BusinessView.Of(b), ApiJson.Options) : Problems.NotFound("business"))
            .Answers<BusinessView>("getBusiness", "One business")
            .WithDescription("One business with its profile, allowlist, limits and callback URL; never a secret.").Errors("not_found").Needs(Capability.Read);
        admin.MapPatch("/businesses/{businessId}", Update).Reads<BusinessInput>()
            .Answers<BusinessView>("updateBusiness", "Change a business (fields present only)")
            .WithDescription("Fields left out keep their value; `business_id` cannot change. Takes effect at once, cached keys included.").Errors("invalid_request", "not_found").Needs(Capability.ManageBusinesses);
        admin.MapPost("/businesses/{businessId}/keys", IssueKey).Accepts<IssueKeyRequest>(isOptional: true, "application/json").Answers<IssuedKey>("issueKey", "Issue an API key (shown this once)", 201)
            .WithDescription("The key's clear text is in this answer only: Herald keeps a hash. A business may hold several keys, to rotate them. "
                + "The body is optional: `name`, `scopes` (default: all) and `expires_at` (default: never).").Errors("invalid_request", "not_found").Needs(Capability.ManageBusinesses);
        admin.MapGet("/businesses/{businessId}/keys", (string businessId, BusinessStore businesses) =>
            businesses.Get(businessId) is null ? Problems.NotFound("business") : TypedResults.Json(businesses.ListKeys(businessId), ApiJson.Options))
            .Answers<List<ApiKeyInfo>>("listKeys", "A business's keys: names, scopes and dates")
            .WithDescription("Each key's id, name, scopes, when it was issued, expires, was last used (at most a minute behind) and, if so, revoked; never the keys.").Errors("not_found").Needs(Capability.Read);
        admin.MapDelete("/businesses/{businessId}/keys/{keyId}", RevokeKey).AnswersEmpty("revokeKey", "Revoke a key at once")
            .WithDescription("The key stops working at once. 404 when the key is not this business's or is already revoked.").Errors("not_found").Needs(Capability.ManageBusinesses);
    }

    private static async Task<IResult> Create(HttpContext context, BusinessStore businesses, TimeProvider time)
    {
        var (input, problem) = await JsonBody.Read(context, ApiJson.Type<BusinessInput>());
        if (problem is not null)
            return problem;
        var errors = input!.Validate(creating: true);
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var now = time.GetUtcNow();
        var business = new Business
        {
            Id = input.BusinessId ?? Secrets.NewId("biz"),
            Name = input.Name!.Trim(),
            LogoUrl = input.LogoUrl,
            Description = input.Description,
            LearnMoreUrl = input.LearnMoreUrl,
            Verified = input.Verified ?? false,
            AllowedIps = input.AllowedIps ?? [],
            TwoWay = input.TwoWay ?? false,
            RateLimitPerSecond = input.RateLimitPerSecond,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!await businesses.Insert(business, OperatorAuth.Audit(context, time, "business.create", business.Id, input)))
            return Problems.Create(409, "conflict", "That business_id is taken.");
        return TypedResults.Json(BusinessView.Of(business), ApiJson.Options, statusCode: 201);
    }

    private static async Task<IResult> Update(string businessId, HttpContext context, BusinessStore businesses, SenderProfiles profiles,
        ApiKeyCache keys, TimeProvider time)
    {
        var (input, problem) = await JsonBody.Read(context, ApiJson.Type<BusinessInput>());
        if (problem is not null)
            return problem;
        var errors = input!.Validate(creating: false);
        if (input.BusinessId is not null && input.BusinessId != businessId)
            errors["business_id"] = "cannot be changed";
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var current = businesses.Get(businessId);
        if (current is null)
            return Problems.NotFound("business");

        var updated = current with
        {
            Name = input.Name?.Trim() ?? current.Name,
            LogoUrl = input.LogoUrl ?? current.LogoUrl,
            Description = input.Description ?? current.Description,
            LearnMoreUrl = input.LearnMoreUrl ?? current.LearnMoreUrl,
            Verified = input.Verified ?? current.Verified,
            AllowedIps = input.AllowedIps ?? current.AllowedIps,
            TwoWay = input.TwoWay ?? current.TwoWay,
            RateLimitPerSecond = input.RateLimitPerSecond ?? current.RateLimitPerSecond,
            UpdatedAt = time.GetUtcNow(),
        };
        await businesses.Update(updated, OperatorAuth.Audit(context, time, "business.update", businessId, input));
        profiles.Invalidate(businessId);
        keys.Clear();
        return TypedResults.Json(BusinessView.Of(updated), ApiJson.Options);
    }

    /// <summary>Issues a key. Its clear text is in this answer only; Herald keeps a hash.</summary>
    internal static async Task<IResult> IssueKey(string businessId, HttpContext context, BusinessStore businesses, TimeProvider time)
    {
        var request = new IssueKeyRequest();
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            (request, var problem) = await JsonBody.Read(context, ApiJson.Type<IssueKeyRequest>());
            if (problem is not null)
                return problem;
        }
        var errors = request!.Validate(time.GetUtcNow());
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (businesses.Get(businessId) is null)
            return Problems.NotFound("business");
        var key = Secrets.NewToken("hk");
        var keyId = Secrets.NewId("key");
        var name = request.Name?.Trim();
        var scopes = request.Scopes?.Distinct().ToList();
        var audit = OperatorAuth.Audit(context, time, "key.issue", businessId,
            new { key_id = keyId, name, scopes = scopes ?? ApiScopes.All, expires_at = request.ExpiresAt });
        await businesses.AddKey(new NewApiKey(keyId, businessId, Secrets.Hash(key), name, scopes, request.ExpiresAt), audit);
        return TypedResults.Json(new IssuedKey(keyId, key, name, scopes ?? ApiScopes.All, audit.At, request.ExpiresAt), ApiJson.Options, statusCode: 201);
    }

    internal static async Task<IResult> RevokeKey(string businessId, string keyId, HttpContext context, BusinessStore businesses, ApiKeyCache keys, TimeProvider time)
    {
        if (!await businesses.RevokeKey(businessId, keyId, OperatorAuth.Audit(context, time, "key.revoke", businessId, new { key_id = keyId })))
            return Problems.NotFound("active key");
        keys.Clear();
        return TypedResults.NoContent();
    }
}

public sealed record IssuedKey(string KeyId, string ApiKey, string? Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>A business as the operator sees it. The webhook secret is never shown here.</summary>
public sealed record BusinessView(
    string BusinessId, string Name, string? LogoUrl, string? Description, string? LearnMoreUrl, bool Verified,
    IReadOnlyList<string> AllowedIps, bool TwoWay, int? RateLimitPerSecond, string? CallbackUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static BusinessView Of(Business b) =>
        new(b.Id, b.Name, b.LogoUrl, b.Description, b.LearnMoreUrl, b.Verified, b.AllowedIps, b.TwoWay, b.RateLimitPerSecond, b.CallbackUrl, b.CreatedAt, b.UpdatedAt);
}
