using Herald.Core.Accounts;
using Herald.Storage;

namespace Herald.Server.Accounts;

/// <summary>An account's role read in its own table: the operator team's (<see cref="OperatorRoles"/>) or a business's (<see cref="BusinessRoles"/>).</summary>
public static class AccountRoles
{
    public static bool RequiresSecondFactor(Account account) =>
        account.BusinessId is null ? OperatorRoles.RequiresSecondFactor(account.Role) : BusinessRoles.RequiresSecondFactor(account.Role);

    /// <summary>What the Console may offer: an operator's capabilities, or a member's scopes (a viewer's for reading only).</summary>
    public static IEnumerable<string> CapabilitiesOf(Account account) =>
        account.BusinessId is null ? OperatorRoles.CapabilitiesOf(account.Role).Select(c => c.ToString()) : BusinessRoles.ScopesOf(account.Role);
}
