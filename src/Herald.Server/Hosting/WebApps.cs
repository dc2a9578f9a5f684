using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Herald.Server.Hosting;

/// <summary>
/// Serves the web apps that ship with Herald (the Messenger at /app, the Console at /console) from files embedded in
/// this assembly. They are plain static pages speaking only the public APIs; each app's index.html answers its own
/// paths, so deep links survive a reload. Text files go compressed to browsers that take it (CompressedWebFiles).
/// </summary>
public static class WebApps
{
    private static readonly IFileProvider Files = new ManifestEmbeddedFileProvider(typeof(WebApps).Assembly, "wwwroot");

    public static void UseWebApps(this WebApplication app)
    {
        var compressed = new CompressedWebFiles(Files);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = Files });
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (!(path.StartsWith("/app/", StringComparison.Ordinal) || path.StartsWith("/console/", StringComparison.Ordinal))
                || !await compressed.TryServe(context, path.TrimStart('/')))
                await next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
            OnPrepareResponse = context =>
            {
                // Pages change with each release and are small: always revalidate rather than serve a stale app.
                context.Context.Response.Headers.CacheControl = "no-cache";
                context.Context.Response.Headers.XContentTypeOptions = "nosniff";
            },
        });
        foreach (var name in new[] { "app", "console" })
        {
            var index = Files.GetFileInfo($"{name}/index.html");
            // Only paths without a file extension are the app's own routes: a fallback endpoint would otherwise win
            // over the static files (endpoints are matched before UseStaticFiles runs) and answer every script with
            // the page.
            if (index.Exists)
                app.MapFallback($"/{name}/{{*path:nonfile}}", async context =>
                {
                    if (await compressed.TryServe(context, $"{name}/index.html"))
                        return;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    context.Response.Headers.CacheControl = "no-cache";
                    await using var stream = index.CreateReadStream();
                    await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
                });
        }
    }
}
