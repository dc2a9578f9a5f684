using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Herald.Bench;

/// <summary>The real <c>herald serve</c>, started for a run on a fresh data directory, measured from outside.</summary>
public sealed class HeraldProcess : IAsyncDisposable
{
    public const string OperatorToken = "hop_bench-operator-token";
    private readonly Process _process;
    private readonly string _data;

    private HeraldProcess(Process process, Uri url, string data)
    {
        _process = process;
        Url = url;
        _data = data;
    }

    public Uri Url { get; }
    public int Pid => _process.Id;

    /// <param name="environment">more settings, e.g. the shared store and bus of a cluster's nodes</param>
    public static async Task<HeraldProcess> Start(Uri codeHook, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "herald-bench-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { HeraldDll(), "serve", "--urls", $"http://127.0.0.1:{port}", "--data", data })
            start.ArgumentList.Add(arg);
        start.Environment["HERALD_BOOTSTRAP_TOKEN"] = OperatorToken;
        start.Environment["Herald__Webhooks__AllowPrivateNetworks"] = "true";
        start.Environment["Herald__Consumers__CodeHookUrl"] = codeHook.ToString();
        start.Environment["Herald__Business__DefaultRateLimitPerSecond"] = "10000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Herald__Network__AllowPlainHttp"] = "true"; // loopback, as a node behind a TLS proxy would run
        start.Environment["Herald__Consumers__CodesPerAddressPerMinute"] = "100000000"; // every device signs in from 127.x
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[herald] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var herald = new HeraldProcess(process, new Uri($"http://127.0.0.1:{port}"), data);
        using var client = new HttpClient { BaseAddress = herald.Url, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                    return herald;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (process.HasExited)
                throw new InvalidOperationException($"herald exited with {process.ExitCode}");
            await Task.Delay(200);
        }
        throw new TimeoutException("herald did not start within 60 s");
    }

    /// <summary>The server's peak resident set (VmHWM) so far, in MiB.</summary>
    public double PeakRssMiB() => Proc.PeakRssMiB(Pid);
    public double CpuSeconds() => Proc.CpuSeconds(Pid);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string HeraldDll()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory); // bench/Herald.Bench/bin/<Configuration>/net10.0/
        var dll = Path.Combine(Repo.Root, "src", "Herald", "bin", bin.Parent!.Name, bin.Name, "herald.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/Herald first", dll);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(true); }
        }
        _process.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}

/// <summary>What Linux reports about a process in /proc.</summary>
public static class Proc
{
    /// <summary>User plus system CPU time the process has used so far (in clock ticks of 1/100 s).</summary>
    public static double CpuSeconds(int pid)
    {
        // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are 14 and 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public static double PeakRssMiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        return 0;
    }
}

public static class Repo
{
    /// <summary>The repository's root: the first folder above the bench's binaries that holds Herald.slnx.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Herald.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("run the bench from the Herald repository");
    }
}
