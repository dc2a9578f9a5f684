using System.Data.Common;
using Herald.Core.Telemetry;

namespace Herald.Storage;

/// <summary>Writes that change message statuses, counted into the metrics once they committed.</summary>
internal static class CountedWrites
{
    /// <summary>
    /// Like <see cref="Writer.Write{T}"/>, with a fresh <see cref="LifecycleTally"/> for each run of the work (it may
    /// run twice); only the tally of the run that committed is recorded.
    /// </summary>
    public static async Task<T> WriteCounted<T>(this Writer writer, Func<DbConnection, DbTransaction, LifecycleTally, T> work)
    {
        var (result, tally) = await writer.Write((c, tx) =>
        {
            var tally = new LifecycleTally();
            return (work(c, tx, tally), tally);
        });
        tally.Record();
        return result;
    }
}
