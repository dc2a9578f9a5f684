using System.ComponentModel.DataAnnotations;
using Herald.Core.Accounts;
using Herald.Core.Security;
using Herald.Server.Accounts;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Herald.Server.Operator;

/// <summary>The operator team: people who sign in to the Console. An operator token invites the first owner.</summary>
public static class TeamEndpoints
{
    public static void MapTeamEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/operators", (AccountStore accounts) => TypedResults.Json(accounts.List(businessId: null).Select(PersonView.Of), ApiJson.Options))
            .Answers<List<PersonView>>("listOperators", "The operator team")
            .WithDescription("Everyone invited to the team, with role and whether they have accepted and enrolled a second factor.").Needs(Capability.Read);
        admin.MapPost("/operators/invitations", (HttpContext context, AccountStore accounts, Totp totp, IOptions<HeraldOptions> options, TimeProvider time) =>
                Team.Operators.Invite(context, accounts, totp, options.Value, time)).Reads<InvitationRequest>()
            .Answers<IssuedLink>("inviteOperator", "Invite a person to the team: a single-use sign-up link", 201)
            .WithDescription("The link (shown this once) lets the person set a password and, for owners and admins (required) or others "
                + "(optional), enrol an authenticator app. Only an owner (a person or an owner token) may invite an owner. 409 `conflict` when the e-mail is on the team.")
            .Errors("invalid_request", "forbidden", "conflict").Needs(Capability.ManageTeam);
        admin.MapPost("/operators/{accountId}/password-reset", (string accountId, HttpContext context, AccountStore accounts, Totp totp,
                IOptions<HeraldOptions> options, TimeProvider time) => Team.Operators.ResetPassword(accountId, context, accounts, totp, options.Value, time))
            .Answers<IssuedLink>("resetOperatorPassword", "Reset a person's password: a single-use link", 201)
            .WithDescription("Their sessions end at once; the link (shown this once) sets a new password and enrols the authenticator app anew.")
            .Errors("not_found", "forbidden").Needs(Capability.ManageTeam);
        admin.MapDelete("/operators/{accountId}", (string accountId, HttpContext context, AccountStore accounts, TimeProvider time) =>
                Team.Operators.Remove(accountId, context, accounts, time)).AnswersEmpty("removeOperator", "Remove a person from the team")
            .WithDescription("Their sessions and links stop at once. 409 `last_owner` for the team's last owner.")
            .Errors("not_found", "forbidden", "last_owner").Needs(Capability.ManageTeam);
    }
}
