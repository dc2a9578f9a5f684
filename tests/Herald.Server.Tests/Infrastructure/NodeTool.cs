using System.Diagnostics;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>An npm tool pinned under tools/ (package.json + lockfile), installed on first use, and a way to run it.</summary>
public static class NodeTool
{
    private static readonly SemaphoreSlim s_install = new(1, 1);

    /// <summary>tools/<paramref name="name"/> with its node_modules: test.sh runs npm ci; a filtered dotnet test run may not have.</summary>
    /// <param name="package">a package of its lockfile, whose folder in node_modules says it is installed</param>
    public static async Task<string> Installed(string name, string package)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Herald.slnx")))
            root = root.Parent;
        var tool = Path.Combine(root!.FullName, "tools", name);
        await s_install.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(tool, "node_modules", package)))
            {
                var (code, output) = await Run("npm", "ci --no-audit --no-fund", tool, timeout: TimeSpan.FromMinutes(5));
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

    /// <returns>the exit code and what it printed (stdout, then stderr)</returns>
    public static async Task<(int ExitCode, string Output)> Run(string program, string arguments, string directory, string? input = null, TimeSpan? timeout = null)
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
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }
}
