namespace Herald.Server.Hosting;

/// <summary>The <c>Herald:Health</c> section (<c>Herald__Health__Key</c>): what <c>/health/ready</c> tolerates.</summary>
public sealed class HealthOptions
{
    public const string Section = "Herald:Health";

    /// <summary>How long the database round trip may take before the node counts as not ready.</summary>
    public double DatabaseTimeoutSeconds { get; set; } = 2;

    /// <summary>SQLite only: free space the data directory's file system must keep (MiB); below it the node is not ready.</summary>
    public long MinFreeDiskMegabytes { get; set; } = 256;
}
