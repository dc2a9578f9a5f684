using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.Http;

/// <summary>
/// Every request the framework itself refuses (a query or route parameter that does not parse, a missing required
/// one) answers as Herald's own checks do: 400 <c>invalid_request</c> with <c>errors.&lt;parameter&gt;</c>. Minimal APIs
/// either answer such requests with a bare 400 or, with <see cref="Microsoft.AspNetCore.Routing.RouteHandlerOptions.ThrowOnBadRequest"/>
/// (the default in Development, where it became a 500), throw <see cref="BadHttpRequestException"/>; Herald sets it in
/// every mode and answers here, so there is one behaviour and one place.
/// </summary>
public sealed partial class BadRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancel)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted)
            return false;
        await Answer(bad).ExecuteAsync(context);
        return true;
    }

    private static IResult Answer(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return Problems.UnsupportedMediaType();
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            return Problems.Create(413, "payload_too_large", "The request body is too large.");
        // The framework's messages name the parameter as declared in C# ("Failed to bind parameter \"int? limit\" from
        // \"abc\"."); the API names its parameters in snake_case.
        var match = ParameterPattern().Match(bad.Message);
        if (!match.Success)
            return Problems.Create(400, "invalid_request", "The request is not valid.", bad.Message);
        var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(match.Groups["name"].Value);
        var error = bad.Message.StartsWith("Required", StringComparison.Ordinal) ? "required" : Expected(match.Groups["type"].Value);
        return Problems.Invalid(name, error);
    }

    private static string Expected(string type) => type.TrimEnd('?') switch
    {
        "int" or "long" or "short" or "uint" or "ulong" => "must be a whole number in range",
        "bool" => "must be true or false",
        "DateTimeOffset" or "DateTime" => "must be an ISO 8601 time",
        _ => "has the wrong format",
    };

    [GeneratedRegex("parameter \"(?<type>[^\"]+) (?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterPattern();
}
