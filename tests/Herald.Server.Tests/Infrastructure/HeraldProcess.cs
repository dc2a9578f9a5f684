using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>The real <c>herald</c> program in its own process, as an operator runs it.</summary>
public sealed class HeraldProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HeraldProcess(Process process, Uri baseAddress, Uri? httpsAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        HttpsAddress = httpsAddress;
    }

    public Uri BaseAddress { get; }
    /// <summary>The https:// address of a process started by <see cref="ServeWithHttps"/>.</summary>
    public Uri? HttpsAddress { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _process.HasExited;
    /// <summary>The server's own process id (dotnet running herald.dll), e.g. to read its memory from /proc.</summary>
    public int ProcessId => _process.Id;

    public static HeraldProcess Serve(string dataDirectory, IDictionary<string, string>? environment = null, params string[] extraArgs) =>
        Start(dataDirectory, environment, https: false, extraArgs);

    /// <summary>Serves on a given address: a restart after <see cref="Kill"/> where the clients were, as systemd would.</summary>
    public static HeraldProcess ServeAt(Uri address, string dataDirectory, IDictionary<string, string>? environment = null) =>
        Start(dataDirectory, environment, https: false, [], address.GetLeftPart(UriPartial.Authority));

    /// <summary>
    /// Also listens on an https:// URL, <see cref="HttpsAddress"/>; <paramref name="environment"/> gives it its
    /// certificate. <see cref="BaseAddress"/> and <see cref="WaitHealthy"/> stay on plain HTTP.
    /// </summary>
    public static HeraldProcess ServeWithHttps(string dataDirectory, IDictionary<string, string> environment) =>
        Start(dataDirectory, environment, https: true, []);

    private static HeraldProcess Start(string dataDirectory, IDictionary<string, string>? environment, bool https, string[] extraArgs, string? address = null)
    {
        var url = address ?? $"http://127.0.0.1:{FreePort()}";
        var httpsUrl = https ? $"https://127.0.0.1:{FreePort()}" : null;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { HeraldDll(), "serve", "--urls", httpsUrl is null ? url : $"{url};{httpsUrl}", "--data", dataDirectory }.Concat(extraArgs))
            start.ArgumentList.Add(arg);
        start.Environment["Herald__Network__AllowPlainHttp"] = "true"; // loopback tests speak plain HTTP
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        var herald = new HeraldProcess(process, new Uri(url), httpsUrl is null ? null : new Uri(httpsUrl));
        process.OutputDataReceived += (_, e) => herald.Append(e.Data);
        process.ErrorDataReceived += (_, e) => herald.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return herald;
    }

    public async Task WaitHealthy()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Wait.Until(async () =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"herald exited with {_process.ExitCode}:\n{Output}");
            try { return (await client.GetAsync("/healthz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, TimeSpan.FromSeconds(60), "herald to answer /healthz");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or power cut of the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>
    /// SIGKILL at once: one kill(2), without first walking the process tree (that takes milliseconds, long enough for
    /// the work a fault test aims at to finish). herald starts no child processes.
    /// </summary>
    public void KillNow()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as systemd or Ctrl+C would send, then wait for a clean exit.</summary>
    public async Task<int> Terminate()
    {
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>herald.dll from the same build configuration as these tests.</summary>
    public static string HeraldDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory); // tests/Herald.Server.Tests/bin/<Configuration>/net10.0/
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Herald.slnx")))
            root = root.Parent;
        var dll = Path.Combine(root!.FullName, "src", "Herald", "bin", configuration, framework, "herald.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/Herald first", dll);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
        await Task.CompletedTask;
    }
}
