using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Herald.Bench;
using Herald.Bench.Ejabberd;
using Herald.Bench.RabbitMq;

// The scenarios of issue #4, each on a fresh `herald serve` with its own SQLite directory.
Scenario[] defaults =
[
    new("single", Devices: 1_000, Messages: 100_000, Concurrency: 64, Batch: 1, Rate: 0),
    new("batch", Devices: 1_000, Messages: 500_000, Concurrency: 4, Batch: 1000, Rate: 0),
    new("e2e-10k-devices", Devices: 10_000, Messages: 200_000, Concurrency: 64, Batch: 1, Rate: 0),
    new("latency-5k-per-s", Devices: 1_000, Messages: 50_000, Concurrency: 64, Batch: 1, Rate: 5_000),
    new("latency-1k-per-s", Devices: 1_000, Messages: 20_000, Concurrency: 64, Batch: 1, Rate: 1_000),
    // The issue asks for 100,000; this sandbox caps a process at 20,000 open files (ulimit -Hn, not raisable here),
    // so the server can hold at most ~19,900 sockets. Raise --scale where the limit allows.
    new("idle-devices", Devices: 19_000, Messages: 0, Concurrency: 1, Batch: 1, Rate: 0),
];

// The same work for Herald and for ejabberd (HTTP send_message to connected XMPP clients), in one run.
var versus = new Scenario("vs-ejabberd", Devices: 1_000, Messages: 20_000, Concurrency: 32, Batch: 1, Rate: 0);

// Both peers (issue #15): ejabberd and RabbitMQ (durable queue per device, persistent messages, publisher confirms,
// manual acks) with the same devices, message count and sender concurrency as Herald's `single` scenario.
var peers = defaults[0] with { Name = "vs-peers" };

// Web Push to devices whose app is closed (issue #14): every message becomes one push to a loopback stand-in.
var push = new PushScenario("push", Devices: 1_000, Messages: 20_000, Concurrency: 32);

// A 200,000-recipient campaign (issue #17) at the business's full rate limit.
var campaign = new CampaignScenario("campaign", Recipients: 200_000, RateLimit: 5_000);

var scenarioOption = new Option<string[]>("--scenario") { Description = $"Scenarios to run: {string.Join(", ", defaults.Select(d => d.Name))}, {versus.Name}, {peers.Name}, {push.Name}, {campaign.Name}, or all", DefaultValueFactory = _ => ["all"], AllowMultipleArgumentsPerToken = true };
var scaleOption = new Option<double>("--scale") { Description = "Multiply message and device counts (0.1 for a quick run)", DefaultValueFactory = _ => 1.0 };
var targetOption = new Option<Uri?>("--target") { Description = "A running Herald to drive instead of starting one (its operator token must be the bench's)" };
var storeOption = new Option<string>("--store") { Description = "What the started server stores in: sqlite, or postgres (a fresh database on HERALD_BENCH_POSTGRES)", DefaultValueFactory = _ => "sqlite" };
var nodesOption = new Option<int>("--nodes") { Description = "How many herald nodes to start (more than one needs --store postgres; they share HERALD_BENCH_NATS)", DefaultValueFactory = _ => 1 };
var rateLimitOption = new Option<int>("--rate-limit") { Description = "The campaign scenario's business rate limit, and so its rate", DefaultValueFactory = _ => campaign.RateLimit };
var warmupOption = new Option<double>("--warmup") { Description = "Seconds of unmeasured sending before each scenario (0 for none)", DefaultValueFactory = _ => 20 };
var outOption = new Option<string>("--out") { Description = "Where to write the JSON results", DefaultValueFactory = _ => "bench/results/latest.json" };
var root = new RootCommand("Herald load generator: drives sends, devices and callbacks and reports the figures") { scenarioOption, scaleOption, targetOption, storeOption, nodesOption, rateLimitOption, warmupOption, outOption };
root.SetAction(async (parsed, cancel) =>
{
    var names = parsed.GetValue(scenarioOption)!;
    var scale = parsed.GetValue(scaleOption);
    var warmup = TimeSpan.FromSeconds(parsed.GetValue(warmupOption));
    var deployment = new Deployment(parsed.GetValue(storeOption)!, Math.Max(1, parsed.GetValue(nodesOption)));
    if (deployment.Store is not ("sqlite" or "postgres") || (deployment.Nodes > 1 && deployment.Store != "postgres"))
    {
        Console.Error.WriteLine("--store is sqlite or postgres, and more than one node needs postgres.");
        return 2;
    }
    var chosen = defaults.Where(d => names.Contains("all") || names.Contains(d.Name))
        .Select(d => d with { Devices = Math.Max(1, (int)(d.Devices * scale)), Messages = (int)(d.Messages * scale) }).ToList();
    var reports = new List<Report>();
    foreach (var scenario in chosen)
    {
        var report = await scenario.Run(parsed.GetValue(targetOption), deployment, warmup, cancel);
        reports.Add(report);
        Table.Print([report]);
    }
    if (names.Contains("all") || names.Contains(push.Name))
    {
        reports.Add(await (push with { Devices = Math.Max(1, (int)(push.Devices * scale)), Messages = (int)(push.Messages * scale) }).Run(warmup, cancel));
        Table.Print([reports[^1]]);
    }
    if (names.Contains("all") || names.Contains(campaign.Name))
    {
        reports.Add(await (campaign with { Recipients = Math.Max(1, (int)(campaign.Recipients * scale)), RateLimit = parsed.GetValue(rateLimitOption) }).Run(deployment, cancel));
        Table.Print([reports[^1]]);
        CampaignScenario.Print(reports[^1]);
    }
    if (names.Contains("all") || names.Contains(versus.Name))
        reports.AddRange(await SideBySide(versus with { Devices = Math.Max(1, (int)(versus.Devices * scale)), Messages = (int)(versus.Messages * scale) }, warmup, rabbitmq: false, cancel));
    if (names.Contains("all") || names.Contains(peers.Name))
        reports.AddRange(await SideBySide(peers with { Devices = Math.Max(1, (int)(peers.Devices * scale)), Messages = (int)(peers.Messages * scale) }, warmup, rabbitmq: true, cancel));
    Console.WriteLine();
    Table.Print(reports);
    var output = parsed.GetValue(outOption)!;
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(reports, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }), cancel);
    Console.WriteLine($"written to {output}");
    return 0;
});
return await root.Parse(args).InvokeAsync();

// Herald first, then ejabberd set up by bench/ejabberd/setup.sh with as many users, then (with rabbitmq) RabbitMQ set
// up by bench/rabbitmq/setup.sh: the same counts and concurrency; each peer is torn down after its run.
static async Task<Report[]> SideBySide(Scenario scenario, TimeSpan warmup, bool rabbitmq, CancellationToken cancel)
{
    var herald = await scenario.Run(null, new Deployment("sqlite", 1), warmup, cancel);
    List<Report> peers = [];
    await Script("ejabberd", "setup.sh", scenario.Devices.ToString(CultureInfo.InvariantCulture));
    try
    {
        peers.Add(await EjabberdRun.Run(scenario.Devices, scenario.Messages, scenario.Concurrency, TimeSpan.FromMinutes(5), cancel));
    }
    finally
    {
        await Script("ejabberd", "stop.sh");
    }
    Table.Print([herald, .. peers]); // printed before RabbitMQ's run, which may fail to start on a busy machine
    if (rabbitmq)
    {
        try
        {
            await Script("rabbitmq", "setup.sh");
            peers.Add(await RabbitRun.Run(scenario.Devices, scenario.Messages, scenario.Concurrency, TimeSpan.FromMinutes(5), cancel));
        }
        finally
        {
            await Script("rabbitmq", "stop.sh");
        }
    }
    Table.Print([herald, .. peers]);
    foreach (var peer in peers)
        Table.PrintRatios(herald, peer);
    return [herald, .. peers];
}

static async Task Script(string peer, string name, params string[] args)
{
    var start = new System.Diagnostics.ProcessStartInfo("bash") { UseShellExecute = false };
    start.ArgumentList.Add(Path.Combine(Repo.Root, "bench", peer, name));
    foreach (var arg in args)
        start.ArgumentList.Add(arg);
    using var process = System.Diagnostics.Process.Start(start)!;
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"bench/{peer}/{name} failed with exit code {process.ExitCode}");
}

internal static class Table
{
    public static void PrintRatios(Report herald, Report other)
    {
        static string Ratio(double a, double b) => b == 0 ? "n/a" : (a / b).ToString("F2", CultureInfo.InvariantCulture) + "x";
        Console.WriteLine($"herald / {other.Target}: accepted/s {Ratio(herald.AcceptedPerSecond, other.AcceptedPerSecond)}, " +
            $"delivered/s {Ratio(herald.DeliveredPerSecond, other.DeliveredPerSecond)}, p50 {Ratio(herald.LatencyP50Ms, other.LatencyP50Ms)}, " +
            $"p99 {Ratio(herald.LatencyP99Ms, other.LatencyP99Ms)}, peak RSS {Ratio(herald.ServerPeakRssMiB, other.ServerPeakRssMiB)}" +
            (other.ServerCpuMicrosPerMessage > 0 ? $", CPU µs/msg {Ratio(herald.ServerCpuMicrosPerMessage, other.ServerCpuMicrosPerMessage)}" : ""));
    }

    public static void Print(IEnumerable<Report> reports)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c, "{0,-18} {1,8} {2,9} {3,11} {4,12} {5,12} {6,8} {7,8} {8,8} {9,9} {10,11} {11,7}",
            "scenario", "devices", "accepted", "accepted/s", "delivered/s", "callbacks/s", "p50 ms", "p99 ms", "p999 ms", "RSS MiB", "CPU µs/msg", "errors"));
        foreach (var r in reports)
            Console.WriteLine(string.Format(c, "{0,-18} {1,8} {2,9} {3,11:F0} {4,12:F0} {5,12:F0} {6,8:F2} {7,8:F2} {8,8:F2} {9,9:F0} {10,11:F0} {11,7}",
                r.Scenario, r.Devices, r.Accepted, r.AcceptedPerSecond, r.DeliveredPerSecond, r.CallbacksPerSecond,
                r.LatencyP50Ms, r.LatencyP99Ms, r.LatencyP999Ms, r.ServerPeakRssMiB, r.ServerCpuMicrosPerMessage, r.Errors));
        foreach (var r in reports.Where(r => r.DatabaseCpuMicrosPerMessage is not null))
            Console.WriteLine(string.Format(c, "{0,-18} PostgreSQL: {1:F0} CPU µs/msg (all its processes; Herald {2:F0}), {3:F2} round trips/msg, {4:F0} WAL bytes/msg",
                r.Scenario, r.DatabaseCpuMicrosPerMessage, r.ServerCpuMicrosPerMessage, r.DatabaseRoundTripsPerMessage, r.DatabaseWalBytesPerMessage));
    }
}
