using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>The web apps' text files go compressed to a client that takes it, revalidate with a 304, and stay plain for one that does not.</summary>
public sealed class WebAppsCompressionTests
{
    [Theory]
    [InlineData("/app/js/app.js", "br")]
    [InlineData("/app/styles/base.css", "gzip")]
    [InlineData("/app/", "br")] // the default file
    [InlineData("/app/settings", "br")] // an app route answered with index.html
    [InlineData("/console/", "gzip")]
    public async Task A_text_file_is_sent_compressed_with_a_strong_etag_and_decodes_to_the_plain_file(string path, string encoding)
    {
        await using var host = await HeraldHost.Start();
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = host.BaseAddress };
        var plain = await http.GetByteArrayAsync(path);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd($"{encoding}, identity;q=0.5");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(body.Length < plain.Length, $"{body.Length} bytes compressed of {plain.Length}");
        Assert.Equal(plain, Decode(body, encoding));
        var etag = response.Headers.ETag!;
        Assert.False(etag.IsWeak);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.AcceptEncoding.ParseAdd(encoding);
        again.Headers.IfNoneMatch.Add(etag);
        using var revalidated = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task Without_accept_encoding_or_with_q_0_the_file_is_plain_and_a_missing_file_is_still_a_404()
    {
        await using var host = await HeraldHost.Start();
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = host.BaseAddress };
        using var plain = await http.GetAsync("/app/js/app.js");
        Assert.Empty(plain.Content.Headers.ContentEncoding);

        using var refused = new HttpRequestMessage(HttpMethod.Get, "/app/js/app.js");
        refused.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br", 0));
        using var refusedResponse = await http.SendAsync(refused);
        Assert.Empty(refusedResponse.Content.Headers.ContentEncoding);

        using var missing = new HttpRequestMessage(HttpMethod.Get, "/app/js/nothing-here.js");
        missing.Headers.AcceptEncoding.ParseAdd("br");
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(missing)).StatusCode);
    }

    private static byte[] Decode(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
