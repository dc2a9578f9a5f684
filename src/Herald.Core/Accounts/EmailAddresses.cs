namespace Herald.Core.Accounts;

/// <summary>The e-mail addresses accounts sign in with: checked for shape only (nothing is ever mailed).</summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;

    public static bool IsValid(string? email) =>
        email is { Length: > 2 and <= MaxLength } && email.IndexOf('@') is var at && at > 0 && at < email.Length - 1
        && email.IndexOf('@', at + 1) < 0 && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
}
