using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own, for tests that stop and start the database: the shared one
/// (scripts/test-services.sh) serves every other test and must stay up. initdb into a temp directory, loopback and a
/// Unix socket in that directory only, owned by the postgres user when the tests run as root (PostgreSQL refuses root).
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;

    private ThrowawayPostgres(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Timeout=3";

    public static async Task<ThrowawayPostgres> Start()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is missing: test.sh installs the Debian package 'postgresql'.");
        var directory = Path.Combine(Path.GetTempPath(), "herald-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (IsRoot)
            await Run("chown", "postgres:", directory);
        var postgres = new ThrowawayPostgres(bin, directory, FreePort());
        await postgres.AsOwner("initdb", "-D", postgres.DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8");
        await postgres.StartServer();
        return postgres;
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    public Task StartServer() => AsOwner("pg_ctl", "-s", "-w", "-D", DataDirectory, "-l", Path.Combine(_directory, "log"),
        "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    /// <summary>A fast shutdown, as an operator restarting PostgreSQL does: open connections are closed.</summary>
    public Task StopServer() => AsOwner("pg_ctl", "-s", "-w", "-D", DataDirectory, "-m", "fast", "stop");

    private static bool IsRoot => Environment.UserName == "root";

    private Task AsOwner(string tool, params string[] args) =>
        IsRoot ? Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]) : Run(Path.Combine(_bin, tool), args);

    private static async Task Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await errors}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try { await AsOwner("pg_ctl", "-s", "-w", "-D", DataDirectory, "-m", "immediate", "stop"); }
        catch (InvalidOperationException) { } // already stopped
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
