namespace Herald.Server.Tests.Faults;

/// <summary>
/// Tests that time how fast Herald answers through a fault (a frozen database must be answered within seconds)
/// run alone, after the rest of the suite: on a 2-core machine busy with a dozen other test servers, the thread
/// pool itself can take seconds to run the watchdog, and the figure measured would be the machine's, not Herald's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults: alone";
}
