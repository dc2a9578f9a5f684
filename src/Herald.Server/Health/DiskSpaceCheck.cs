using Herald.Server.Hosting;
using Herald.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Herald.Server.Health;

/// <summary>
/// Ready, on SQLite: the data directory's file system keeps the configured free space. Below it the next writes fail
/// with a full disk; an operator is better told before. (On PostgreSQL the disk is the database server's to watch.)
/// </summary>
public sealed class DiskSpaceCheck(Database database, IOptions<HeraldOptions> herald, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (database.Shared)
            return Task.FromResult(HealthCheckResult.Healthy("shared database: its server watches its disk"));
        var free = new DriveInfo(Path.GetFullPath(herald.Value.DataDirectory)).AvailableFreeSpace / (1024 * 1024);
        var minimum = options.Value.MinFreeDiskMegabytes;
        return Task.FromResult(free >= minimum
            ? HealthCheckResult.Healthy($"{free} MiB free in the data directory")
            : HealthCheckResult.Unhealthy($"{free} MiB free in the data directory, below the {minimum} MiB required"));
    }
}
