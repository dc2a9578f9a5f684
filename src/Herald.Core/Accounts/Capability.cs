namespace Herald.Core.Accounts;

/// <summary>
/// What an operator may do. Each is an authorization policy of its own (<see cref="Policy"/>); every operator route
/// requires exactly one, so a role's reach is this table, not checks in handlers.
/// </summary>
public enum Capability
{
    /// <summary>See businesses, keys' dates, country policies, the team and the audit log.</summary>
    Read,
    /// <summary>See the template review queue.</summary>
    ReadTemplates,
    /// <summary>Approve and reject templates.</summary>
    ReviewTemplates,
    /// <summary>Create and change businesses, issue and revoke their keys.</summary>
    ManageBusinesses,
    /// <summary>Set country policies.</summary>
    ManagePolicies,
    /// <summary>Invite and remove operators, reset their passwords; create and revoke operator tokens.</summary>
    ManageTeam,
}

public static class Capabilities
{
    private const string Prefix = "operator:";

    /// <summary>The authorization policy's name for a capability.</summary>
    public static string Policy(this Capability capability) => Prefix + capability;

    public static bool IsCapabilityPolicy(string policy) => policy.StartsWith(Prefix, StringComparison.Ordinal);
}
