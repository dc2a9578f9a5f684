using Herald.Server.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NATS.Client.Core;

namespace Herald.Server.Health;

/// <summary>Ready, in a cluster only: the connection to NATS is open, so this node hears the others' hints and they hear its.</summary>
public sealed class NatsCheck(ClusterBus cluster) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(cluster.Connection switch
        {
            null => HealthCheckResult.Healthy("single node: no NATS"),
            { ConnectionState: NatsConnectionState.Open } => HealthCheckResult.Healthy("connected to NATS"),
            { ConnectionState: var state } => HealthCheckResult.Unhealthy($"NATS connection is {state.ToString().ToLowerInvariant()}"),
        });
}
