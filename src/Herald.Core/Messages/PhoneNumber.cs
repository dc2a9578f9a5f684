namespace Herald.Core.Messages;

/// <summary>E.164: a plus, a non-zero leading digit, at most 15 digits in all.</summary>
public static class PhoneNumber
{
    /// <summary>What <see cref="IsValid"/> accepts, as a regular expression (for the OpenAPI document's <c>pattern</c>).</summary>
    public const string Pattern = @"^\+[1-9][0-9]{6,14}$";

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length is < 8 or > 16 || value[0] != '+' || value[1] == '0')
            return false;
        for (var i = 1; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
                return false;
        }
        return true;
    }
}
