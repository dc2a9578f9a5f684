using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Npgsql;

namespace Herald.Bench;

/// <summary>
/// What the database costs per message on <c>--store postgres</c>: the CPU of the PostgreSQL server's processes (the
/// postmaster and its children: backends, WAL writer, checkpointer…, utime + stime from /proc) and the round trips
/// the nodes made to it (Npgsql's <c>db.client.operation.duration</c> count from each node's /metrics: one per command
/// or batch sent and answered), and the WAL written (pg_current_wal_lsn). Read before and after the measured window; the difference is the window's.
/// The server is the local one scripts/test-services.sh starts; it is shared, so what else runs on it counts too.
/// </summary>
public sealed partial class PostgresMeter(int postmaster, IReadOnlyList<Uri> nodes)
{
    public static async Task<PostgresMeter?> For(Deployment deployment, IReadOnlyList<Uri> nodes)
    {
        if (deployment.Store != "postgres")
            return null;
        var admin = Environment.GetEnvironmentVariable("HERALD_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("HERALD_TEST_POSTGRES")!;
        await using var db = new NpgsqlConnection(admin);
        await db.OpenAsync();
        var dataDirectory = (string)(await new NpgsqlCommand("SHOW data_directory", db).ExecuteScalarAsync())!;
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            Console.Error.WriteLine($"[postgres] {pidFile} is not on this machine: its CPU is not measured");
            return null;
        }
        return new PostgresMeter(int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture), nodes);
    }

    public async Task<(double CpuSeconds, double RoundTrips, double WalBytes)> Read() => (CpuSeconds(), await RoundTrips(), await WalBytes());

    /// <summary>The WAL position in bytes: the difference over the window is the WAL written (by everything on the server).</summary>
    private static async Task<double> WalBytes()
    {
        var admin = Environment.GetEnvironmentVariable("HERALD_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("HERALD_TEST_POSTGRES")!;
        await using var db = new NpgsqlConnection(admin);
        await db.OpenAsync();
        return Convert.ToDouble(await new NpgsqlCommand("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')", db).ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private double CpuSeconds()
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                if (pid == postmaster || Parent(pid) == postmaster)
                    total += Proc.CpuSeconds(pid);
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
        }
        return total;
    }

    private static int Parent(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private async Task<double> RoundTrips()
    {
        var total = 0.0;
        foreach (var node in nodes)
        {
            using var client = new HttpClient { BaseAddress = node };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HeraldProcess.OperatorToken);
            var text = await client.GetStringAsync("/metrics");
            total += Operations().Matches(text).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        return total;
    }

    [GeneratedRegex(@"^db_client_operation_duration_seconds_count(?:\{[^}]*\})? ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Operations();
}
