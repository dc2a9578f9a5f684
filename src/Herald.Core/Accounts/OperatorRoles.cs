namespace Herald.Core.Accounts;

/// <summary>
/// The operator team's roles and what each may do. Owners and admins must use a second factor. Only an owner (or a
/// token) may make or remove an owner, and the last owner cannot be removed.
/// </summary>
public static class OperatorRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    /// <summary>Templates only: the review queue.</summary>
    public const string Reviewer = "reviewer";
    /// <summary>Read only.</summary>
    public const string Viewer = "viewer";
    /// <summary>Not a person: an operator token used by automation (the CLI), allowed everything.</summary>
    public const string Token = "token";

    public static readonly IReadOnlyList<string> All = [Owner, Admin, Reviewer, Viewer];

    private static readonly Capability[] s_everything = Enum.GetValues<Capability>();

    private static readonly Dictionary<string, Capability[]> s_capabilities = new()
    {
        [Owner] = s_everything,
        [Admin] = s_everything,
        [Reviewer] = [Capability.ReadTemplates, Capability.ReviewTemplates],
        [Viewer] = [Capability.Read, Capability.ReadTemplates],
        [Token] = s_everything,
    };

    public static bool IsRole(string? role) => role is not null && All.Contains(role);

    public static bool Allows(string? role, Capability capability) =>
        role is not null && s_capabilities.TryGetValue(role, out var allowed) && allowed.Contains(capability);

    public static IEnumerable<Capability> CapabilitiesOf(string role) => s_capabilities.GetValueOrDefault(role) ?? [];

    public static bool RequiresSecondFactor(string role) => role is Owner or Admin;

    /// <summary>Whether <paramref name="actingRole"/> may invite, reset or remove someone holding <paramref name="role"/>.</summary>
    public static bool MayManage(string actingRole, string role) => role != Owner || actingRole is Owner or Token;
}
