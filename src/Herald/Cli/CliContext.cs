using System.CommandLine;
using Herald.Client;
using Spectre.Console;

namespace Herald.Cli;

/// <summary>One command's view of the command line: the server, the credentials, and where output goes.</summary>
internal sealed class CliContext(ParseResult parsed) : IDisposable
{
    private readonly List<IDisposable> _clients = [];

    public ParseResult Parsed => parsed;
    public bool Json => parsed.GetValue(GlobalOptions.Json);
    public Output Out { get; } = new(parsed.GetValue(GlobalOptions.Json));

    public Uri Url
    {
        get
        {
            var text = parsed.GetValue(GlobalOptions.Url)!;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                throw new UsageException($"--url must be an http:// or https:// address, not '{text}'.");
            return url;
        }
    }

    public HeraldClient Business()
    {
        var key = GlobalOptions.Secret(parsed, GlobalOptions.ApiKey, GlobalOptions.ApiKeyVariable);
        if (string.IsNullOrWhiteSpace(key))
            throw new UsageException("This is a business command: pass --api-key or set HERALD_API_KEY.");
        return Keep(new HeraldClient(new HeraldClientOptions { BaseAddress = Url, Credential = key }));
    }

    public HeraldOperatorClient Operator()
    {
        var token = GlobalOptions.Secret(parsed, GlobalOptions.OperatorToken, GlobalOptions.OperatorTokenVariable);
        if (string.IsNullOrWhiteSpace(token))
            throw new UsageException("This is an operator command: pass --operator-token or set HERALD_OPERATOR_TOKEN.");
        return Keep(new HeraldOperatorClient(new HeraldClientOptions { BaseAddress = Url, Credential = token }));
    }

    public bool HasOperatorToken => !string.IsNullOrWhiteSpace(GlobalOptions.Secret(parsed, GlobalOptions.OperatorToken, GlobalOptions.OperatorTokenVariable));

    private T Keep<T>(T client) where T : IDisposable
    {
        _clients.Add(client);
        return client;
    }

    public void Dispose()
    {
        foreach (var client in _clients)
            client.Dispose();
    }
}

internal static class CommandExtensions
{
    /// <summary>Runs a command with the CLI's error handling: API refusals, outages and usage mistakes become one line and an exit code.</summary>
    public static void Run(this Command command, Func<CliContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parsed, cancel) =>
        {
            using var context = new CliContext(parsed);
            try
            {
                return await action(context, cancel);
            }
            catch (UsageException ex)
            {
                context.Out.Error(ex.Message);
                return ExitCodes.Usage;
            }
            catch (HeraldApiException ex)
            {
                context.Out.Problem(ex);
                return ex.Status is null || (int)ex.Status >= 500 ? ExitCodes.Unavailable : ExitCodes.Refused;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return ExitCodes.Ok; // Ctrl+C on a command that follows (tail, status --watch)
            }
        });
}
