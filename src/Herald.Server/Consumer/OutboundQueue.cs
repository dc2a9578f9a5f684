using System.Net.WebSockets;

namespace Herald.Server.Consumer;

/// <summary>
/// What waits to be sent to one device, sent in order by one writer at a time. The writer runs only while something
/// waits: an idle device holds no queue, no pending read and no writer state, where a <c>Channel</c> and a writer loop
/// held about 1 KiB per connected device.
/// </summary>
/// <param name="send">sends one item; false once nothing more may be sent (the close frame went out)</param>
public sealed class OutboundQueue(Func<object, Task<bool>> send)
{
    private readonly Lock _gate = new();
    private Queue<object>? _items;
    private Task _writer = Task.CompletedTask;
    private bool _writing;
    private bool _completed;

    /// <summary>Queues an item; false once the queue is completed.</summary>
    public bool TryWrite(object item)
    {
        lock (_gate)
        {
            if (_completed)
                return false;
            (_items ??= new Queue<object>()).Enqueue(item);
            if (!_writing)
            {
                _writing = true;
                _writer = Task.Run(Drain);
            }
            return true;
        }
    }

    /// <summary>Takes nothing more and drops what still waits; the task ends when the send under way does.</summary>
    public Task Complete()
    {
        lock (_gate)
        {
            _completed = true;
            _items = null;
            return _writer;
        }
    }

    private async Task Drain()
    {
        while (true)
        {
            object item;
            lock (_gate)
            {
                if (_items is not { Count: > 0 } items)
                {
                    // An idle device keeps no queue and no finished writer task.
                    (_items, _writing, _writer) = (null, false, Task.CompletedTask);
                    return;
                }
                item = items.Dequeue();
            }
            bool more;
            try
            {
                more = await send(item);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                more = false; // the connection is going: the device gets what waits on its next one
            }
            if (!more)
            {
                lock (_gate)
                {
                    (_completed, _items, _writing, _writer) = (true, null, false, Task.CompletedTask);
                    return;
                }
            }
        }
    }
}
