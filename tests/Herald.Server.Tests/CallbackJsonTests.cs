using System.Text;
using System.Text.Json;
using Herald.Core.Callbacks;
using Herald.Core.Json;
using Herald.Server.Http;

namespace Herald.Server.Tests;

/// <summary>
/// A webhook POST's body is joined from the events' JSON as stored, not serialized per POST: it must be byte for byte
/// what serializing the batch with the APIs' own settings gives, or receivers would see the format change.
/// </summary>
public class CallbackJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 21, 40, 1, 234, TimeSpan.Zero);

    private static readonly CallbackEvent[] Events =
    [
        new() { EventId = "evt_1", Type = "delivered", MessageId = "msg_1", Category = "transactional", To = "+15550100", Timestamp = At, TrackingData = "order <42> & \"more\"" },
        new() { EventId = "evt_2", Type = "failed", MessageId = "msg_2", To = "+4915550100", Timestamp = At, Reason = "blocked", CampaignId = "cmp_1" },
        new() { EventId = "evt_3", Type = "reply", To = "+15550100", Timestamp = At, Text = "Grüße, ok 👍 \\ / \u0001 \u2028" },
    ];

    [Fact]
    public void A_body_joined_from_stored_events_is_the_batch_serialized_with_the_api_settings()
    {
        for (var count = 0; count <= Events.Length; count++)
        {
            var batch = Events.Take(count).ToList();
            var expected = JsonSerializer.SerializeToUtf8Bytes(new CallbackBatch(batch), ApiJson.Type<CallbackBatch>());
            var joined = CallbackJson.Batch([.. batch.Select(CallbackJson.Event)]);
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(joined));
        }
    }

    [Fact]
    public void A_stored_event_reads_back_as_the_same_event()
    {
        foreach (var evt in Events)
            Assert.Equal(evt, JsonSerializer.Deserialize(CallbackJson.Event(evt), CoreJson.Default.CallbackEvent));
        // The APIs' escaping: a phone's '+' stays '+' (the default encoder writes \u002B).
        Assert.Contains("\"to\":\"+15550100\"", Encoding.UTF8.GetString(CallbackJson.Event(Events[0])));
    }
}
