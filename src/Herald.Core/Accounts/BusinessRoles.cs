using Herald.Core.Businesses;

namespace Herald.Core.Accounts;

/// <summary>
/// A business's own people and what each may do in the business API (/v1), as the API key scopes of their role
/// (<see cref="ApiScopes"/>) plus two that no key holds: <see cref="Members"/> and <see cref="Keys"/>. A viewer
/// holds its scopes for reading only (GET). Owners must use a second factor.
/// </summary>
public static class BusinessRoles
{
    public const string Owner = "owner";
    public const string Developer = "developer";
    public const string Marketer = "marketer";
    public const string Viewer = "viewer";

    /// <summary>Invite, list and remove the business's members.</summary>
    public const string Members = "members";
    /// <summary>List, issue and revoke the business's API keys.</summary>
    public const string Keys = "keys";

    public static readonly IReadOnlyList<string> All = [Owner, Developer, Marketer, Viewer];

    private static readonly Dictionary<string, string[]> s_scopes = new()
    {
        [Owner] = [.. ApiScopes.All, Members, Keys],
        [Developer] = [ApiScopes.Send, ApiScopes.Status, ApiScopes.Templates, ApiScopes.Webhook, Keys],
        [Marketer] = [ApiScopes.Status, ApiScopes.Templates, ApiScopes.Campaigns, ApiScopes.Inbox],
        [Viewer] = [ApiScopes.Status, ApiScopes.Templates, ApiScopes.Webhook, ApiScopes.Campaigns, ApiScopes.Inbox, Keys],
    };

    public static bool IsRole(string? role) => role is not null && All.Contains(role);

    public static IReadOnlyList<string> ScopesOf(string role) => s_scopes.GetValueOrDefault(role) ?? [];

    /// <param name="reading">the call only reads (GET or HEAD)</param>
    public static bool Allows(string? role, string? scope, bool reading) =>
        role is not null && scope is not null && ScopesOf(role).Contains(scope) && (reading || role != Viewer);

    public static bool RequiresSecondFactor(string role) => role == Owner;
}
