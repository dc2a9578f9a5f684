using System.Text.Json;
using CsCheck;
using Herald.Core.Callbacks;
using Herald.Core.Json;
using Herald.Core.Messages;
using Herald.Fuzzing;

namespace Herald.Core.Tests.Fuzz;

/// <summary>
/// The server turns a <see cref="JsonException"/> into a 400 (Http/JsonBody.cs catches exactly that type); any other
/// exception from the reader would be a 500. So mutated and random bytes may only ever raise JsonException.
/// </summary>
public class CoreJsonFuzz
{
    private const string SendSeed = """
        {"to":"+447700900123","category":"promotional","text":"Hi {{name}} 😀","url":"https://acme.example/t","image_url":"https://img.example/a.png",
         "button":{"caption":"Open","action":"app://orders/42"},"qr":"QR-1","template":{"id":"tpl_1","params":{"name":"Ann","n":"2"}},
         "ttl_seconds":3600,"tracking_data":"order-42"}
        """;

    private const string BatchSeed = """
        {"events":[{"event_id":"evt_1","type":"delivered","message_id":"msg_1","to":"+447700900123","timestamp":"2026-11-25T07:16:18.722Z","tracking_data":"t"},
         {"event_id":"evt_2","type":"reply","timestamp":"2026-11-25T07:16:19.000Z","text":"thanks"}]}
        """;

    private static T? ReadOnlyJsonErrors<T>(byte[] json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return default; // a 400 at the server
        }
    }

    [Fact]
    public void Mutated_send_requests_parse_or_raise_only_JsonException_and_what_parses_validates_without_throwing() =>
        JsonMutations.Of(SendSeed, """{"to":"+15551234567","category":"transactional","text":"x"}""", "{}").Fuzz(json =>
        {
            if (ReadOnlyJsonErrors(json, CoreJson.Default.SendMessageRequest) is { } request)
                MessageRules.Validate(request);
        }, 5_000, FuzzText.Hex);

    [Fact]
    public void Mutated_callback_batches_parse_or_raise_only_JsonException() =>
        JsonMutations.Of(BatchSeed, """{"events":[]}""").Fuzz(json => ReadOnlyJsonErrors(json, CoreJson.Default.CallbackBatch), 3_000, FuzzText.Hex);

    [Fact]
    public void A_request_reads_back_as_it_was_written() =>
        Gen.Frequency((1, Requests.Any), (1, Requests.Valid)).Where(r => AllText(r).All(s => s is null || !HasLoneSurrogate(s))).Fuzz(request =>
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(request, CoreJson.Default.SendMessageRequest);
            var back = JsonSerializer.Deserialize(json, CoreJson.Default.SendMessageRequest)!;
            Assert.Equal(request with { Button = null, Template = null }, back with { Button = null, Template = null });
            Assert.Equal(request.Button, back.Button);
            Assert.Equal(request.Template?.Id, back.Template?.Id);
            Assert.Equal(request.Template?.Params?.ToList(), back.Template?.Params?.ToList());
        }, 1_000);

    [Fact]
    public void A_callback_event_reads_back_with_its_timestamp_to_the_millisecond() =>
        Gen.Select(Gen.DateTimeOffset, Gen.Char.AlphaNumeric.Array[1, 20]).Fuzz(t =>
        {
            var written = new CallbackEvent { EventId = "evt_" + new string(t.Item2), Type = "delivered", Timestamp = t.Item1 };
            var json = JsonSerializer.SerializeToUtf8Bytes(new CallbackBatch([written]), CoreJson.Default.CallbackBatch);
            var read = JsonSerializer.Deserialize(json, CoreJson.Default.CallbackBatch)!.Events.Single();
            Assert.Equal(written.EventId, read.EventId);
            Assert.Equal(t.Item1.ToUnixTimeMilliseconds(), read.Timestamp.ToUnixTimeMilliseconds());
            Assert.Equal(TimeSpan.Zero, read.Timestamp.Offset);
        }, 2_000);

    private static IEnumerable<string?> AllText(SendMessageRequest r) =>
        new[] { r.To, r.Category, r.Text, r.Url, r.ImageUrl, r.Qr, r.TrackingData, r.Button?.Caption, r.Button?.Action, r.Template?.Id }
            .Concat(r.Template?.Params?.SelectMany(p => new[] { p.Key, p.Value }) ?? []);

    private static readonly System.Text.UTF8Encoding s_strict = new(false, throwOnInvalidBytes: true);

    private static bool HasLoneSurrogate(string s)
    {
        try
        {
            s_strict.GetByteCount(s);
            return false;
        }
        catch (System.Text.EncoderFallbackException)
        {
            return true;
        }
    }
}
