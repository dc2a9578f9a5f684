using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Herald.Core.Json;

namespace Herald.Core.Callbacks;

/// <summary>
/// An event's JSON is written once, when the event is stored, exactly as it goes out in a webhook POST (the APIs'
/// escaping: a phone's '+' stays '+'), and a POST's body is those stored bytes joined: no event is read back into
/// objects and written again for every POST.
/// </summary>
public static class CallbackJson
{
    private static readonly JsonSerializerOptions s_options = new(CoreJson.Default.Options)
    {
        // The same escaping as every API answer (JSON here is never inlined into HTML).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = CoreJson.Default,
    };

    private static readonly JsonTypeInfo<CallbackEvent> s_event = (JsonTypeInfo<CallbackEvent>)s_options.GetTypeInfo(typeof(CallbackEvent));

    public static byte[] Event(CallbackEvent evt) => JsonSerializer.SerializeToUtf8Bytes(evt, s_event);

    /// <summary>A POST's body, <c>{"events":[…]}</c>, from stored events' JSON, in the order given.</summary>
    public static byte[] Batch(IReadOnlyList<byte[]> events)
    {
        ReadOnlySpan<byte> head = """{"events":["""u8, tail = "]}"u8;
        var body = new byte[head.Length + tail.Length + events.Sum(e => e.Length) + Math.Max(0, events.Count - 1)];
        head.CopyTo(body);
        var at = head.Length;
        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0)
                body[at++] = (byte)',';
            events[i].CopyTo(body, at);
            at += events[i].Length;
        }
        tail.CopyTo(body.AsSpan(at));
        return body;
    }
}
