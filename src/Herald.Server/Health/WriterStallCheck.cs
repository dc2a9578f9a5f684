using Herald.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Herald.Server.Health;

/// <summary>
/// Ready: the writer is not stalled, i.e. not stuck in one database call longer than the database's patience
/// (<c>Herald__Storage__TimeoutSeconds</c>). While it is, every write is refused with 503, so the node should get no traffic.
/// </summary>
public sealed class WriterStallCheck(Writer writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(writer.Stalled
            ? HealthCheckResult.Unhealthy($"the writer is stuck in a database call ({writer.QueueDepth} writes queued)")
            : HealthCheckResult.Healthy($"{writer.QueueDepth} writes queued"));
}
