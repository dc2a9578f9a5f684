using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Herald.Server.Hosting;

/// <summary>
/// The web apps' text files (scripts, styles, pages, SVG, the manifest) sent Brotli- or gzip-compressed to browsers
/// that accept it, with a strong ETag from the content so a revalidation costs a 304. Each file is compressed once, at
/// the highest level, the first time it is asked for, and kept: the files are embedded and never change while the
/// process runs. docs/decisions.md says why this is not MapStaticAssets.
/// </summary>
public sealed class CompressedWebFiles(IFileProvider files)
{
    private static readonly HashSet<string> Compressible = new(StringComparer.OrdinalIgnoreCase)
        { ".js", ".css", ".html", ".svg", ".webmanifest", ".json", ".txt" };
    private static readonly FileExtensionContentTypeProvider ContentTypes = CreateContentTypes();
    private readonly ConcurrentDictionary<string, Lazy<Variants>> _cache = new(StringComparer.Ordinal);

    private sealed record Variants(string ContentType, string ETag, byte[] Brotli, byte[] Gzip);

    /// <summary>Answers with the compressed file when the browser takes one and the file is worth it; else false.</summary>
    public async Task<bool> TryServe(HttpContext context, string path)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            return false;
        if (!Compressible.Contains(Path.GetExtension(path)))
            return false;
        var encoding = Preferred(context.Request.Headers.AcceptEncoding);
        if (encoding is null)
            return false;
        var file = files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
            return false;
        var variants = _cache.GetOrAdd(path, _ => new Lazy<Variants>(() => Compress(path, file))).Value;

        var headers = context.Response.Headers;
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.CacheControl = "no-cache"; // see WebApps: always revalidate, the ETag makes that cheap
        headers.XContentTypeOptions = "nosniff";
        var etag = $"\"{variants.ETag}-{encoding}\"";
        headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(tag => tag.Trim() == etag)))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return true;
        }
        var body = encoding == "br" ? variants.Brotli : variants.Gzip;
        context.Response.ContentType = variants.ContentType;
        headers.ContentEncoding = encoding;
        context.Response.ContentLength = body.Length;
        if (HttpMethods.IsGet(context.Request.Method))
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        return true;
    }

    /// <summary>br over gzip when both are accepted; neither when the browser sent q=0 for it.</summary>
    private static string? Preferred(Microsoft.Extensions.Primitives.StringValues acceptEncoding)
    {
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var accepted))
            return null;
        bool Takes(string name) => accepted.Any(a => (a.Value.Equals(name, StringComparison.OrdinalIgnoreCase) || a.Value == "*") && (a.Quality ?? 1) > 0);
        return Takes("br") ? "br" : Takes("gzip") ? "gzip" : null;
    }

    private static Variants Compress(string path, IFileInfo file)
    {
        byte[] original;
        using (var stream = file.CreateReadStream())
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            original = buffer.ToArray();
        }
        var contentType = ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream";
        if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("javascript", StringComparison.Ordinal))
            contentType += "; charset=utf-8";
        var etag = Convert.ToBase64String(SHA256.HashData(original), 0, 12).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new Variants(contentType, etag, Encode(original, s => new BrotliStream(s, CompressionLevel.SmallestSize)),
            Encode(original, s => new GZipStream(s, CompressionLevel.SmallestSize)));
    }

    private static byte[] Encode(byte[] data, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressing = compressor(output))
            compressing.Write(data);
        return output.ToArray();
    }

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".webmanifest"] = "application/manifest+json";
        return provider;
    }
}
