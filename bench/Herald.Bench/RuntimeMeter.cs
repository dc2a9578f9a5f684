using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Herald.Bench;

/// <summary>
/// The .NET runtime's own counters of the Herald nodes, read from their <c>/metrics</c>: bytes allocated, garbage
/// collections and the time they paused the process. Read before and after the measured window, so a change's effect on
/// allocation shows as a figure, less noisy than messages per second on a shared machine.
/// </summary>
public sealed partial class RuntimeMeter(IReadOnlyList<Uri> nodes)
{
    public readonly record struct Reading(double AllocatedBytes, double Collections, double PauseSeconds);

    public async Task<Reading> Read()
    {
        var total = new Reading(0, 0, 0);
        foreach (var node in nodes)
        {
            using var client = new HttpClient { BaseAddress = node };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HeraldProcess.OperatorToken);
            var text = await client.GetStringAsync("/metrics");
            total = new Reading(total.AllocatedBytes + Sum(Allocated(), text), total.Collections + Sum(Collections(), text), total.PauseSeconds + Sum(Pause(), text));
        }
        return total;
    }

    private static double Sum(Regex series, string text) =>
        series.Matches(text).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^dotnet_gc_heap_total_allocated_bytes_total(?:\{[^}]*\})? ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Allocated();

    [GeneratedRegex(@"^dotnet_gc_collections_total(?:\{[^}]*\})? ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Collections();

    [GeneratedRegex(@"^dotnet_gc_pause_time_seconds_total(?:\{[^}]*\})? ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Pause();
}
