using System.Collections.Concurrent;
using System.Diagnostics;
using Herald.Core.Telemetry;

namespace Herald.Server.Telemetry;

/// <summary>
/// The spans that follow one message: <c>herald.message.accept</c> (in the send request) with its child
/// <c>herald.message.store</c> (the durable write), then <c>herald.message.push</c>, <c>herald.message.ack</c> and
/// <c>herald.callback.send</c>, which happen later on other tasks. Those later spans are children of the message's
/// accept span while this node remembers it (in memory, only while tracing is on); a span about several messages (an
/// ack frame naming many, a callback POST carrying many events) links to each message's accept span instead. Every span
/// about one message carries <c>herald.message.id</c>, so a message accepted on another node or before a restart is
/// still found by that attribute. With nobody listening every method returns null after one flag check.
/// </summary>
public static class MessageTracing
{
    public const string MessageId = "herald.message.id";
    public const string MessageCount = "herald.message.count";

    // Enough for the messages of a busy minute; past it the memory is dropped at once (the later spans then start
    // traces of their own, found by herald.message.id), so tracing can never hold more than a few MB.
    private const int MaxRemembered = 100_000;
    private static readonly ConcurrentDictionary<string, ActivityContext> s_acceptedIn = new(StringComparer.Ordinal);
    private static int s_remembered;

    /// <summary>Someone listens: worth building what a span needs (ids, links).</summary>
    public static bool Enabled => HeraldTelemetry.Source.HasListeners();

    public static Activity? StartAccept(int count, string? singleId)
    {
        if (!HeraldTelemetry.Source.HasListeners())
            return null;
        var activity = HeraldTelemetry.Source.StartActivity("herald.message.accept");
        activity?.SetTag(MessageCount, count);
        if (singleId is not null)
            activity?.SetTag(MessageId, singleId);
        return activity;
    }

    public static Activity? StartStore() =>
        HeraldTelemetry.Source.HasListeners() ? HeraldTelemetry.Source.StartActivity("herald.message.store") : null;

    /// <summary>Keeps the accept span's context for the message's later spans.</summary>
    public static void Remember(Activity? accept, string messageId)
    {
        if (accept is null)
            return;
        if (Interlocked.Increment(ref s_remembered) > MaxRemembered)
        {
            s_acceptedIn.Clear();
            Interlocked.Exchange(ref s_remembered, 0);
        }
        s_acceptedIn[messageId] = accept.Context;
    }

    /// <summary>The message reached the end of its life (its last callback went out): its accept context is not needed.</summary>
    public static void Forget(string messageId)
    {
        if (s_acceptedIn.TryRemove(messageId, out _))
            Interlocked.Decrement(ref s_remembered);
    }

    public static Activity? StartPush(string messageId) =>
        HeraldTelemetry.Source.HasListeners() ? StartFollowing("herald.message.push", ActivityKind.Producer, [messageId]) : null;

    public static Activity? StartAck(IReadOnlyCollection<string> messageIds, string ack)
    {
        if (!HeraldTelemetry.Source.HasListeners())
            return null;
        var activity = StartFollowing("herald.message.ack", ActivityKind.Consumer, messageIds);
        activity?.SetTag("herald.ack", ack);
        return activity;
    }

    public static Activity? StartCallback(string businessId, IReadOnlyCollection<string> messageIds)
    {
        if (!HeraldTelemetry.Source.HasListeners())
            return null;
        var activity = StartFollowing("herald.callback.send", ActivityKind.Client, messageIds);
        activity?.SetTag("herald.business.id", businessId);
        return activity;
    }

    private static Activity? StartFollowing(string name, ActivityKind kind, IReadOnlyCollection<string> messageIds)
    {
        var contexts = new List<ActivityContext>();
        foreach (var id in messageIds)
        {
            if (s_acceptedIn.TryGetValue(id, out var context) && !contexts.Contains(context))
                contexts.Add(context);
        }
        // Not a child of whatever is current (the device's long-lived WebSocket request, the dispatcher's loop): the
        // message's own accept span is the parent when there is one, else this span starts a trace of its own.
        Activity.Current = null;
        var activity = contexts.Count == 1
            ? HeraldTelemetry.Source.StartActivity(name, kind, contexts[0])
            : HeraldTelemetry.Source.StartActivity(name, kind, default(ActivityContext), links: contexts.Select(c => new ActivityLink(c)));
        if (activity is null)
            return null;
        activity.SetTag(MessageCount, messageIds.Count);
        if (messageIds.Count == 1)
            activity.SetTag(MessageId, messageIds.First());
        return activity;
    }
}
