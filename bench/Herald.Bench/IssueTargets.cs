using System.Globalization;

namespace Herald.Bench;

/// <summary>
/// Issue #15's target table, filled from one run's reports: what was measured against each target, and whether it is
/// met or how far off. A row whose scenario did not run says so; a run with errors says how many beside its verdict.
/// </summary>
public static class IssueTargets
{
    public sealed record Row(string Figure, string Measured, string Target, string Verdict);

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly Row[] None = [];

    public static IReadOnlyList<Row> From(IReadOnlyList<Report> reports)
    {
        Report? Find(string scenario) => reports.FirstOrDefault(r => r.Scenario == scenario);
        var single = Find("single");
        var sqliteSingle = single?.Target.Contains("SQLite", StringComparison.Ordinal) == true ? single : null;
        var peers = Find("vs-peers");
        var versus = Find("vs-ejabberd") is { } v ? v : peers;
        var ejabberd = Peer(reports, versus, "ejabberd");
        var rabbit = Peer(reports, peers, "RabbitMQ");
        var latency = Find("latency-5k-per-s");
        var batch = Find("batch");
        var accept = Find("accept-only");
        var postgres = Find("single-postgres");
        var (idleFew, idleMany) = (Find("idle-devices-1001"), Find("idle-devices"));

        Row[] rows =
        [
            Measure("single POST, accepted = delivered, 1k devices", "≥ 15,000/s", [single], () =>
                ($"accepted {N(single!.AcceptedPerSecond)}/s, delivered {N(single.DeliveredPerSecond)}/s",
                    AtLeast(Math.Min(single.AcceptedPerSecond, single.DeliveredPerSecond), 15_000))),
            Measure("server CPU per message, accept → seen → 2 callbacks", "≤ 100 µs", [single], () =>
                ($"{N(single!.ServerCpuMicrosPerMessage)} µs", AtMost(single.ServerCpuMicrosPerMessage, 100))),
            Measure($"`{versus?.Scenario ?? "vs-ejabberd"}`, same run: Herald / ejabberd delivered/s", "≥ 2.5×", [versus, ejabberd], () =>
                (Ratio(versus!.DeliveredPerSecond, ejabberd!.DeliveredPerSecond), AtLeast(versus.DeliveredPerSecond / ejabberd.DeliveredPerSecond, 2.5))),
            Measure("`vs-peers`, same run: Herald / RabbitMQ (and / ejabberd) delivered/s", "none (printed beside ejabberd)", [peers, rabbit], () =>
                (Ratio(peers!.DeliveredPerSecond, rabbit!.DeliveredPerSecond) +
                    (Peer(reports, peers, "ejabberd") is { } e ? $" (ejabberd: {Ratio(peers.DeliveredPerSecond, e.DeliveredPerSecond)})" : ""), "no target")),
            Measure("p99 accept → device at 5,000/s offered", "≤ 15 ms", [latency], () =>
                ($"{latency!.LatencyP99Ms.ToString("F1", C)} ms ({N(latency.AcceptedPerSecond)}/s accepted)", AtMost(latency.LatencyP99Ms, 15, " ms"))),
            Measure("batch of 1000, accepted and delivered", "≥ 50,000/s", [batch], () =>
                ($"accepted {N(batch!.AcceptedPerSecond)}/s, delivered {N(batch.DeliveredPerSecond)}/s",
                    AtLeast(Math.Min(batch.AcceptedPerSecond, batch.DeliveredPerSecond), 50_000))),
            Measure("accept only (`wrk`, c=256, POST /v1/messages to an offline consumer) / `GET /healthz` in the same run", "≥ 0.5", [accept], () =>
                ($"{N(accept!.AcceptedPerSecond)} / {N(accept.HealthzPerSecond ?? 0)} = {accept.AcceptPerHealthz?.ToString("F2", C)} ({N(accept.ServerCpuMicrosPerMessage)} µs Herald CPU per accept)",
                    AtLeast(accept.AcceptPerHealthz ?? 0, 0.5))),
            Measure("PostgreSQL, one node, `--scale 0.1`: accepted = delivered", "≥ 5,000/s", [postgres], () =>
                ($"accepted {N(postgres!.AcceptedPerSecond)}/s, delivered {N(postgres.DeliveredPerSecond)}/s",
                    AtLeast(Math.Min(postgres.AcceptedPerSecond, postgres.DeliveredPerSecond), 5_000))),
            Measure("PostgreSQL, one node, `--scale 0.1`: Herald CPU / SQLite `single`'s", "≤ 1.5×", [postgres, sqliteSingle], () =>
                ($"{N(postgres!.ServerCpuMicrosPerMessage)} / {N(sqliteSingle!.ServerCpuMicrosPerMessage)} µs = {Times(postgres.ServerCpuMicrosPerMessage / sqliteSingle.ServerCpuMicrosPerMessage)}" +
                    (postgres.DatabaseCpuMicrosPerMessage is { } database ? $" (PostgreSQL's own: {N(database)} µs)" : ""),
                    AtMost(postgres.ServerCpuMicrosPerMessage / sqliteSingle.ServerCpuMicrosPerMessage, 1.5, null))),
            Measure("memory per idle connected device (peak RSS slope, 1k → 19k devices)", "≤ 12 KiB", [idleFew, idleMany], () =>
            {
                var slope = (idleMany!.ServerPeakRssMiB - idleFew!.ServerPeakRssMiB) * 1024 / Math.Max(1, idleMany.Devices - idleFew.Devices);
                return ($"{slope.ToString("F1", C)} KiB ({N(idleFew.ServerPeakRssMiB)} MiB at {N(idleFew.Devices)}, {N(idleMany.ServerPeakRssMiB)} MiB at {N(idleMany.Devices)})",
                    AtMost(slope, 12, " KiB"));
            }),
        ];
        return rows.Any(r => r.Verdict != NotRun) ? rows : None;
    }

    public static void Print(IReadOnlyList<Row> rows, double scale)
    {
        if (rows.Count == 0)
            return;
        Console.WriteLine();
        Console.WriteLine("issue #15 targets" + (scale == 1 ? "" : $" (at --scale {scale.ToString(C)}: not the issue's sizes, so no answer to its targets)"));
        Console.WriteLine("| figure | measured | target | met? / how far off |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var row in rows)
            Console.WriteLine($"| {row.Figure} | {row.Measured} | {row.Target} | {row.Verdict} |");
    }

    private const string NotRun = "not run";

    private static Row Measure(string figure, string target, Report?[] from, Func<(string Measured, string Verdict)> measure)
    {
        if (from.Any(r => r is null))
            return new Row(figure, "—", target, NotRun);
        var (measured, verdict) = measure();
        var errors = from.Sum(r => r!.Errors);
        return new Row(figure, measured, target, errors == 0 ? verdict : $"{verdict}; {N(errors)} errors in the run");
    }

    /// <summary>The peer report printed after <paramref name="herald"/>'s in its side-by-side run, by its target's name.</summary>
    private static Report? Peer(IReadOnlyList<Report> reports, Report? herald, string target)
    {
        if (herald is null)
            return null;
        var after = reports.SkipWhile(r => !ReferenceEquals(r, herald)).Skip(1).TakeWhile(r => !r.Target.StartsWith("herald", StringComparison.Ordinal));
        return after.FirstOrDefault(r => r.Target.StartsWith(target, StringComparison.Ordinal));
    }

    private static string AtLeast(double value, double target) =>
        value >= target ? "met" : value <= 0 ? "not met: nothing measured" : $"not met: {(value / target * 100).ToString("F0", C)}% of it, {Times(target / value)} to go";

    /// <param name="unit">of the value, to say by how much it is over; null for a ratio</param>
    private static string AtMost(double value, double limit, string? unit = " µs") =>
        value <= limit ? "met" : $"not met: {Times(value / limit)} the limit" + (unit is null ? "" : $", {(value - limit).ToString("#,0.#", C)}{unit} over");

    private static string Ratio(double herald, double peer) => $"{N(herald)} / {N(peer)} = {Times(herald / peer)}";
    private static string Times(double ratio) => double.IsFinite(ratio) ? ratio.ToString("F2", C) + "×" : "n/a";
    private static string N(double value) => value.ToString("N0", C);
}
