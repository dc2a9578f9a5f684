using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Herald.Client.Http;

/// <summary>
/// One request with Herald's rules: bearer auth, JSON both ways, problem+json turned into
/// <see cref="HeraldApiException"/>, and bounded retries on 429, 5xx and failed connections that honour Retry-After.
/// The waits are bounded twice: by <see cref="HeraldClientOptions.MaxRetries"/> and by
/// <see cref="HeraldClientOptions.MaxRetryDelay"/> per wait.
/// </summary>
internal sealed class ApiTransport
{
    private readonly HttpClient _http;
    private readonly HeraldClientOptions _options;

    public ApiTransport(HttpClient http, HeraldClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        // Paths are relative ("v1/messages"), so a server under a path prefix needs the base to end in '/'.
        var text = options.BaseAddress.ToString();
        var baseAddress = text.EndsWith('/') ? options.BaseAddress : new Uri(text + "/");
        if (http.BaseAddress != baseAddress) // an HttpClient refuses a new base once it has sent requests
            http.BaseAddress = baseAddress;
        _http = http;
        _options = options;
    }

    public HttpClient Http => _http;

    public async Task<T> Send<T>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<T> answer, CancellationToken cancel,
        string? idempotencyKey = null)
    {
        using var response = await SendRaw(method, path, body, cancel, idempotencyKey);
        return await response.Content.ReadFromJsonAsync(answer, cancel)
            ?? throw new HeraldApiException(response.StatusCode, "invalid_answer", "The server's answer was empty.");
    }

    public async Task SendNoAnswer(HttpMethod method, string path, HttpContent? body, CancellationToken cancel)
    {
        using var response = await SendRaw(method, path, body, cancel);
    }

    /// <summary>
    /// Sends a body as it is read (a file upload), once: a stream cannot be replayed, so there are no retries; an
    /// error answer still becomes a <see cref="HeraldApiException"/>.
    /// </summary>
    public async Task<T> SendStreamed<T>(HttpMethod method, string path, HttpContent body, JsonTypeInfo<T> answer, CancellationToken cancel)
    {
        using var request = Request(method, path, null);
        request.Content = body;
        using var response = await SendOnce(request, HttpCompletionOption.ResponseContentRead, cancel);
        return await response.Content.ReadFromJsonAsync(answer, cancel)
            ?? throw new HeraldApiException(response.StatusCode, "invalid_answer", "The server's answer was empty.");
    }

    /// <summary>Copies a GET's answer body to <paramref name="destination"/> as it arrives (an export), once.</summary>
    public async Task Download(string path, Stream destination, CancellationToken cancel)
    {
        using var request = Request(HttpMethod.Get, path, null);
        using var response = await SendOnce(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        await response.Content.CopyToAsync(destination, cancel);
    }

    private async Task<HttpResponseMessage> SendOnce(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancel)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancel);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancel.IsCancellationRequested))
        {
            throw Unreachable(ex);
        }
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
            throw await ToException(response, RetryAfter(response), cancel);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (_options.Credential.Length > 0)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Credential);
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    private HeraldApiException Unreachable(Exception ex) =>
        new(null, "unreachable", $"Herald at {_http.BaseAddress} did not answer.", ex.Message, inner: ex);

    public static JsonContent Json<T>(T value, JsonTypeInfo<T> type) => JsonContent.Create(value, type);

    /// <summary>Sends until an answer is final; returns a success, throws for anything else.</summary>
    private async Task<HttpResponseMessage> SendRaw(HttpMethod method, string path, HttpContent? body, CancellationToken cancel, string? idempotencyKey = null)
    {
        // The body is buffered once so every retry sends the same bytes.
        var bytes = body is null ? null : await body.ReadAsByteArrayAsync(cancel);
        var contentType = body?.Headers.ContentType;
        // A POST that failed on the server's side (5xx, or no answer) may have happened: only one carrying an
        // Idempotency-Key is safe to send again. A 429 means it did not happen, so any request can retry that.
        var repeatable = (method != HttpMethod.Post && method != HttpMethod.Patch) || idempotencyKey is not null;
        for (var attempt = 0; ; attempt++)
        {
            using var request = Request(method, path, idempotencyKey);
            if (bytes is not null)
            {
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.ContentType = contentType;
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancel);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancel.IsCancellationRequested))
            {
                if (repeatable && attempt < _options.MaxRetries)
                {
                    await Task.Delay(Backoff(attempt), _options.TimeProvider, cancel);
                    continue;
                }
                throw Unreachable(ex);
            }

            if (response.IsSuccessStatusCode)
                return response;
            var retryAfter = RetryAfter(response);
            var retriable = response.StatusCode == HttpStatusCode.TooManyRequests || (repeatable && (int)response.StatusCode >= 500);
            var wait = retryAfter ?? Backoff(attempt);
            if (retriable && attempt < _options.MaxRetries && wait <= _options.MaxRetryDelay)
            {
                response.Dispose();
                await Task.Delay(wait, _options.TimeProvider, cancel);
                continue;
            }
            using (response)
                throw await ToException(response, retryAfter, cancel);
        }
    }

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Math.Min(_options.InitialRetryDelay.Ticks * (1L << Math.Min(attempt, 20)), _options.MaxRetryDelay.Ticks));

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
            return null;
        if (header.Delta is { } delta)
            return delta;
        return header.Date is { } date ? Max(date - _options.TimeProvider.GetUtcNow(), TimeSpan.Zero) : null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static async Task<HeraldApiException> ToException(HttpResponseMessage response, TimeSpan? retryAfter, CancellationToken cancel)
    {
        Problem? problem = null;
        var text = await response.Content.ReadAsStringAsync(cancel);
        try
        {
            problem = text.Length > 0 ? JsonSerializer.Deserialize(text, ClientJson.Default.Problem) : null;
        }
        catch (JsonException)
        {
        }
        var status = (int)response.StatusCode;
        return new HeraldApiException(response.StatusCode,
            problem?.Code ?? (status == 404 ? "not_found" : status >= 500 ? "server_error" : "http_" + status.ToString(CultureInfo.InvariantCulture)),
            problem?.Title ?? response.ReasonPhrase ?? "The request failed.",
            problem?.Detail, problem?.Errors, retryAfter);
    }
}
