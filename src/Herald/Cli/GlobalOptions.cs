using System.CommandLine;

namespace Herald.Cli;

/// <summary>Where the server is and who is calling: flags first, then environment variables.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string> Url = new("--url")
    {
        Description = "Herald's address [env: HERALD_URL]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HERALD_URL") is { Length: > 0 } url ? url : "http://localhost:8080",
        Recursive = true,
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "A business's API key, for business commands [env: HERALD_API_KEY]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HERALD_API_KEY"),
        Recursive = true,
    };

    public static readonly Option<string?> OperatorToken = new("--operator-token")
    {
        Description = "The operator token, for operator commands [env: HERALD_OPERATOR_TOKEN]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HERALD_OPERATOR_TOKEN"),
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON (snake_case, as the API speaks) instead of tables",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(OperatorToken);
        root.Options.Add(Json);
    }
}
