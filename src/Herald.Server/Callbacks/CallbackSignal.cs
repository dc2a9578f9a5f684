namespace Herald.Server.Callbacks;

/// <summary>Wakes the callback dispatcher when new events are written, so they go out without waiting for a poll.</summary>
public sealed class CallbackSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); }
            catch (SemaphoreFullException) { } // another thread woke it first: one wake-up is enough
        }
    }

    public Task<bool> Wait(TimeSpan timeout, CancellationToken cancel) => _signal.WaitAsync(timeout, cancel);
}
