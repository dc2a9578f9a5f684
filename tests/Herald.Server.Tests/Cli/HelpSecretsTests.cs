using System.Text.RegularExpressions;
using Herald.Server.Tests.Infrastructure;
using Xunit;

namespace Herald.Server.Tests.Cli;

/// <summary>
/// The API key and operator token taken from the environment never appear in help or errors: a screen share or a CI log
/// would show them. Help says the variable is set, not what it holds.
/// </summary>
public sealed class HelpSecretsTests
{
    private const string ApiKey = "hk_helpsecret_a1b2c3d4e5";
    private const string OperatorToken = "hop_helpsecret_f6g7h8i9";

    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["HERALD_API_KEY"] = ApiKey,
        ["HERALD_OPERATOR_TOKEN"] = OperatorToken,
    };

    [Fact]
    public async Task No_command_s_help_shows_the_secrets_from_the_environment()
    {
        // Walk the whole command tree from the root's help, so a command added later is covered too.
        var pending = new Queue<string[]>([[]]);
        var seen = 0;
        while (pending.TryDequeue(out var path))
        {
            var help = await HeraldCli.Run(Secrets, [.. path, "--help"]);
            Assert.Equal(0, help.ExitCode);
            var text = help.Stdout + help.Stderr;
            Assert.DoesNotContain(ApiKey, text);
            Assert.DoesNotContain(OperatorToken, text);
            Assert.Contains("[env: HERALD_API_KEY, which is set]", text);
            Assert.Contains("[env: HERALD_OPERATOR_TOKEN, which is set]", text);
            seen++;
            foreach (var name in Subcommands(help.Stdout))
                pending.Enqueue([.. path, name]);
        }
        Assert.True(seen >= 20, $"walked only {seen} commands' help");
    }

    [Fact]
    public async Task The_environment_still_supplies_the_credential_and_errors_do_not_echo_it()
    {
        // Nothing listens on port 1: the command fails after using the key, and its error names no secret.
        var refused = await HeraldCli.Run(Secrets, "status", "msg_x", "--url", "http://127.0.0.1:1");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.DoesNotContain("pass --api-key", refused.Stderr); // the variable was used
        Assert.DoesNotContain(ApiKey, refused.Stdout + refused.Stderr);

        var missing = await HeraldCli.Run(null, "status", "msg_x", "--url", "http://127.0.0.1:1");
        Assert.Contains("pass --api-key or set HERALD_API_KEY", missing.Stderr);
    }

    private static IEnumerable<string> Subcommands(string help)
    {
        var section = help.Split("Commands:", 2);
        if (section.Length < 2)
            yield break;
        foreach (var line in section[1].Split('\n'))
        {
            var match = Regex.Match(line, @"^  ([a-z][a-z-]*)\b");
            if (match.Success)
                yield return match.Groups[1].Value;
        }
    }
}
