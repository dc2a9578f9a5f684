namespace Herald.Server.OpenApi;

/// <summary>Who may call an operation: the credential it takes as <c>Authorization: Bearer …</c>.</summary>
public enum Caller
{
    Anyone,
    Business,
    Operator,
    Device,
}

/// <summary>One documented endpoint. <see cref="Path"/> is the route pattern exactly as mapped.</summary>
/// <param name="Errors">the stable error codes it can answer with (problem+json)</param>
/// <param name="Query">query parameters: name, schema type, description</param>
public sealed record ApiOperation(
    string Method, string Path, string Id, Caller Caller, string Summary, Type? Request, int Status, Type? Response,
    string[] Errors, (string Name, string Type, string Description)[]? Query = null, string? Description = null)
{
    public string Tag => Caller switch
    {
        Caller.Business => "Business API",
        Caller.Operator => "Operator API",
        Caller.Device => "Consumer API",
        _ => Path.StartsWith("/consumer/", StringComparison.Ordinal) ? "Consumer API" : "Server",
    };
}
