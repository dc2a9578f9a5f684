using System.Globalization;
using Microsoft.Playwright;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// The businesses' own web sites (any https host under <c>.example</c>) as the browser sees them: logos and pictures
/// drawn as SVG, and a plain page for every other path. The machine has no internet; this keeps images real.
/// </summary>
public static class TestSites
{
    public static Task Serve(IBrowserContext context) =>
        context.RouteAsync(url => new Uri(url).Host.EndsWith(".example", StringComparison.Ordinal), Fulfil);

    private static Task Fulfil(IRoute route)
    {
        var url = new Uri(route.Request.Url);
        var hue = url.Host.Aggregate(0, (hash, c) => (hash * 31 + c) % 360);
        if (url.AbsolutePath.StartsWith("/logo", StringComparison.Ordinal))
            return Svg(route, Logo(url.Host, hue));
        if (url.AbsolutePath.StartsWith("/images/", StringComparison.Ordinal))
            return Svg(route, Picture(hue));
        return route.FulfillAsync(new()
        {
            ContentType = "text/html; charset=utf-8",
            Body = $"<!doctype html><title>{url.Host}</title><h1>{url.Host}</h1><p>{url.AbsolutePath}</p>",
        });
    }

    private static Task Svg(IRoute route, string svg) => route.FulfillAsync(new() { ContentType = "image/svg+xml", Body = svg });

    private static string Logo(string host, int hue)
    {
        var letter = char.ToUpperInvariant(host[0]);
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">
              <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
                <stop offset="0" stop-color="hsl({hue},75%,58%)"/><stop offset="1" stop-color="hsl({(hue + 40) % 360},70%,42%)"/>
              </linearGradient></defs>
              <rect width="96" height="96" fill="url(#g)"/>
              <circle cx="48" cy="48" r="30" fill="none" stroke="#fff" stroke-opacity=".35" stroke-width="6"/>
              <text x="48" y="62" font-family="sans-serif" font-size="40" font-weight="700" fill="#fff" text-anchor="middle">{letter}</text>
            </svg>
            """);
    }

    private static string Picture(int hue) => string.Create(CultureInfo.InvariantCulture, $"""
        <svg xmlns="http://www.w3.org/2000/svg" width="640" height="320" viewBox="0 0 640 320">
          <defs><linearGradient id="sky" x1="0" y1="0" x2="1" y2="1">
            <stop offset="0" stop-color="hsl({hue},80%,70%)"/><stop offset="1" stop-color="hsl({(hue + 60) % 360},75%,55%)"/>
          </linearGradient></defs>
          <rect width="640" height="320" fill="url(#sky)"/>
          <circle cx="500" cy="90" r="50" fill="#fff" fill-opacity=".55"/>
          <path d="M0 250 C120 190 220 290 340 230 S560 200 640 240 V320 H0z" fill="#fff" fill-opacity=".35"/>
          <text x="40" y="150" font-family="sans-serif" font-size="54" font-weight="800" fill="#fff">Spring sale</text>
          <text x="42" y="200" font-family="sans-serif" font-size="28" fill="#fff">20% off everything this week</text>
        </svg>
        """);
}
