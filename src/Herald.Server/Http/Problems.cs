using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Herald.Server.Http;

/// <summary>The one place that turns failures into RFC 9457 problem+json with the spec's stable <c>code</c>.</summary>
public static class Problems
{
    public static IResult Create(int status, string code, string title, string? detail = null, IReadOnlyDictionary<string, string>? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = "about:blank" };
        problem.Extensions["code"] = code;
        if (errors is not null)
            problem.Extensions["errors"] = errors;
        return TypedResults.Problem(problem);
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
