namespace Herald.Core.Accounts;

/// <summary>
/// The operator team's roles and what each may do; operator tokens hold one of them too. Owners and admins must use a
/// second factor. Only an owner (person or token) may make or remove an owner, and the last owner cannot be removed.
/// </summary>
public static class OperatorRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    /// <summary>Templates only: the review queue.</summary>
    public const string Reviewer = "reviewer";
    /// <summary>Read only.</summary>
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Owner, Admin, Reviewer, Viewer];

    private static readonly Capability[] s_everything = Enum.GetValues<Capability>();

    private static readonly Dictionary<string, Capability[]> s_capabilities = new()
    {
        [Owner] = s_everything,
        [Admin] = s_everything,
        [Reviewer] = [Capability.ReadTemplates, Capability.ReviewTemplates],
        [Viewer] = [Capability.Read, Capability.ReadTemplates],
    };

    public static bool IsRole(string? role) => role is not null && All.Contains(role);

    public static bool Allows(string? role, Capability capability) =>
        role is not null && s_capabilities.TryGetValue(role, out var allowed) && allowed.Contains(capability);

    public static IEnumerable<Capability> CapabilitiesOf(string role) => s_capabilities.GetValueOrDefault(role) ?? [];

    public static bool RequiresSecondFactor(string role) => role is Owner or Admin;

    /// <summary>Whether <paramref name="actingRole"/> may invite, reset or remove someone holding <paramref name="role"/>.</summary>
    public static bool MayManage(string actingRole, string role) => role != Owner || actingRole is Owner;

    /// <summary>
    /// Whether <paramref name="actingRole"/> may create an operator token holding <paramref name="role"/>: never one
    /// that may do more than its creator, and an owner token only by an owner.
    /// </summary>
    public static bool MayGrant(string actingRole, string role) =>
        IsRole(role) && MayManage(actingRole, role) && CapabilitiesOf(role).All(c => Allows(actingRole, c));
}
