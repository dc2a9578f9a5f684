namespace Herald.Storage;

/// <summary>What a failed database call says about the database, as far as a caller should know.</summary>
public enum StoreFault
{
    /// <summary>Not a database failure Herald can name (a bug, a constraint): the caller's own error handling applies.</summary>
    None,
    /// <summary>The database cannot be reached, is restarting, or did not answer in time. Trying again later works.</summary>
    Unavailable,
    /// <summary>The disk under the database is full. Trying again works once space is freed.</summary>
    Full,
}

/// <summary>
/// A write the database did not answer in time. Mostly it was never started, so nothing of it is stored; with
/// <see cref="OutcomeUnknown"/> it had been sent when the database stopped answering, and may still be committed.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    public bool OutcomeUnknown { get; init; }

    /// <summary>Refused without asking the database (it is known to be away): says nothing new about it.</summary>
    public bool WithoutTrying { get; init; }
}
