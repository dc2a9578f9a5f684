using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian's /usr/bin/prometheus, installed by test.sh) scraping one target every second, on a free
/// loopback port with its storage in a temp directory; disposing kills it and removes the directory.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
    }

    public static async Task<PrometheusServer> Start(Uri target, string bearerToken)
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} is missing: test.sh installs the Debian package 'prometheus'.");
        var directory = Path.Combine(Path.GetTempPath(), "herald-prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var tokenFile = Path.Combine(directory, "token");
        await File.WriteAllTextAsync(tokenFile, bearerToken);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: herald
                metrics_path: /metrics
                authorization:
                  type: Bearer
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ["{target.Authority}"]
            """);
        var port = FreePort();
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var prometheus = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}"));
        await Wait.Until(async () =>
        {
            if (process.HasExited)
                throw new InvalidOperationException($"prometheus exited with {process.ExitCode}");
            try { return (await prometheus._http.GetAsync("/-/ready")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, TimeSpan.FromSeconds(30), "prometheus to be ready");
        return prometheus;
    }

    /// <summary>An instant query through the HTTP API; the value of its only sample, or null when it has none.</summary>
    public async Task<double?> Value(string promql)
    {
        var response = await _http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var result = json.RootElement.GetProperty("data").GetProperty("result");
        if (result.GetArrayLength() == 0)
            return null;
        Assert.Equal(1, result.GetArrayLength());
        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the query's value is <paramref name="expected"/> (scrapes come every second).</summary>
    public async Task WaitFor(string promql, double expected, TimeSpan? timeout = null)
    {
        double? last = null;
        try
        {
            await Wait.Until(async () => (last = await Value(promql)) == expected, timeout ?? TimeSpan.FromSeconds(20), promql);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{promql} = {last?.ToString(CultureInfo.InvariantCulture) ?? "no sample"}, expected {expected}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
