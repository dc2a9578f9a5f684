namespace Herald.Server.Http;

/// <summary>
/// A failure with the spec's stable <c>code</c>. It becomes a problem+json answer (<see cref="Problems.From"/>) or,
/// inside a batch, one item's <c>error</c>.
/// </summary>
public sealed record ApiError(int Status, string Code, string Title, string? Detail = null, IReadOnlyDictionary<string, string>? Errors = null)
{
    public static ApiError Invalid(IReadOnlyDictionary<string, string> errors) => new(400, "invalid_request", "The request is not valid.", null, errors);
    public static ApiError Invalid(string field, string error) => Invalid(new Dictionary<string, string> { [field] = error });
}
