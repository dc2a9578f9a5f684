namespace Herald.Server.Hosting;

/// <summary>The <c>Herald:Health</c> section (<c>Herald__Health__Key</c>): what <c>/health/ready</c> tolerates.</summary>
public sealed class HealthOptions
{
    public const string Section = "Herald:Health";

    /// <summary>How long the database round trip may take before the node counts as not ready.</summary>
    public double DatabaseTimeoutSeconds { get; set; } = 2;

    /// <summary>
    /// How long one writer turn (open, run, commit a batch) may last before the writer counts as stalled. A batch of
    /// 2,000 writes commits in well under a second on a healthy disk; 10 s means the database or disk hangs.
    /// </summary>
    public double WriterStallSeconds { get; set; } = 10;

    /// <summary>SQLite only: free space the data directory's file system must keep (MiB); below it the node is not ready.</summary>
    public long MinFreeDiskMegabytes { get; set; } = 256;
}
