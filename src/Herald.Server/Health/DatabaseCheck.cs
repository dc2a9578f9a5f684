using Herald.Server.Hosting;
using Herald.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Herald.Server.Health;

/// <summary>
/// Ready: a real round trip to the database on a connection of its own (not the read pool, which may hold one a
/// restarted server broke), reading a table so SQLite touches the file. A database that does not answer within the
/// timeout (a stopped server holds the connection attempt open) counts as down.
/// </summary>
public sealed class DatabaseCheck(Database database, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.DatabaseTimeoutSeconds);
        var probe = Task.Run(() => DatabaseProbe.RoundTrip(database), CancellationToken.None);
        try
        {
            await probe.WaitAsync(timeout, cancellationToken);
            return HealthCheckResult.Healthy("the database answered");
        }
        catch (TimeoutException)
        {
            _ = probe.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed: it ends with the driver's own timeout
            return HealthCheckResult.Unhealthy($"the database did not answer within {timeout.TotalSeconds:F1} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The kind only: an exception's text may name hosts or users, and this answer is public.
            return HealthCheckResult.Unhealthy($"the database is unreachable ({(ex is System.Data.Common.DbException db ? DatabaseErrors.Classify(db) : ex.GetType().Name)})");
        }
    }
}
