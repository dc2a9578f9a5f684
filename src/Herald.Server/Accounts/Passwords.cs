using Herald.Storage;
using Microsoft.AspNetCore.Identity;

namespace Herald.Server.Accounts;

/// <summary>
/// Password hashing with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, 100,000
/// iterations, salted; docs/decisions.md says why this one).
/// </summary>
public static class Passwords
{
    public const int MinLength = 12;
    public const int MaxLength = 128;
    private static readonly PasswordHasher<Account> s_hasher = new();
    // Checked when no account matches, so "no such e-mail" takes as long as "wrong password".
    private static readonly string s_decoy = s_hasher.HashPassword(null!, "decoy password, never anyone's");

    public static string? Problem(string? password) =>
        password is null || password.Length < MinLength || password.Length > MaxLength ? $"{MinLength} to {MaxLength} characters" : null;

    public static string Hash(string password) => s_hasher.HashPassword(null!, password);

    public static PasswordVerificationResult Verify(Account? account, string password)
    {
        if (account?.PasswordHash is { } hash)
            return s_hasher.VerifyHashedPassword(account, hash, password);
        s_hasher.VerifyHashedPassword(null!, s_decoy, password);
        return PasswordVerificationResult.Failed;
    }
}
