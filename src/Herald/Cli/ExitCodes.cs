namespace Herald.Cli;

/// <summary>What <c>herald</c> returns; scripts can tell a refusal from an outage (docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Herald refused the request (4xx), or some messages of a batch were refused.</summary>
    public const int Refused = 1;
    /// <summary>The command line is wrong: unknown flags, missing credentials, an unreadable file.</summary>
    public const int Usage = 2;
    /// <summary>Herald could not be reached, or failed (5xx).</summary>
    public const int Unavailable = 3;
}

/// <summary>A mistake on the command line, reported without a stack trace.</summary>
internal sealed class UsageException(string message) : Exception(message);
