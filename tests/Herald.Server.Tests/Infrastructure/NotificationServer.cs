using System.Collections.Concurrent;
using Tmds.DBus;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// The desktop's notification server, as a test sees it: it owns <c>org.freedesktop.Notifications</c> on a private
/// session bus (Desktop Notifications Specification 1.2), keeps every notification a program asked it to show, and
/// can do what a desktop does when the person clicks one: emit <c>ActionInvoked(id, "default")</c>, then
/// <c>NotificationClosed(id, 2)</c> (dismissed by the user). Chromium shows web notifications through this server when
/// one is on its session bus, and takes that signal for the person's click.
/// </summary>
public sealed class NotificationServer : IAsyncDisposable
{
    private readonly Connection _connection;
    private readonly Notifications _notifications = new();

    private NotificationServer(Connection connection) => _connection = connection;

    public static async Task<NotificationServer> Register(string busAddress)
    {
        var connection = new Connection(busAddress);
        await connection.ConnectAsync();
        var server = new NotificationServer(connection);
        await connection.RegisterObjectAsync(server._notifications);
        await connection.RegisterServiceAsync(Notifications.Service);
        return server;
    }

    /// <summary>Every notification shown so far, oldest first (a replaced one appears again under its id).</summary>
    public IReadOnlyList<Shown> All => [.. _notifications.Shown];

    /// <summary>The ids a program closed itself (CloseNotification).</summary>
    public IReadOnlyCollection<uint> ClosedByProgram => [.. _notifications.ClosedByProgram];

    /// <summary>Waits for a notification matching <paramref name="match"/>, and says what was shown if none comes.</summary>
    public async Task<Shown> WaitFor(Func<Shown, bool> match, string what, TimeSpan? timeout = null)
    {
        Shown? found = null;
        try
        {
            await Wait.Until(() => (found = All.LastOrDefault(match)) is not null, timeout ?? TimeSpan.FromSeconds(30), what);
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{timedOut.Message} Shown on the desktop: [{string.Join("; ", All.Select(n => $"{n.Summary} / {n.Body}"))}]", timedOut);
        }
        return found!;
    }

    /// <summary>The person clicks the notification: its default action, then it goes away, as on a desktop.</summary>
    public void Click(uint id)
    {
        _notifications.Emit(id, "default");
        _notifications.Close(id, reason: 2);
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One Notify call, as the program sent it.</summary>
    public sealed record Shown(uint Id, string AppName, string AppIcon, string Summary, string Body, IReadOnlyList<string> Actions,
        IReadOnlyDictionary<string, object> Hints)
    {
        /// <summary>The action keys (every other entry of the actions array): "default" is the click on the notification.</summary>
        public IEnumerable<string> ActionKeys => Actions.Where((_, i) => i % 2 == 0);
    }

    [DBusInterface(Notifications.Service)]
    public interface INotifications : IDBusObject
    {
        Task<string[]> GetCapabilitiesAsync();
        Task<uint> NotifyAsync(string appName, uint replacesId, string appIcon, string summary, string body, string[] actions,
            IDictionary<string, object> hints, int expireTimeout);
        Task CloseNotificationAsync(uint id);
        Task<(string name, string vendor, string version, string specVersion)> GetServerInformationAsync();
        Task<IDisposable> WatchNotificationClosedAsync(Action<(uint id, uint reason)> handler, Action<Exception>? onError = null);
        Task<IDisposable> WatchActionInvokedAsync(Action<(uint id, string actionKey)> handler, Action<Exception>? onError = null);
    }

    private sealed class Notifications : INotifications
    {
        public const string Service = "org.freedesktop.Notifications";
        private int _lastId;
        private readonly List<Action<(uint, uint)>> _closedHandlers = [];
        private readonly List<Action<(uint, string)>> _actionHandlers = [];

        public ConcurrentQueue<Shown> Shown { get; } = new();
        public ConcurrentQueue<uint> ClosedByProgram { get; } = new();
        public ObjectPath ObjectPath => new("/org/freedesktop/Notifications");

        // "body": plain text bodies; "actions": the default action (a click) is delivered. Nothing else, so programs
        // send no markup or hyperlinks.
        public Task<string[]> GetCapabilitiesAsync() => Task.FromResult(new[] { "actions", "body" });

        public Task<uint> NotifyAsync(string appName, uint replacesId, string appIcon, string summary, string body, string[] actions,
            IDictionary<string, object> hints, int expireTimeout)
        {
            var id = replacesId != 0 ? replacesId : (uint)Interlocked.Increment(ref _lastId);
            Shown.Enqueue(new Shown(id, appName, appIcon, summary, body, actions, new Dictionary<string, object>(hints)));
            return Task.FromResult(id);
        }

        public Task CloseNotificationAsync(uint id)
        {
            ClosedByProgram.Enqueue(id);
            Close(id, reason: 3); // closed by a call to CloseNotification
            return Task.CompletedTask;
        }

        public Task<(string name, string vendor, string version, string specVersion)> GetServerInformationAsync() =>
            Task.FromResult(("herald-tests", "Herald", "1.0", "1.2"));

        public Task<IDisposable> WatchNotificationClosedAsync(Action<(uint id, uint reason)> handler, Action<Exception>? onError = null) =>
            Watch(_closedHandlers, handler);

        public Task<IDisposable> WatchActionInvokedAsync(Action<(uint id, string actionKey)> handler, Action<Exception>? onError = null) =>
            Watch(_actionHandlers, handler);

        public void Emit(uint id, string actionKey)
        {
            foreach (var handler in Snapshot(_actionHandlers))
                handler((id, actionKey));
        }

        public void Close(uint id, uint reason)
        {
            foreach (var handler in Snapshot(_closedHandlers))
                handler((id, reason));
        }

        // Tmds.DBus subscribes once per registered object and turns each call of the handler into the signal on the bus.
        private static Task<IDisposable> Watch<T>(List<Action<T>> handlers, Action<T> handler)
        {
            lock (handlers)
                handlers.Add(handler);
            return Task.FromResult<IDisposable>(new Unsubscribe(() => { lock (handlers) handlers.Remove(handler); }));
        }

        private static Action<T>[] Snapshot<T>(List<Action<T>> handlers)
        {
            lock (handlers)
                return [.. handlers];
        }
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
