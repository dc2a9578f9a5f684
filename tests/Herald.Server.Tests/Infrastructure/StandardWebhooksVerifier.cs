using System.Diagnostics;
using System.Text.Json;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// Checks a received callback with the Standard Webhooks reference library (npm <c>standardwebhooks</c>, pinned in
/// tools/webhook-verify), run by node: an implementation Herald's code had no hand in. Its timestamp tolerance is the
/// library's own (five minutes against the real clock).
/// </summary>
public static class StandardWebhooksVerifier
{
    private static readonly SemaphoreSlim s_install = new(1, 1);

    /// <returns>node's exit code (0: verified) and what it printed</returns>
    public static async Task<(int ExitCode, string Output)> Verify(ReceivedPost post, string secret, byte[]? body = null)
    {
        var tool = await Installed();
        var input = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["secret"] = secret, ["id"] = post.WebhookId, ["timestamp"] = post.Timestamp, ["signature"] = post.Signature,
            ["body_base64"] = Convert.ToBase64String(body ?? post.Body),
        });
        return await Run("node", "verify.js", tool, input);
    }

    /// <summary>tools/webhook-verify with its node_modules: test.sh runs npm ci; a filtered dotnet test run may not have.</summary>
    private static async Task<string> Installed()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Herald.slnx")))
            root = root.Parent;
        var tool = Path.Combine(root!.FullName, "tools", "webhook-verify");
        await s_install.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(tool, "node_modules", "standardwebhooks")))
            {
                var (code, output) = await Run("npm", "ci --no-audit --no-fund", tool, null);
                if (code != 0)
                    throw new InvalidOperationException($"npm ci in {tool} failed: {output}");
            }
            return tool;
        }
        finally
        {
            s_install.Release();
        }
    }

    private static async Task<(int, string)> Run(string program, string arguments, string directory, string? input)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
            await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }
}
