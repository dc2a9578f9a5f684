namespace Herald.Server.Http;

/// <summary>
/// Rules for every HTTP call Herald makes to the outside (callbacks, the sign-in code hook). The answer that matters
/// is the status code, so only the status line and headers are read; the body is never buffered. A receiver that
/// answers 200 and streams gigabytes once grew a node by 2 GB for one POST.
/// </summary>
internal static class OutboundHttp
{
    /// <summary>
    /// Body bytes read after the headers, only so the connection can be reused; an answer with more loses its
    /// connection instead. 4 KB covers the short "ok" or JSON bodies receivers answer with.
    /// </summary>
    public const int MaxDrainBytes = 4 * 1024;

    /// <summary>Applies the rules to a handler: bounded headers, bounded drain.</summary>
    public static SocketsHttpHandler BoundAnswers(this SocketsHttpHandler handler)
    {
        handler.MaxResponseDrainSize = MaxDrainBytes;
        handler.ResponseDrainTimeout = TimeSpan.FromSeconds(1); // a receiver trickling its body keeps no connection open
        handler.MaxResponseHeadersLength = 16; // KiB, of headers that are never used beyond the status line
        return handler;
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns its status code as soon as the headers have arrived. The body is
    /// left unread: disposing the answer drains at most <see cref="MaxDrainBytes"/> and then drops the connection.
    /// </summary>
    public static async Task<System.Net.HttpStatusCode> StatusOf(this HttpClient client, HttpRequestMessage request, CancellationToken cancel)
    {
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        return response.StatusCode;
    }
}
