using System.Diagnostics.CodeAnalysis;

namespace Herald.Core.Network;

/// <summary>Absolute URLs read from untrusted text.</summary>
public static class Urls
{
    /// <summary>
    /// <see cref="Uri.TryCreate(string, UriKind, out Uri)"/>, except that it never throws. On .NET 10 that method throws
    /// IndexOutOfRangeException for a file or UNC form whose host is only a bidi control character ("//\u202E",
    /// "file://\u202E"; found by MessageRulesFuzz). Such text is not a URL, so the answer is false.
    /// </summary>
    public static bool TryParseAbsolute(string value, [NotNullWhen(true)] out Uri? uri)
    {
        try
        {
            return Uri.TryCreate(value, UriKind.Absolute, out uri);
        }
        catch (IndexOutOfRangeException)
        {
            uri = null;
            return false;
        }
    }
}
