using System.Globalization;
using System.Security.Claims;
using Herald.Storage;

namespace Herald.Server.Accounts;

/// <summary>What a Console session (and an operator token) carries: who acts, in which role, since when.</summary>
public static class AccountClaims
{
    /// <summary>The name the audit log gives: a person's e-mail, or <c>token:NAME</c>.</summary>
    public const string Actor = "herald:actor";
    public const string Stamp = "herald:stamp";
    public const string SignedInAt = "herald:signed_in_at";
    /// <summary>A business member's business; operators carry none.</summary>
    public const string Business = "herald:business";

    /// <summary>How the audit log names an operator token.</summary>
    public static string TokenActor(string name) => "token:" + name;

    public static string ActorOf(ClaimsPrincipal user) =>
        user.FindFirstValue(Actor) ?? throw new InvalidOperationException("An operator route ran without an authenticated operator.");

    public static string RoleOf(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? "";

    /// <summary>The member's business, or null for an operator (person or token).</summary>
    public static string? BusinessOf(ClaimsPrincipal user) => user.FindFirstValue(Business);

    public static ClaimsPrincipal Session(Account account, DateTimeOffset signedInAt)
    {
        List<Claim> claims =
        [
            new Claim(ClaimTypes.NameIdentifier, account.Id),
            new Claim(Actor, account.Email),
            new Claim(ClaimTypes.Role, account.Role),
            new Claim(Stamp, account.Stamp),
            new Claim(SignedInAt, signedInAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ];
        if (account.BusinessId is not null)
            claims.Add(new Claim(Business, account.BusinessId));
        return new(new ClaimsIdentity(claims, ConsoleSession.Scheme));
    }

    public static DateTimeOffset SignedInAtOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(SignedInAt), CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MinValue;
}
