using Herald.Server.Hosting;
using Herald.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Herald.Server.Health;

/// <summary>Ready: the writer is not stuck in one turn (a hung database or disk) longer than the configured limit.</summary>
public sealed class WriterStallCheck(Writer writer, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var busy = writer.BusyFor;
        var limit = TimeSpan.FromSeconds(options.Value.WriterStallSeconds);
        return Task.FromResult(busy < limit
            ? HealthCheckResult.Healthy($"{writer.QueueDepth} writes queued")
            : HealthCheckResult.Unhealthy($"one write batch has run for {busy.TotalSeconds:F0} s ({writer.QueueDepth} writes queued)"));
    }
}
