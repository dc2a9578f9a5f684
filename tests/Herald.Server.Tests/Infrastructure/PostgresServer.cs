using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the test's own: a fresh cluster (initdb in a temporary directory, its own port on
/// loopback), so a fault test can restart, stop and freeze it without touching the server the rest of the suite
/// shares. As root the cluster belongs to the postgres user, as PostgreSQL insists.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _bin;

    private PostgresServer(string directory, string bin, int port)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";
    private string Data => Path.Combine(_directory, "data");

    public static async Task<PostgresServer> Start()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderBy(b => b, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (test.sh installs it).");
        var directory = Path.Combine(Path.GetTempPath(), "herald-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (IsRoot)
            await Run("chown", "postgres:", directory);
        var server = new PostgresServer(directory, bin, FreePort());
        await server.AsOwner("initdb", "-D", server.Data, "-A", "trust", "-U", "postgres", "-E", "UTF8");
        await server.PgCtl("start");
        return server;
    }

    /// <summary><c>pg_ctl restart -m fast</c>: every connection is cut, as an operator's restart does.</summary>
    public Task Restart() => PgCtl("restart", "-m", "fast");

    public Task Stop() => PgCtl("stop", "-m", "fast");

    public Task StartAgain() => PgCtl("start");

    /// <summary>SIGSTOP to the server and every backend: connections stay open and nothing answers (a hung host).</summary>
    public void Freeze() => Signal("STOP");

    public void Thaw() => Signal("CONT");

    private void Signal(string signal)
    {
        var pids = Processes();
        foreach (var pid in pids)
            Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
    }

    /// <summary>The postmaster (first line of postmaster.pid) and its children, read from /proc.</summary>
    private List<int> Processes()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(Data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var pids = new List<int> { postmaster };
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == postmaster)
                    pids.Add(pid);
            }
            catch (IOException)
            {
            }
        }
        return pids;
    }

    private Task PgCtl(params string[] args) =>
        AsOwner("pg_ctl", [.. args, "-s", "-w", "-D", Data, "-l", Path.Combine(_directory, "log"),
            "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on"]);

    private Task AsOwner(string tool, params string[] args) =>
        IsRoot ? Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]) : Run(Path.Combine(_bin, tool), args);

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Thaw();
            await PgCtl("stop", "-m", "immediate");
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
        }
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
