using System.Globalization;
using CsCheck;

namespace Herald.Fuzzing;

/// <summary>
/// How long each fuzz property runs. By default a fixed number of iterations, so a CI run stays short; with
/// <c>HERALD_FUZZ_SECONDS=N</c> every property runs for N seconds instead (a nightly job or a hunt on a developer's
/// machine). CsCheck prints the seed of any failure; <c>CsCheck_Seed=…</c> replays it. See docs/fuzzing.md.
/// </summary>
public static class FuzzBudget
{
    public const string SecondsVariable = "HERALD_FUZZ_SECONDS";

    public static int? Seconds { get; } = Read(Environment.GetEnvironmentVariable(SecondsVariable));

    /// <summary>Checks <paramref name="property"/> on <paramref name="iterations"/> inputs (or for the configured seconds).</summary>
    public static void Fuzz<T>(this Gen<T> gen, Action<T> property, int iterations, Func<T, string>? print = null) =>
        gen.Sample(property, iter: Seconds is null ? iterations : -1, time: Seconds ?? -1, print: print);

    /// <summary>The async form, for properties checked against a running server; one input at a time unless told.</summary>
    public static Task FuzzAsync<T>(this Gen<T> gen, Func<T, Task> property, int iterations, Func<T, string>? print = null, int threads = 1) =>
        gen.SampleAsync(property, iter: Seconds is null ? iterations : -1, time: Seconds ?? -1, threads: threads, print: print);

    private static int? Read(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : null;
}
