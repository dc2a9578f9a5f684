using System.Data.Common;
using Herald.Storage;
using Microsoft.Extensions.Hosting;

namespace Herald.Server.Cluster;

/// <summary>
/// The loop of a service holding advisory locks of a shared database (PostgreSQL) on a session of its own: the locks
/// live exactly as long as that session, so once a second it opens the session if there is none, checks that it still
/// answers, and lets the service take or give back locks on it (<see cref="Hold"/>). When the session fails its locks
/// are gone (<see cref="Lost"/>) and the next round starts a new one. On a database of its own (SQLite) there is no
/// loop: the node holds everything.
/// </summary>
public abstract class LockSession(Database database) : BackgroundService
{
    private static readonly TimeSpan s_check = TimeSpan.FromSeconds(1);

    protected Database Store { get; } = database;

    /// <summary>Runs each round on a session that just answered: take or give back locks on it.</summary>
    protected abstract void Hold(DbConnection session);

    /// <summary>The session ended, and every lock it held with it: <paramref name="failure"/> is null when the service stops.</summary>
    protected abstract void Lost(Exception? failure);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!Store.Shared)
            return;
        DbConnection? session = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    session ??= Store.Open();
                    Database.Ping(session);
                    Hold(session);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    Lost(ex);
                    session?.Dispose();
                    session = null;
                }
                await Task.Delay(s_check, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            Lost(null);
            session?.Dispose();
        }
    }
}
