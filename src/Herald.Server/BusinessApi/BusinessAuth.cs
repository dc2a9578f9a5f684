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
/// on the business's allowlist (<see cref="AllowlistRequirement"/>); authentication runs first, so an unknown caller
/// learns nothing about any allowlist.
/// </summary>
public sealed class BusinessAuth(ApiKeyCache keys, IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : BearerAuthHandler(options, logger, encoder)
{
    /// <summary>The scheme's name, and the name of the policy that requires it (and the allowlist).</summary>
    public const string SchemeName = "apiKey";
    private const string ItemKey = "herald.business";
    internal const string AllowlistKey = "herald.allowlist";
    internal const string RefusedAddressKey = "herald.refused-address";

    public static Business Current(HttpContext context) => (Business)context.Items[ItemKey]!;

    protected override string MissingDetail => "Send the API key as 'Authorization: Bearer <api_key>'.";
    protected override string InvalidDetail => "The API key is unknown or revoked.";

    protected override string? Identify(string token)
    {
        var (business, allowlist) = keys.Find(Secrets.Hash(token));
        if (business is null)
            return null;
        Context.Items[ItemKey] = business;
        Context.Items[AllowlistKey] = allowlist;
        return business.Id;
    }

    /// <summary>
    /// A good key from an address outside the allowlist: 403 <c>ip_not_allowed</c>, without a <c>WWW-Authenticate</c>
    /// challenge. RFC 6750's <c>insufficient_scope</c> would tell the client to get a token with more scope, and no
    /// token helps here: the operator has to add the address (docs/api.md says so).
    /// </summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Create(403, "ip_not_allowed", "This address may not use this API key.",
            $"{Context.Items[RefusedAddressKey]} is not on the business's IP allowlist. The operator sets the allowlist.").ExecuteAsync(Context);
}
