using System.Net;

namespace Herald.Client;

/// <summary>
/// A request Herald refused or could not answer. <see cref="Code"/> is the API's stable error code
/// (<c>invalid_request</c>, <c>unauthorized</c>, <c>ip_not_allowed</c>, <c>rate_limited</c>, <c>not_found</c> …);
/// transport failures have the code <c>unreachable</c> and no status.
/// </summary>
public sealed class HeraldApiException : Exception
{
    /// <summary>Creates an exception from a problem answer.</summary>
    public HeraldApiException(HttpStatusCode? status, string code, string title, string? detail = null,
        IReadOnlyDictionary<string, string>? errors = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(Describe(status, code, title, detail, errors), inner)
    {
        Status = status;
        Code = code;
        Title = title;
        Detail = detail;
        Errors = errors ?? new Dictionary<string, string>();
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status, or null when no answer came.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>The stable error code.</summary>
    public string Code { get; }

    /// <summary>A short human summary.</summary>
    public string Title { get; }

    /// <summary>What to do about it, when the server said.</summary>
    public string? Detail { get; }

    /// <summary>For <c>invalid_request</c>: what is wrong with which field.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; }

    /// <summary>For <c>429</c> and some <c>503</c> answers: how long the server asked the caller to wait.</summary>
    public TimeSpan? RetryAfter { get; }

    private static string Describe(HttpStatusCode? status, string code, string title, string? detail, IReadOnlyDictionary<string, string>? errors)
    {
        var text = status is null ? $"{code}: {title}" : $"{(int)status} {code}: {title}";
        if (!string.IsNullOrEmpty(detail))
            text += " " + detail;
        if (errors is { Count: > 0 })
            text += " (" + string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")) + ")";
        return text;
    }
}
