using System.Text;
using System.Text.Json;
using Herald.Core.Json;
using Herald.Core.Network;
using Herald.Core.Templates;

namespace Herald.Core.Tests.Fuzz;

/// <summary>Inputs the fuzz properties once failed on, kept exactly as found (see docs/fuzzing.md).</summary>
public class FoundByFuzzing
{
    /// <summary>
    /// CoreJsonFuzz, seed bwwhHgva6xj2: a timestamp the converter could not parse escaped as FormatException (and a null
    /// one as ArgumentNullException) instead of the JsonException every other malformed value raises.
    /// </summary>
    [Theory]
    [InlineData("""{"events":[{"event_id":"evt_2","type":"reply","timestamp":"2026-11-25T[7:16:19.000Z","text":"thanks"}]}""")]
    [InlineData("""{"events":[{"event_id":"evt_2","type":"reply","timestamp":null}]}""")]
    [InlineData("""{"events":[{"event_id":"evt_2","type":"reply","timestamp":1732500000}]}""")]
    [InlineData("""{"events":[{"event_id":"evt_2","type":"reply","timestamp":""}]}""")]
    public void A_malformed_callback_timestamp_is_a_JsonException(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), CoreJson.Default.CallbackBatch));

    /// <summary>
    /// TemplateTextFuzz, seed 8FEF26ouGZY1: a parameter whose JSON value was null threw NullReferenceException (a 500
    /// for POST /v1/messages with an approved template) instead of an error on that parameter.
    /// </summary>
    [Fact]
    public void A_null_template_parameter_is_an_error_on_that_parameter()
    {
        var (rendered, errors) = TemplateText.Render("{{bX0}}vJzBPnOx", new Dictionary<string, string> { ["bX0"] = null! });
        Assert.Null(rendered);
        Assert.Equal("must be a string", errors["template.params.bX0"]);
    }

    /// <summary>
    /// ApiJsonFuzzTests (server), seed dx6B34nGH5t2: <c>"allowed_ips":[null,…]</c> in an operator's business body reached
    /// Parse as a null entry and threw NullReferenceException (a 500) instead of being reported as invalid.
    /// </summary>
    [Fact]
    public void A_null_allowlist_entry_is_reported_as_invalid()
    {
        var list = IpAllowlist.Parse([null!, "10.0.0.0/8", "::1"], out var invalid);
        Assert.Equal(["null"], invalid);
        Assert.True(list.Admits(System.Net.IPAddress.Parse("10.1.2.3")));
    }
}
