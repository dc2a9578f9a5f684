using Herald.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Herald.Server.Health;

/// <summary>Live: the writer's loop still runs. When it has ended nothing can be stored again until a restart.</summary>
public sealed class WriterLoopCheck(Writer writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(writer.Running
            ? HealthCheckResult.Healthy("the writer loop runs")
            : HealthCheckResult.Unhealthy("the writer loop has ended"));
}
