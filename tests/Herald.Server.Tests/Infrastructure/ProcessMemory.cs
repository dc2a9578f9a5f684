using System.Globalization;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>A process's memory as the kernel counts it (Linux /proc), the figure an operator's monitoring sees.</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size (VmRSS) in MiB.</summary>
    public static double ResidentMiB(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kib = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kib / 1024.0;
    }

    /// <summary>Samples the resident size every 50 ms until disposed; <see cref="PeakMiB"/> is the highest seen.</summary>
    public sealed class PeakSampler : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private double _peak;

        public PeakSampler(int processId)
        {
            _peak = ResidentMiB(processId);
            _sampling = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try { _peak = Math.Max(_peak, ResidentMiB(processId)); }
                    catch (IOException) { return; } // the process has gone
                    try { await Task.Delay(50, _stop.Token); }
                    catch (OperationCanceledException) { return; }
                }
            });
        }

        public double PeakMiB => _peak;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _sampling;
            _stop.Dispose();
        }
    }
}
