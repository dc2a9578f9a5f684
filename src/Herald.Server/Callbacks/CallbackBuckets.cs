using System.Data.Common;
using Herald.Core.Callbacks;
using Herald.Server.Cluster;
using Herald.Storage;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Callbacks;

/// <summary>
/// Which businesses' callbacks this node sends. Businesses fall into <see cref="CallbackBucket.Count"/> buckets by a
/// hash of their id; on a shared database (PostgreSQL) each bucket is sent by the one node holding its advisory lock,
/// so a business's events still go out one POST at a time, in order, while the buckets spread over the live nodes
/// (<see cref="ClusterMembers"/>): each node keeps about its share and gives extra buckets back for newcomers. A bucket
/// changes hands in one of two ways, and neither can reorder or drop events: given back only once this node has no
/// POST of it in flight (each POST's outcome is committed first), or freed by PostgreSQL when its holder's session
/// ends (the node died; a POST it had in flight may then arrive twice, as after any crash: receivers de-duplicate by
/// event_id). On a database of its own (SQLite) this node holds every bucket.
/// </summary>
public sealed partial class CallbackBuckets(Database database, ClusterMembers members, CallbackSignal signal, ILogger<CallbackBuckets> log)
    : LockSession(database)
{
    private readonly object _gate = new();
    private readonly HashSet<int> _held = [];
    private readonly HashSet<int> _leaving = []; // held, being given back: no new POSTs start
    private readonly int[] _inFlight = new int[CallbackBucket.Count];
    private int _share = CallbackBucket.Count;

    /// <summary>How many buckets this node holds (all of them on SQLite), for the metrics.</summary>
    public int Held
    {
        get
        {
            if (!Store.Shared)
                return CallbackBucket.Count;
            lock (_gate)
                return _held.Count;
        }
    }

    /// <summary>Counts a POST for the business as in flight when this node may send it now; else false.</summary>
    public bool TryStart(string businessId)
    {
        var bucket = CallbackBucket.Of(businessId);
        lock (_gate)
        {
            if (Store.Shared && (!_held.Contains(bucket) || _leaving.Contains(bucket)))
                return false;
            _inFlight[bucket]++;
            return true;
        }
    }

    /// <summary>The POST started by <see cref="TryStart"/> is over and its outcome stored.</summary>
    public void Finish(string businessId)
    {
        lock (_gate)
            _inFlight[CallbackBucket.Of(businessId)]--;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Telemetry.ClusterMetrics.Track(this);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        Telemetry.ClusterMetrics.Untrack(this);
        base.Dispose();
    }

    protected override void Hold(DbConnection session)
    {
        if (Rebalance(session))
            signal.WakeHere(); // new buckets may have events waiting
    }

    /// <summary>The session ended or broke: PostgreSQL freed its locks, so this node sends nothing until it takes some again.</summary>
    protected override void Lost(Exception? failure)
    {
        if (failure is not null)
            LogLostBuckets(failure);
        lock (_gate)
        {
            _held.Clear();
            _leaving.Clear();
        }
    }

    /// <summary>Takes free buckets up to this node's share, or gives back those above it; true when it took some.</summary>
    private bool Rebalance(DbConnection session)
    {
        var live = members.LiveNodes;
        var share = (CallbackBucket.Count + live - 1) / live;
        if (share != _share)
            LogShare(share, live);
        _share = share;
        int[] held, idle;
        lock (_gate)
        {
            foreach (var extra in _held.Except(_leaving).Take(Math.Max(0, _held.Count - _leaving.Count - share)).ToList())
                _leaving.Add(extra);
            idle = [.. _leaving.Where(b => _inFlight[b] == 0)];
            held = [.. _held];
        }
        foreach (var bucket in idle)
        {
            Store.ReleaseBucket(session, bucket);
            lock (_gate)
            {
                _held.Remove(bucket);
                _leaving.Remove(bucket);
            }
        }
        var wanted = share - (held.Length - idle.Length);
        if (wanted <= 0 || idle.Length > 0)
            return false; // this round gave buckets back: leave them to the others for a round
        var taken = Store.TryTakeBuckets(session, CallbackBucket.Count, held, wanted);
        lock (_gate)
            _held.UnionWith(taken);
        if (taken.Count > 0)
            LogTook(taken.Count, held.Length + taken.Count, members.LiveNodes);
        return taken.Count > 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This node took {Taken} callback buckets; it now sends callbacks for {Held} of 64 ({Nodes} live nodes)")]
    private partial void LogTook(int taken, int held, int nodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "This node's share of the callback buckets is now {Share} of 64 ({Nodes} live nodes)")]
    private partial void LogShare(int share, int nodes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The session holding this node's callback buckets failed; they go to the other nodes")]
    private partial void LogLostBuckets(Exception ex);
}
