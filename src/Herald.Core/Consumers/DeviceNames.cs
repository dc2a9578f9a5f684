namespace Herald.Core.Consumers;

/// <summary>
/// A name a person recognises their device by ("Chrome on Android"), made from the User-Agent at sign-in. Only the
/// browser family and the platform: enough to tell one's phone from one's laptop, nothing that fingerprints.
/// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari", Android also says "Linux".
/// </summary>
public static class DeviceNames
{
    private static readonly (string Token, string Name)[] s_browsers =
    [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ];

    private static readonly (string Token, string Name)[] s_platforms =
    [
        ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"), ("CrOS", "ChromeOS"),
        ("Macintosh", "macOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"),
    ];

    public static string FromUserAgent(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
            return "Unknown device";
        var browser = First(s_browsers, userAgent);
        var platform = First(s_platforms, userAgent);
        return (browser, platform) switch
        {
            (null, null) => "Unknown device",
            ({ } b, null) => b,
            (null, { } p) => p,
            ({ } b, { } p) => $"{b} on {p}",
        };
    }

    private static string? First((string Token, string Name)[] table, string userAgent)
    {
        foreach (var (token, name) in table)
        {
            if (userAgent.Contains(token, StringComparison.Ordinal))
                return name;
        }
        return null;
    }
}
