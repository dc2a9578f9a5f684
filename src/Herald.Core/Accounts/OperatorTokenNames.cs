using System.Text.RegularExpressions;

namespace Herald.Core.Accounts;

/// <summary>
/// An operator token's name, as the audit log shows it (<c>token:NAME</c>): lower-case letters, digits, '.' and '-',
/// 1 to 64 characters. No '_', so a name never looks like a token id (<c>op_…</c>).
/// </summary>
public static partial class OperatorTokenNames
{
    public const int MaxLength = 64;
    public const string Rule = "1 to 64 of a-z, 0-9, '.' and '-', starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
