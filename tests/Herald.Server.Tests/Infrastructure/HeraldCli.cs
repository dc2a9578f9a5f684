using System.Diagnostics;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>Runs the real <c>herald</c> program as a command, as a person or a script would.</summary>
public static class HeraldCli
{
    public static async Task<CliResult> Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(Start(environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a command that keeps running (<c>webhook tail --follow</c>); the caller reads and kills it.</summary>
    public static Process Launch(IReadOnlyDictionary<string, string>? environment, params string[] args) => Process.Start(Start(environment, args))!;

    private static ProcessStartInfo Start(IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(HeraldProcess.HeraldDll());
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Only what the test gives: a developer's own HERALD_* settings must not leak into the command.
        foreach (var name in new[] { "HERALD_URL", "HERALD_API_KEY", "HERALD_OPERATOR_TOKEN" })
            start.Environment.Remove(name);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        return start;
    }
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Stdout).RootElement;
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}
