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

    public const string ApiKeyVariable = "HERALD_API_KEY";
    public const string OperatorTokenVariable = "HERALD_OPERATOR_TOKEN";

    // Secrets get no DefaultValueFactory: help prints a default's value, and a screen share or a CI log would show the
    // key. CliContext falls back to the variable; help only says whether it is set.
    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = $"A business's API key, for business commands {SecretVariable(ApiKeyVariable)}",
        Recursive = true,
    };

    public static readonly Option<string?> OperatorToken = new("--operator-token")
    {
        Description = $"The operator token, for operator commands {SecretVariable(OperatorTokenVariable)}",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON (snake_case, as the API speaks) instead of tables",
        Recursive = true,
    };

    /// <summary>The flag's value, or else the environment variable's: never shown anywhere.</summary>
    public static string? Secret(ParseResult parsed, Option<string?> option, string variable) =>
        parsed.GetValue(option) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(variable);

    private static string SecretVariable(string variable) =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)) ? $"[env: {variable}]" : $"[env: {variable}, which is set]";

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(OperatorToken);
        root.Options.Add(Json);
    }
}
