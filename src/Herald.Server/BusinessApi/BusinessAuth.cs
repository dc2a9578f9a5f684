using System.Text.Encodings.Web;
using Herald.Core.Businesses;
using Herald.Core.Security;
using Herald.Server.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.BusinessApi;

/// <summary>
/// The <c>apiKey</c> scheme: the Bearer key names the business. Its policy then requires the caller's address to be
/// on the business's allowlist (<see cref="AllowlistRequirement"/>) and the key to hold the route's scope
/// (<see cref="ScopeRequirement"/>); authentication runs first, so an unknown caller learns nothing about either.
/// An expired key is refused like an unknown one (401 <c>invalid_token</c>), with its own detail.
/// </summary>
public sealed class BusinessAuth(ApiKeyCache keys, KeyUsage usage, TimeProvider time, IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : BearerAuthHandler(options, logger, encoder)
{
    /// <summary>The scheme's name, and the name of the policy that requires it (and the allowlist).</summary>
    public const string SchemeName = "apiKey";
    private const string ItemKey = "herald.business";
    internal const string KeyItem = "herald.key";
    internal const string MissingScopeKey = "herald.missing-scope";
    private const string ExpiredKey = "herald.key-expired";
    internal const string AllowlistKey = "herald.allowlist";
    internal const string RefusedAddressKey = "herald.refused-address";

    public static Business Current(HttpContext context) => (Business)context.Items[ItemKey]!;

    /// <summary>The business a member's Console session acts for (<see cref="MemberCheck"/>).</summary>
    internal static void SetCurrent(HttpContext context, Business business) => context.Items[ItemKey] = business;

    protected override string MissingDetail => "Send the API key as 'Authorization: Bearer <api_key>'.";
    protected override string InvalidDetail =>
        Context.Items.ContainsKey(ExpiredKey) ? "The API key has expired. The operator issues a new one." : "The API key is unknown or revoked.";

    protected override string? Identify(string token)
    {
        var (key, allowlist) = keys.Find(Secrets.Hash(token));
        if (key is null)
            return null;
        if (key.ExpiredAt(time.GetUtcNow()))
        {
            Context.Items[ExpiredKey] = true;
            return null;
        }
        usage.Used(key.KeyId);
        Context.Items[ItemKey] = key.Business;
        Context.Items[KeyItem] = key;
        Context.Items[AllowlistKey] = allowlist;
        return key.Business.Id;
    }

    /// <summary>
    /// A good key from an address outside the allowlist: 403 <c>ip_not_allowed</c>, without a <c>WWW-Authenticate</c>
    /// challenge. RFC 6750's <c>insufficient_scope</c> would tell the client to get a token with more scope, and no
    /// token helps here: the operator has to add the address (docs/api.md says so). A key without the route's scope
    /// (from an allowed address): 403 <c>scope_required</c> naming the scope, with RFC 6750's <c>insufficient_scope</c>
    /// challenge, since a key with that scope does help.
    /// </summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(RefusedAddressKey))
            return Problems.Create(403, "ip_not_allowed", "This address may not use this API key.",
                $"{Context.Items[RefusedAddressKey]} is not on the business's IP allowlist. The operator sets the allowlist.").ExecuteAsync(Context);
        var scope = Context.Items[MissingScopeKey] as string ?? "unknown";
        // The scope is one of ApiScopes.All: no '"' or '\' can reach the header.
        Context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{scope}\"";
        return Problems.Create(403, "scope_required", "This API key does not hold the scope this call needs.",
            $"The call needs the '{scope}' scope. The operator issues keys with scopes.", new Dictionary<string, string> { ["scope"] = scope }).ExecuteAsync(Context);
    }
}
