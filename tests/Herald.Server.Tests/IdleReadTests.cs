using System.Text;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>
/// The gateway waits for a device's next frame with a zero-byte receive and rents a buffer only once the frame has
/// begun (so idle devices hold none). The edges of that wait: an empty text message, a message whose first fragment
/// is empty, and one larger than the first buffer, each read whole and answered.
/// </summary>
public sealed class IdleReadTests
{
    private const string Ann = "+447700900232";

    [Fact]
    public async Task An_empty_frame_an_empty_first_fragment_and_a_frame_larger_than_the_first_buffer_are_each_read_whole()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(webhook: false);
        var token = await host.SignIn(Ann);
        var first = await acme.SendOk(new { to = Ann, category = "transactional", text = "one" });
        var second = await acme.SendOk(new { to = Ann, category = "transactional", text = "two" });
        await using var device = await host.Connect(token);
        await device.Next("message");
        await device.Next("message");

        // An empty text message: the zero-byte receive already holds all of it. Answered as a frame that is not JSON.
        Assert.True(await device.SendFragments([], binary: false, [], CancellationToken.None));
        Assert.Equal("invalid_frame", (await device.Next("error")).GetProperty("code").GetString());

        // The same ack cut after 0 bytes (an empty first fragment) is read on to its end and applied.
        var ack = Encoding.UTF8.GetBytes($$"""{"type":"delivered","message_ids":["{{first}}"]}""");
        Assert.True(await device.SendFragments(ack, binary: false, [int.MinValue], CancellationToken.None));
        await device.Next("acked");

        // A frame over 6 KiB (more than the 4 KiB rented to begin with): still one frame, applied.
        var ids = Enumerable.Range(0, 200).Select(i => $"msg_{i:D32}").Prepend(second);
        var padded = Encoding.UTF8.GetBytes($$"""{"type":"delivered","message_ids":[{{string.Join(",", ids.Select(i => $"\"{i}\""))}}]}""");
        Assert.True(padded.Length > 6 * 1024);
        Assert.True(await device.SendFragments(padded, binary: false, [100, 5000], CancellationToken.None));
        await device.Next("acked");

        Assert.Equal("delivered", (await acme.Status(first)).GetProperty("status").GetString());
        Assert.Equal("delivered", (await acme.Status(second)).GetProperty("status").GetString());
    }
}
