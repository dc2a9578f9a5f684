namespace Herald.Core.Callbacks;

/// <summary>
/// The bucket a business's callbacks belong to: in a cluster each bucket is sent by one node at a time, so a business's
/// events keep their order while the work spreads over the nodes. The hash must be the same on every node and across
/// restarts (string.GetHashCode is neither): FNV-1a over the id's UTF-16 code units.
/// </summary>
public static class CallbackBucket
{
    /// <summary>Enough buckets to spread evenly over a handful of nodes; few enough to lock them all on one connection.</summary>
    public const int Count = 64;

    public static int Of(string businessId)
    {
        var hash = 2166136261u;
        foreach (var c in businessId)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (int)(hash % Count);
    }
}
