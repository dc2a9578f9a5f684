using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using Herald.Fuzzing;
using Herald.Server.Consumer;
using Herald.Server.Http;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Security;

/// <summary>
/// API4/API8 on the device socket: scripts of mutated, oversized, fragmented, binary, invalid-UTF-8 and flooded frames.
/// Each connection either stays open (and answers a probe frame with an error frame) or is closed with the status the
/// protocol names for what was sent: 1007 invalid UTF-8 in a text frame, 1008 a failed first-frame sign-in or a flood, 1009 a
/// frame over 64 KiB; never cut off without a close. Afterwards the server is healthy, a fresh device works, and a
/// message sent before the fuzzing is delivered.
/// </summary>
public sealed class WebSocketFuzzTests
{
    private const string Phone = "+447700900123"; // never fuzzed: its message must survive
    private const string FuzzPhone = "+447700900456";
    private static readonly string[] s_errorCodes = ["invalid_frame", "unknown_type", "not_two_way", "not_found", "restricted", "unauthorized"];
    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    private sealed record Frame(byte[] Payload, bool Binary, int[] Cuts, int Repeat)
    {
        public override string ToString() =>
            $"{(Binary ? "binary" : "text")} x{Repeat} cuts [{string.Join(',', Cuts)}] {(Payload.Length > 300 ? $"{Payload.Length} bytes" : FuzzText.Hex(Payload))}";
    }

    private sealed record Script(bool TokenInFrame, Frame[] Frames)
    {
        public override string ToString() => $"{(TokenInFrame ? "auth frame" : "auth header")}: {string.Join(" | ", Frames.Select(f => f.ToString()))}";
    }

    /// <summary>A valid ack padded to exactly <paramref name="size"/> bytes: the frame limit's edges with content the server accepts.</summary>
    private static byte[] Padded(int size)
    {
        const string head = """{"type":"seen","message_ids":["x""";
        return Encoding.ASCII.GetBytes(head + new string('x', size - head.Length - 3) + "\"]}");
    }

    [Fact]
    public async Task Fuzzed_frames_get_an_error_frame_or_a_proper_close_and_nothing_is_lost()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(twoWay: true);
        var token = await host.SignIn(Phone);
        var fuzzToken = await host.SignIn(FuzzPhone);
        var waiting = await business.SendOk(new { to = Phone, category = "transactional", text = "Sent before the fuzzing" });
        var fuzzed = await business.SendOk(new { to = FuzzPhone, category = "transactional", text = "Acked by the fuzzer" });

        var auth = $$"""{"type":"auth","token":"{{fuzzToken}}"}""";
        var seeds = new[]
        {
            $$"""{"type":"delivered","message_ids":["{{fuzzed}}","msg_unknown"]}""", $$"""{"type":"seen","message_ids":["{{fuzzed}}"]}""",
            $$"""{"type":"reply","business_id":"{{business.Id}}","message_id":"{{fuzzed}}","text":"Thanks 😀","ref":"r1"}""", auth,
        };
        var frame = Gen.Select(
            Gen.Frequency((8, JsonMutations.Of(seeds)), (2, Gen.OneOf(4095, 4096, 4097, 65535, 65536, 65537, 70_000, 200_000).Select(Padded)), (1, Gen.Byte.Array[0, 200])),
            Gen.Frequency((5, Gen.Const(false)), (1, Gen.Const(true))),
            Gen.Frequency((3, Gen.Const(Array.Empty<int>())), (2, Gen.Frequency((3, Gen.Int), (1, Gen.OneOf(int.MinValue, int.MaxValue))).Array[1, 3])),
            Gen.Frequency((30, Gen.Const(1)), (1, Gen.Int[20, 300])),
            (payload, binary, cuts, repeat) => new Frame(payload, binary, cuts, repeat));
        var scripts = Gen.Select(Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true))), Gen.Bool, frame.Array[1, 5])
            .Select((inFrame, authFirst, frames) => new Script(inFrame,
                inFrame && authFirst ? [new Frame(Encoding.UTF8.GetBytes(auth), false, [], 1), .. frames] : frames));

        var probes = 0;
        await scripts.FuzzAsync(async script => await Run(host.BaseAddress, fuzzToken, script, $"probe-{Interlocked.Increment(ref probes)}"), 150,
            s => s.ToString());

        using var client = host.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.DoesNotContain(host.Logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal));
        await using (var device = await host.Connect(token))
        {
            while ((await device.Next("message")).GetProperty("message").GetProperty("message_id").GetString() != waiting)
            {
            }
            await device.Ack("delivered", waiting);
            await business.WaitForStatus(waiting, "delivered");
        }
        var after = await business.SendOk(new { to = FuzzPhone, category = "transactional", text = "Sent after the fuzzing" });
        await using var fresh = await host.Connect(fuzzToken);
        while ((await fresh.Next("message")).GetProperty("message").GetProperty("message_id").GetString() != after)
        {
        }
    }

    /// <summary>
    /// The first frame that must end the connection and the close statuses the protocol allows for it, or null if none must.
    /// </summary>
    private static (int Frame, WebSocketCloseStatus[] Statuses)? ExpectedClose(Script script, string token)
    {
        for (var i = 0; i < script.Frames.Length; i++)
        {
            var f = script.Frames[i];
            var utf8 = f.Binary || IsUtf8(f.Payload);
            // A sign-in frame is read in one piece of at most 4 KiB, so invalid UTF-8 past its first fragment goes unseen.
            // Binary frames are refused with 1003 wherever they come (a too-big one is 1009 once signed in: size is checked first).
            if (f.Binary && (i == 0 && script.TokenInFrame || f.Payload.Length <= DeviceSession.MaxFrameBytes))
                return (i, [WebSocketCloseStatus.InvalidMessageType]);
            if (i == 0 && script.TokenInFrame && (!utf8 || f.Cuts.Length > 0 || f.Payload.Length > 4096 || !IsAuth(f.Payload, token)))
                return (i, utf8 ? [WebSocketCloseStatus.PolicyViolation] : [WebSocketCloseStatus.PolicyViolation, WebSocketCloseStatus.InvalidPayloadData]);
            if (!utf8)
                return (i, [WebSocketCloseStatus.InvalidPayloadData]);
            if (f.Payload.Length > DeviceSession.MaxFrameBytes)
                return (i, [WebSocketCloseStatus.MessageTooBig]);
        }
        return null;
    }

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            s_strictUtf8.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Whether the server will take this first frame as the device's sign-in (read as the server reads frames).</summary>
    private static bool IsAuth(byte[] payload, string token)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, ApiJson.Type<DeviceFrame>()) is { Type: "auth" } f && f.Token == token;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends the script up to the frame that must end the connection (a client that then waits for the close, as a
    /// well-behaved one would), else to its end and a probe; then reads until the probe's answer or the close.
    /// </summary>
    private static async Task Run(Uri server, string token, Script script, string probe)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var expected = ExpectedClose(script, token);
        await using var socket = await TestDevice.Connect(server, script.TokenInFrame ? null : token);
        foreach (var (f, i) in script.Frames.Select((f, i) => (f, i)).Take(expected is { } e ? e.Frame + 1 : script.Frames.Length))
        {
            for (var n = 0; n < (i == expected?.Frame ? 1 : f.Repeat); n++)
            {
                if (!await socket.SendFragments(f.Payload, f.Binary, f.Cuts, timeout.Token))
                    break;
            }
        }
        // After invalid UTF-8 too: .NET does not flag a sequence cut short by an empty final fragment, and then the
        // server reads the frame as bad JSON, answers invalid_frame and keeps the connection, which is as good.
        var lenient = expected?.Statuses is [WebSocketCloseStatus.InvalidPayloadData];
        // More frames than the flood limit's burst may be cut short with 1008, depending on how fast they went.
        var flood = script.Frames.Sum(f => f.Repeat) > DeviceSession.FrameBurst;
        if (expected is null || lenient)
            await socket.SendFragments(Encoding.UTF8.GetBytes($$"""{"type":"probe","ref":"{{probe}}"}"""), false, [], timeout.Token);

        while (await socket.NextFrame(timeout.Token) is { } received)
        {
            var type = received.GetProperty("type").GetString();
            // read and reply_echo: the fuzzer's other connections are the same consumer's other devices.
            Assert.True(type is "ready" or "message" or "acked" or "reply_sent" or "read" or "reply_echo" or "error", $"unexpected frame {received}");
            if (type == "error")
            {
                Assert.Contains(received.GetProperty("code").GetString(), s_errorCodes);
                if (received.TryGetProperty("ref", out var r) && r.GetString() == probe)
                {
                    Assert.True(expected is null || lenient, "the connection stayed open");
                    return; // the connection survived everything before the probe
                }
            }
        }
        await socket.WaitClosed(TimeSpan.FromSeconds(10));
        // On invalid UTF-8 .NET's WebSocket sends its 1007 and aborts the connection at once: the reset can overtake
        // the close frame. That is the runtime's way of failing a connection (RFC 6455 7.1.7), not the server's.
        if (expected?.Statuses.Contains(WebSocketCloseStatus.InvalidPayloadData) == true && socket.CloseStatus is null)
            return;
        if (flood && socket.CloseStatus == WebSocketCloseStatus.PolicyViolation)
            return;
        Assert.True(expected is { } allowed ? socket.CloseStatus is { } status && allowed.Statuses.Contains(status) : socket.CloseStatus is null,
            $"expected {(expected is { } x ? string.Join(" or ", x.Statuses) : "the connection to stay open")}, got {(socket.CloseStatus?.ToString() ?? "cut off without a close frame")}");
    }
}
