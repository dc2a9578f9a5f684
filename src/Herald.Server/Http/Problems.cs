using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Herald.Server.Http;

/// <summary>
/// The one place that turns failures into RFC 9457 problem+json with the spec's stable <c>code</c>, and whose
/// <c>type</c> is always <see cref="TypeOf"/> that code: Herald's own problems, the framework's (404, 405, 500 from the
/// status code pages and the exception handler, through <see cref="Customize"/>) and the database's 503s alike.
/// </summary>
public static class Problems
{
    /// <summary>
    /// A problem type per code: an identifier, not a link. <c>.invalid</c> is reserved (RFC 6761) and never resolves,
    /// so no installation points clients at a page it does not control; docs/api.md says what each code means.
    /// </summary>
    public const string TypeBase = "https://herald.invalid/problems/";

    public static string TypeOf(string code) => TypeBase + code;

    public static IResult Create(int status, string code, string title, string? detail = null, IReadOnlyDictionary<string, string>? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeOf(code) };
        problem.Extensions["code"] = code;
        if (errors is not null)
            problem.Extensions["errors"] = errors;
        return TypedResults.Problem(problem);
    }

    /// <summary>
    /// Problems the framework writes (status code pages, the exception handler) get a <c>code</c> from their status,
    /// and every problem its <c>type</c> from its code.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions.TryAdd("code", problem.Status switch
        {
            404 => "not_found",
            405 => "method_not_allowed",
            413 => "payload_too_large",
            415 => "unsupported_media_type",
            >= 500 => "internal_error",
            _ => "invalid_request",
        });
        problem.Type = TypeOf((string)problem.Extensions["code"]!);
    }

    public static IResult From(ApiError error) => Create(error.Status, error.Code, error.Title, error.Detail, error.Errors);

    public static IResult Invalid(IReadOnlyDictionary<string, string> errors, string? detail = null) =>
        Create(400, "invalid_request", "The request is not valid.", detail, errors);

    public static IResult Invalid(string field, string error) =>
        Invalid(new Dictionary<string, string> { [field] = error });

    public static IResult Unauthorized(string detail) =>
        Create(401, "unauthorized", "Missing or invalid credentials.", detail);

    public static IResult NotFound(string what) =>
        Create(404, "not_found", "Not found.", $"No {what} with that id.");

    public static IResult UnsupportedMediaType() =>
        Create(415, "unsupported_media_type", "The body must be JSON.", "Send Content-Type: application/json.");

    public static IResult TooLarge(long limit) =>
        Create(413, "payload_too_large", "The request body is too large.", $"The limit is {limit} bytes.");
}
