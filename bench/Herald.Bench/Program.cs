using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Herald.Bench;

// The scenarios of issue #4, each on a fresh `herald serve` with its own SQLite directory.
Scenario[] defaults =
[
    new("single", Devices: 1_000, Messages: 100_000, Concurrency: 64, Batch: 1, Rate: 0),
    new("batch", Devices: 1_000, Messages: 500_000, Concurrency: 4, Batch: 1000, Rate: 0),
    new("e2e-10k-devices", Devices: 10_000, Messages: 200_000, Concurrency: 64, Batch: 1, Rate: 0),
    new("latency-5k-per-s", Devices: 1_000, Messages: 50_000, Concurrency: 64, Batch: 1, Rate: 5_000),
    new("idle-devices", Devices: 100_000, Messages: 0, Concurrency: 1, Batch: 1, Rate: 0),
];

var scenarioOption = new Option<string[]>("--scenario") { Description = $"Scenarios to run: {string.Join(", ", defaults.Select(d => d.Name))}, or all", DefaultValueFactory = _ => ["all"], AllowMultipleArgumentsPerToken = true };
var scaleOption = new Option<double>("--scale") { Description = "Multiply message and device counts (0.1 for a quick run)", DefaultValueFactory = _ => 1.0 };
var targetOption = new Option<Uri?>("--target") { Description = "A running Herald to drive instead of starting one (its operator token must be the bench's)" };
var outOption = new Option<string>("--out") { Description = "Where to write the JSON results", DefaultValueFactory = _ => "bench/results/latest.json" };
var root = new RootCommand("Herald load generator: drives sends, devices and callbacks and reports the figures") { scenarioOption, scaleOption, targetOption, outOption };
root.SetAction(async (parsed, cancel) =>
{
    var names = parsed.GetValue(scenarioOption)!;
    var scale = parsed.GetValue(scaleOption);
    var chosen = defaults.Where(d => names.Contains("all") || names.Contains(d.Name))
        .Select(d => d with { Devices = Math.Max(1, (int)(d.Devices * scale)), Messages = (int)(d.Messages * scale) }).ToList();
    var reports = new List<Report>();
    foreach (var scenario in chosen)
    {
        var report = await scenario.Run(parsed.GetValue(targetOption), cancel);
        reports.Add(report);
        Table.Print([report]);
    }
    Console.WriteLine();
    Table.Print(reports);
    var output = parsed.GetValue(outOption)!;
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(reports, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }), cancel);
    Console.WriteLine($"written to {output}");
    return 0;
});
return await root.Parse(args).InvokeAsync();

internal static class Table
{
    public static void Print(IEnumerable<Report> reports)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c, "{0,-18} {1,8} {2,9} {3,11} {4,12} {5,12} {6,8} {7,8} {8,8} {9,9} {10,7}",
            "scenario", "devices", "accepted", "accepted/s", "delivered/s", "callbacks/s", "p50 ms", "p99 ms", "p999 ms", "RSS MiB", "errors"));
        foreach (var r in reports)
            Console.WriteLine(string.Format(c, "{0,-18} {1,8} {2,9} {3,11:F0} {4,12:F0} {5,12:F0} {6,8:F2} {7,8:F2} {8,8:F2} {9,9:F0} {10,7}",
                r.Scenario, r.Devices, r.Accepted, r.AcceptedPerSecond, r.DeliveredPerSecond, r.CallbacksPerSecond,
                r.LatencyP50Ms, r.LatencyP99Ms, r.LatencyP999Ms, r.ServerPeakRssMiB, r.Errors));
    }
}
