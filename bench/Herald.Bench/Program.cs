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
    // With idle-devices, the memory per idle device (issue #15): the slope of peak RSS between the two.
    new("idle-devices-1001", Devices: 1_001, Messages: 0, Concurrency: 1, Batch: 1, Rate: 0),
];

// The accept path alone (issue #15): wrk against POST /v1/messages to an offline consumer, then GET /healthz.
var acceptOnly = new AcceptOnlyScenario("accept-only", Threads: 2, Connections: 256, Duration: TimeSpan.FromSeconds(15));

// Issue #15's PostgreSQL row: the `single` scenario on one node over PostgreSQL, at a tenth of its size.
const double PostgresScale = 0.1;
var singlePostgres = defaults[0] with { Name = "single-postgres" };

// The same work for Herald and for ejabberd (HTTP send_message to connected XMPP clients), in one run.
var versus = new Scenario("vs-ejabberd", Devices: 1_000, Messages: 20_000, Concurrency: 32, Batch: 1, Rate: 0);

// Both peers (issue #15): ejabberd and RabbitMQ (durable queue per device, persistent messages, publisher confirms,
// manual acks) with the same devices, message count and sender concurrency as Herald's `single` scenario.
var peers = defaults[0] with { Name = "vs-peers" };

// Web Push to devices whose app is closed (issue #14): every message becomes one push to a loopback stand-in.
var push = new PushScenario("push", Devices: 1_000, Messages: 20_000, Concurrency: 32);

// A 200,000-recipient campaign (issue #17) at the business's full rate limit.
var campaign = new CampaignScenario("campaign", Recipients: 200_000, RateLimit: 5_000);

string[] known = [.. defaults.Select(d => d.Name), acceptOnly.Name, singlePostgres.Name, push.Name, campaign.Name, versus.Name, peers.Name, "all"];
var scenarioOption = new Option<string[]>("--scenario") { Description = $"Scenarios to run: {string.Join(", ", known[..^1])}, or all", DefaultValueFactory = _ => ["all"], AllowMultipleArgumentsPerToken = true };
var scaleOption = new Option<double>("--scale") { Description = "Multiply message and device counts, and accept-only's duration (0.1 for a quick run)", DefaultValueFactory = _ => 1.0 };
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
    if (names.Except(known).ToList() is [_, ..] unknown)
    {
        Console.Error.WriteLine($"Unknown scenario {string.Join(", ", unknown)}; the scenarios are {string.Join(", ", known)}.");
        return 2;
    }
    bool Runs(string name) => names.Contains("all") || names.Contains(name);
    if (Runs(acceptOnly.Name) && !Wrk.Installed())
    {
        Console.Error.WriteLine("accept-only needs wrk: install the Debian package (apt-get install wrk); bench/run.sh does so when it may.");
        return 2;
    }
    if ((Runs(singlePostgres.Name) || (deployment.Store == "postgres" && parsed.GetValue(targetOption) is null)) && !Deployment.PostgresConfigured)
    {
        Console.Error.WriteLine("Set HERALD_BENCH_POSTGRES (bench/run.sh starts a local PostgreSQL with scripts/test-services.sh when it is unset).");
        return 2;
    }
    Scenario Scaled(Scenario s, double by) => s with { Devices = Math.Max(1, (int)(s.Devices * by)), Messages = (int)(s.Messages * by) };

    var reports = new List<Report>();
    var run = System.Diagnostics.Stopwatch.StartNew();
    // One step's reports are kept and printed; a step that fails says why and the run goes on, so one peer that will
    // not start on a busy machine costs its rows, not the whole run's.
    async Task Step(string name, Func<Task<IEnumerable<Report>>> step, bool printsItsOwn = false)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var added = (await step()).ToList();
            reports.AddRange(added);
            if (!printsItsOwn)
                Table.Print(added);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.Error.WriteLine($"[{name}] failed: {ex.Message}");
        }
        Console.Error.WriteLine($"[{name}] took {started.Elapsed.TotalSeconds:F0} s (run so far: {run.Elapsed.TotalMinutes:F1} min)");
    }

    foreach (var scenario in defaults.Where(d => Runs(d.Name)))
        await Step(scenario.Name, async () => [await Scaled(scenario, scale).Run(parsed.GetValue(targetOption), deployment, warmup, cancel)]);
    if (Runs(acceptOnly.Name))
        await Step(acceptOnly.Name, async () => [await (acceptOnly with { Duration = TimeSpan.FromSeconds(Math.Max(3, acceptOnly.Duration.TotalSeconds * scale)) }).Run(warmup, cancel)]);
    if (Runs(singlePostgres.Name))
        await Step(singlePostgres.Name, async () => [await Scaled(singlePostgres, scale * PostgresScale).Run(null, new Deployment("postgres", 1), warmup, cancel)]);
    if (Runs(push.Name))
        await Step(push.Name, async () => [await (push with { Devices = Math.Max(1, (int)(push.Devices * scale)), Messages = (int)(push.Messages * scale) }).Run(warmup, cancel)]);
    if (Runs(campaign.Name))
        await Step(campaign.Name, async () =>
        {
            var report = await (campaign with { Recipients = Math.Max(1, (int)(campaign.Recipients * scale)), RateLimit = parsed.GetValue(rateLimitOption) }).Run(deployment, cancel);
            CampaignScenario.Print(report);
            return [report];
        });
    if (Runs(versus.Name))
        await Step(versus.Name, () => SideBySide(Scaled(versus, scale), warmup, rabbitmq: false, cancel), printsItsOwn: true);
    if (Runs(peers.Name))
        await Step(peers.Name, () => SideBySide(Scaled(peers, scale), warmup, rabbitmq: true, cancel), printsItsOwn: true);
    Console.WriteLine();
    Table.Print(reports);
    var targets = IssueTargets.From(reports);
    IssueTargets.Print(targets, scale);
    Console.Error.WriteLine($"whole run: {run.Elapsed.TotalMinutes:F1} min");
    var output = parsed.GetValue(outOption)!;
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    var json = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { scale, reports, issue15_targets = targets }, json), cancel);
    Console.WriteLine($"written to {output}");
    return 0;
});
return await root.Parse(args).InvokeAsync();

// Herald first, then ejabberd set up by bench/ejabberd/setup.sh with as many users, then (with rabbitmq) RabbitMQ set
// up by bench/rabbitmq/setup.sh: the same counts and concurrency; each peer is torn down after its run. A peer that
// fails (RabbitMQ may not start on a busy machine) is said on stderr and left out; Herald's figures are kept.
static async Task<IEnumerable<Report>> SideBySide(Scenario scenario, TimeSpan warmup, bool rabbitmq, CancellationToken cancel)
{
    var herald = await scenario.Run(null, new Deployment("sqlite", 1), warmup, cancel);
    Table.Print([herald]);
    List<Report> peers = [];
    async Task Peer(string peer, string[] setup, Func<Task<Report>> run)
    {
        try
        {
            await Script(peer, "setup.sh", setup);
            peers.Add(await run());
            Table.Print([peers[^1]]);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.Error.WriteLine($"[{scenario.Name}] {peer} failed, its figures are missing: {ex.Message}");
        }
        finally
        {
            await Script(peer, "stop.sh");
        }
    }
    await Peer("ejabberd", [scenario.Devices.ToString(CultureInfo.InvariantCulture)],
        () => EjabberdRun.Run(scenario.Devices, scenario.Messages, scenario.Concurrency, TimeSpan.FromMinutes(5), cancel));
    if (rabbitmq)
        await Peer("rabbitmq", [], () => RabbitRun.Run(scenario.Devices, scenario.Messages, scenario.Concurrency, TimeSpan.FromMinutes(5), cancel));
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
        foreach (var r in reports.Where(r => r.HealthzPerSecond is not null))
            Console.WriteLine(string.Format(c, "{0,-18} GET /healthz in the same run: {1:F0}/s; accepted/s / healthz/s = {2:F2} (p50/p99 above: request → 202)",
                r.Scenario, r.HealthzPerSecond, r.AcceptPerHealthz));
        foreach (var r in reports.Where(r => r.ServerAllocatedKibPerMessage is not null))
            Console.WriteLine(string.Format(c, "{0,-18} .NET runtime: {1:F1} KiB allocated/msg, {2:F0} collections, GC pauses {3:P1} of the window",
                r.Scenario, r.ServerAllocatedKibPerMessage, r.ServerGcCollections, r.ServerGcPauseShare));
        foreach (var r in reports.Where(r => r.DatabaseCpuMicrosPerMessage is not null))
            Console.WriteLine(string.Format(c, "{0,-18} PostgreSQL: {1:F0} CPU µs/msg (all its processes; Herald {2:F0}), {3:F2} round trips/msg, {4:F0} WAL bytes/msg",
                r.Scenario, r.DatabaseCpuMicrosPerMessage, r.ServerCpuMicrosPerMessage, r.DatabaseRoundTripsPerMessage, r.DatabaseWalBytesPerMessage));
    }
}
