using System.Data.Common;
using Npgsql;

namespace Herald.Storage.Postgres;

/// <summary>
/// PostgreSQL, for Herald across several nodes: every node reads and writes the same database, which stays the only
/// source of truth. Connections come from Npgsql's pool; statements used often are prepared automatically.
/// </summary>
public sealed class PostgresDatabase : Database, IDisposable
{
    // Any constants: advisory locks that make concurrent starts migrate one at a time, and that elect the leader.
    private const long MigrationLock = 0x4865_7261_6C64_0001;
    private const long LeaderLock = 0x4865_7261_6C64_0002;
    // The callback buckets: two-key advisory locks (this key, the bucket), a space apart from the one-key locks above.
    private const int BucketLocks = 0x4865_7262;
    // The writer's statements: long enough for an hourly retention DELETE on a big table, short of hanging for good.
    private const int WriterCommandTimeoutSeconds = 30;
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _writerSource;

    /// <param name="patience">
    /// Becomes the command timeout of reads (and bounds the connect timeout), unless the connection string sets its
    /// own (Timeout=, Command Timeout=): Npgsql's defaults (15 and 30 s) would keep a request hanging that long on a
    /// stopped server.
    /// </param>
    public PostgresDatabase(string connectionString, TimeSpan? patience = null)
    {
        Patience = patience ?? Patience;
        var seconds = Math.Max(1, (int)Math.Ceiling(Patience.TotalSeconds));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var defaults = new NpgsqlConnectionStringBuilder();
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 128;
            builder.AutoPrepareMinUsages = 2;
        }
        // Connecting takes milliseconds on a healthy network; Npgsql also spends this (twice, with SSL preferred) on
        // the cancellation request a timed-out read sends, so a read under way when the server froze gives up after
        // about Command Timeout + 2 x Timeout.
        if (builder.Timeout == defaults.Timeout)
            builder.Timeout = Math.Min(seconds, 2);
        // On a command timeout Npgsql asks the server to cancel and waits for that (2 s by default, and longer on a
        // frozen server); -1 drops the connection at once instead, which is what a timed-out read needs anyway.
        if (builder.CancellationTimeout == defaults.CancellationTimeout)
            builder.CancellationTimeout = -1;
        var writer = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { ApplicationName = builder.ApplicationName ?? "herald-writer" };
        if (builder.CommandTimeout == defaults.CommandTimeout)
        {
            builder.CommandTimeout = seconds;
            writer.CommandTimeout = WriterCommandTimeoutSeconds;
        }
        _source = NpgsqlDataSource.Create(builder);
        _writerSource = NpgsqlDataSource.Create(writer);
    }

    public override string MessageOrder => "seq";
    public override string LockRows => " FOR UPDATE";
    public override string IntegersOf(string jsonParameter) =>
        $"SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST({jsonParameter} AS JSON))";
    public override bool Shared => true;

    public override DbConnection Open() => _source.OpenConnection();

    public override DbConnection OpenForWriter() => _writerSource.OpenConnection();

    public override bool IsUniqueViolation(Exception ex) => ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>
    /// Disk full (53100) and out of memory are "full"; a connection failure (class 08), the server shutting down or
    /// starting (57P01–57P03), too many connections (53300), a cancelled statement (57014: our timeout) and any
    /// network-level failure are "unavailable".
    /// </summary>
    protected override StoreFault ClassifyEngine(Exception ex) => ex switch
    {
        PostgresException { SqlState: PostgresErrorCodes.DiskFull or PostgresErrorCodes.OutOfMemory } => StoreFault.Full,
        PostgresException p when p.SqlState.StartsWith("08", StringComparison.Ordinal)
            || p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.QueryCanceled => StoreFault.Unavailable,
        PostgresException => StoreFault.None,
        NpgsqlException => StoreFault.Unavailable, // not from the server: the connection broke or timed out
        _ => StoreFault.None,
    };

    public override void DropIdleConnections()
    {
        base.DropIdleConnections();
        _source.Clear();
    }

    /// <summary>A session-level advisory lock: PostgreSQL frees it the moment the holder's connection ends (its node died).</summary>
    public override bool TryLead(DbConnection connection) =>
        Sql.Scalar<bool>(connection, null, "SELECT pg_try_advisory_lock(@k)", ("@k", LeaderLock));

    /// <summary>
    /// The other buckets in random order (so nodes taking at the same time do not contend for the same ones), one
    /// pg_try_advisory_lock each (it never waits) until enough are taken. One statement per bucket on purpose: in a
    /// single query with LIMIT, PostgreSQL may evaluate the lock call on more rows than it returns, and a lock taken but
    /// not returned would stay held by this session unknown to its node.
    /// </summary>
    public override List<int> TryTakeBuckets(DbConnection connection, int count, IReadOnlyCollection<int> held, int wanted)
    {
        var taken = new List<int>();
        foreach (var bucket in Enumerable.Range(0, count).Except(held).OrderBy(_ => Random.Shared.Next()))
        {
            if (taken.Count >= wanted)
                break;
            if (Sql.Scalar<bool>(connection, null, "SELECT pg_try_advisory_lock(@key, @b)", ("@key", BucketLocks), ("@b", bucket)))
                taken.Add(bucket);
        }
        return taken;
    }

    public override void ReleaseBucket(DbConnection connection, int bucket) =>
        Sql.Exec(connection, null, "SELECT pg_advisory_unlock(@key, @b)", ("@key", BucketLocks), ("@b", bucket));

    public override MigrationReport Migrate()
    {
        using var connection = Open();
        // Without a timeout: another node may be migrating, for as long as that takes.
        Execute(connection, $"SELECT pg_advisory_lock({MigrationLock})", timeoutSeconds: 0);
        try
        {
            return ApplyMigrations(connection, Migrations.Postgres);
        }
        finally
        {
            Sql.Exec(connection, null, "SELECT pg_advisory_unlock(@k)", ("@k", MigrationLock));
        }
    }

    protected override string ColumnExists =>
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t AND column_name = @c";

    /// <summary>Host, port and database of the connection string; never its password.</summary>
    public override string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(_source.ConnectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    public void Dispose()
    {
        _source.Dispose();
        _writerSource.Dispose();
    }
}
