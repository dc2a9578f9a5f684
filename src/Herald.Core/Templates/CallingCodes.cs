namespace Herald.Core.Templates;

/// <summary>Country calling codes (ITU E.164: 1 to 3 digits) and which configured policy applies to a phone number.</summary>
public static class CallingCodes
{
    public static bool IsValid(string? code) =>
        code is { Length: >= 1 and <= 3 } && code[0] != '0' && code.All(char.IsAsciiDigit);

    /// <summary>The longest configured code the number starts with, or null.</summary>
    public static string? Match(string phone, IEnumerable<string> configured) =>
        configured.Where(c => phone.AsSpan(1).StartsWith(c, StringComparison.Ordinal)).MaxBy(c => c.Length);
}
