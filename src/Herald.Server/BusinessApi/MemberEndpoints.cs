using Herald.Core.Accounts;
using Herald.Server.Accounts;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Server.Operator;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Herald.Server.BusinessApi;

/// <summary>
/// A business's own people and keys, managed from the Console by its members (scopes <c>members</c> and <c>keys</c>,
/// which no API key holds) and by operators. The business is always the caller's own (or the one in an operator's
/// path): another business's member or key is not found.
/// </summary>
public static class MemberEndpoints
{
    private const string Roles = "`owner`, `developer`, `marketer` or `viewer` (docs/accounts.md)";

    public static void MapMemberEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/members", (HttpContext context, AccountStore accounts) => List(accounts, BusinessAuth.Current(context).Id))
            .Answers<List<PersonView>>("listMembers", "The business's members")
            .WithDescription("For a member signed in to the Console whose role holds `members` (owners).").RequiresScope(BusinessRoles.Members);
        v1.MapPost("/members/invitations", (HttpContext context, AccountStore accounts, Totp totp, IOptions<HeraldOptions> options, TimeProvider time) =>
                new Team(BusinessAuth.Current(context).Id).Invite(context, accounts, totp, options.Value, time)).Reads<InvitationRequest>()
            .Answers<IssuedLink>("inviteMember", "Invite a person to the business: a single-use sign-up link", 201)
            .WithDescription($"`role`: {Roles}. Owners must enrol an authenticator app. 409 `conflict` when the e-mail has an account.")
            .Errors("invalid_request", "conflict").RequiresScope(BusinessRoles.Members);
        v1.MapPost("/members/{accountId}/password-reset", (string accountId, HttpContext context, AccountStore accounts, Totp totp,
                IOptions<HeraldOptions> options, TimeProvider time) =>
                new Team(BusinessAuth.Current(context).Id).ResetPassword(accountId, context, accounts, totp, options.Value, time))
            .Answers<IssuedLink>("resetMemberPassword", "Reset a member's password: a single-use link", 201)
            .WithDescription("Their sessions end at once; the link (shown this once) sets a new password and enrols the authenticator app anew. "
                + "404 when the account is not this business's member.")
            .Errors("not_found").RequiresScope(BusinessRoles.Members);
        v1.MapDelete("/members/{accountId}", (string accountId, HttpContext context, AccountStore accounts, TimeProvider time) =>
                new Team(BusinessAuth.Current(context).Id).Remove(accountId, context, accounts, time))
            .AnswersEmpty("removeMember", "Remove a member: their sessions end at once")
            .WithDescription("404 when the account is not this business's member. 409 `last_owner` for the business's last owner.")
            .Errors("not_found", "last_owner").RequiresScope(BusinessRoles.Members);

        v1.MapGet("/keys", (HttpContext context, BusinessStore businesses) => TypedResults.Json(businesses.ListKeys(BusinessAuth.Current(context).Id), ApiJson.Options))
            .Answers<List<ApiKeyInfo>>("listOwnKeys", "The business's keys: names, scopes and dates")
            .WithDescription("For a member whose role holds `keys`; never the keys themselves.").RequiresScope(BusinessRoles.Keys);
        v1.MapPost("/keys", (HttpContext context, BusinessStore businesses, TimeProvider time) =>
                BusinessAdminEndpoints.IssueKey(BusinessAuth.Current(context).Id, context, businesses, time))
            .Accepts<IssueKeyRequest>(isOptional: true, "application/json").Answers<IssuedKey>("issueOwnKey", "Issue an API key for my business (shown this once)", 201)
            .WithDescription("As the operator's `POST /admin/v1/businesses/{business_id}/keys`, for the member's own business.")
            .Errors("invalid_request").RequiresScope(BusinessRoles.Keys);
        v1.MapDelete("/keys/{keyId}", (string keyId, HttpContext context, BusinessStore businesses, ApiKeyCache keys, TimeProvider time) =>
                BusinessAdminEndpoints.RevokeKey(BusinessAuth.Current(context).Id, keyId, context, businesses, keys, time))
            .AnswersEmpty("revokeOwnKey", "Revoke one of my business's keys at once")
            .WithDescription("404 when the key is not this business's or is already revoked.").Errors("not_found").RequiresScope(BusinessRoles.Keys);
    }

    /// <summary>The operator's view of a business's members.</summary>
    public static void MapMemberAdminEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/businesses/{businessId}/members", (string businessId, BusinessStore businesses, AccountStore accounts) =>
                businesses.Get(businessId) is null ? Problems.NotFound("business") : List(accounts, businessId))
            .Answers<List<PersonView>>("listBusinessMembers", "A business's members")
            .WithDescription("Everyone invited to the business, with role and whether they have accepted.").Errors("not_found").Needs(Capability.Read);
        admin.MapPost("/businesses/{businessId}/members/invitations", (string businessId, HttpContext context, BusinessStore businesses, AccountStore accounts,
                Totp totp, IOptions<HeraldOptions> options, TimeProvider time) =>
                businesses.Get(businessId) is null ? Task.FromResult(Problems.NotFound("business")) : new Team(businessId).Invite(context, accounts, totp, options.Value, time))
            .Reads<InvitationRequest>().Answers<IssuedLink>("inviteBusinessMember", "Invite a person to a business: a single-use sign-up link", 201)
            .WithDescription($"`role`: {Roles}. 409 `conflict` when the e-mail has an account.")
            .Errors("invalid_request", "not_found", "conflict").Needs(Capability.ManageBusinesses);
        admin.MapPost("/businesses/{businessId}/members/{accountId}/password-reset", (string businessId, string accountId, HttpContext context,
                AccountStore accounts, Totp totp, IOptions<HeraldOptions> options, TimeProvider time) =>
                new Team(businessId).ResetPassword(accountId, context, accounts, totp, options.Value, time))
            .Answers<IssuedLink>("resetBusinessMemberPassword", "Reset a business member's password: a single-use link", 201)
            .WithDescription("As `POST /v1/members/{account_id}/password-reset`. 404 when the account is not that business's member.")
            .Errors("not_found").Needs(Capability.ManageBusinesses);
        admin.MapDelete("/businesses/{businessId}/members/{accountId}", (string businessId, string accountId, HttpContext context, AccountStore accounts, TimeProvider time) =>
                new Team(businessId).Remove(accountId, context, accounts, time))
            .AnswersEmpty("removeBusinessMember", "Remove a business's member: their sessions end at once")
            .WithDescription("404 when the account is not that business's member. 409 `last_owner` for the business's last owner.")
            .Errors("not_found", "last_owner").Needs(Capability.ManageBusinesses);
    }

    private static IResult List(AccountStore accounts, string businessId) =>
        TypedResults.Json(accounts.List(businessId).Select(PersonView.Of), ApiJson.Options);
}
