using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Herald.Bench;

/// <summary>
/// Runs <c>wrk</c> (the Debian package) with bench/wrk/accept-only.lua and reads the line that script's <c>done</c>
/// prints: what wrk counted, not what its human-readable summary rounds.
/// </summary>
public static partial class Wrk
{
    /// <summary>What one wrk run counted: every request, those answered 4xx/5xx, socket errors (timeouts included).</summary>
    public sealed record Result(long Requests, double Seconds, long StatusErrors, long SocketErrors, double P50Ms, double P99Ms, double P999Ms)
    {
        public long Succeeded => Requests - StatusErrors;
        public double SucceededPerSecond => Succeeded / Math.Max(Seconds, 1e-9);
        public long Errors => StatusErrors + SocketErrors;
    }

    public static bool Installed() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "wrk")));

    /// <param name="apiKey">null sends GET of <paramref name="url"/>; else POST /v1/messages to <paramref name="to"/> with this key</param>
    public static async Task<Result> Run(Uri url, int threads, int connections, TimeSpan duration, string? apiKey, string? to, CancellationToken cancel)
    {
        var start = new ProcessStartInfo("wrk") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s", "--timeout", "10s",
                     "-s", Path.Combine(Repo.Root, "bench", "wrk", "accept-only.lua"), url.ToString() })
            start.ArgumentList.Add(arg);
        start.Environment["HERALD_BENCH_API_KEY"] = apiKey ?? "";
        start.Environment["HERALD_BENCH_TO"] = to ?? "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var errors = process.StandardError.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        var text = await output;
        var match = Done().Match(text);
        if (process.ExitCode != 0 || !match.Success)
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {text}{await errors}");
        long Get(string name) => long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        return new Result(Get("requests"), Get("duration") / 1e6, Get("status"),
            Get("connect") + Get("read") + Get("write") + Get("timeout"), Get("p50") / 1e3, Get("p99") / 1e3, Get("p999") / 1e3);
    }

    [GeneratedRegex(@"^herald-bench requests=(?<requests>\d+) duration_us=(?<duration>\d+) status_errors=(?<status>\d+) connect=(?<connect>\d+) read=(?<read>\d+) write=(?<write>\d+) timeout=(?<timeout>\d+) p50_us=(?<p50>\d+) p99_us=(?<p99>\d+) p999_us=(?<p999>\d+)", RegexOptions.Multiline)]
    private static partial Regex Done();
}
