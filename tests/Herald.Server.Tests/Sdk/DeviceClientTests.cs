using Herald.Client;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Sdk;

/// <summary>The SDK's device client speaks the consumer protocol to a real server: sign-in, receive, acknowledge, reply.</summary>
public sealed class DeviceClientTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_device_signs_in_receives_a_message_with_its_sender_acknowledges_it_and_replies()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(twoWay: true);
        using var devices = new DeviceClient(host.BaseAddress);
        await devices.RequestCodeAsync(Phone);
        var signedIn = await devices.SignInAsync(Phone, host.Receiver.CodeFor(Phone)!);
        Assert.Equal(Phone, signedIn.Phone);

        var waiting = await business.SendOk(new { to = Phone, category = "promotional", text = "Sale!", button = new { caption = "Shop", action = "https://acme.example/sale" } });
        await using var connection = await devices.ConnectAsync(signedIn.Token);
        Assert.Equal(signedIn.DeviceId, connection.DeviceId);
        var message = await connection.NextMessageAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal((waiting, "Sale!", "promotional"), (message.MessageId, message.Text, message.Category));
        Assert.Equal(new MessageButton("Shop", "https://acme.example/sale"), message.Button);
        Assert.Equal((business.Id, "Acme Parcels", true, true), (message.Sender.BusinessId, message.Sender.Name, message.Sender.Verified, message.Sender.TwoWay));

        var live = await business.SendOk(new { to = Phone, category = "transactional", text = "Live one" });
        Assert.Equal(live, (await connection.NextMessageAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token)).MessageId);

        await connection.MarkSeenAsync([waiting]);
        await connection.MarkDeliveredAsync([live]);
        await business.WaitForStatus(waiting, "seen");
        await business.WaitForStatus(live, "delivered");

        await connection.ReplyAsync(business.Id, "Do you ship to Leeds?", waiting, "r1");
        var sent = await FirstEvent<ReplySent>(connection);
        Assert.Equal("r1", sent.Ref);
        var events = await host.Receiver.WaitForEvents(e => e.Any(x => x.GetProperty("type").GetString() == "reply"));
        var reply = events.Single(e => e.GetProperty("type").GetString() == "reply");
        Assert.Equal((sent.ReplyId, "Do you ship to Leeds?"), (reply.GetProperty("event_id").GetString(), reply.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_reply_to_a_one_way_sender_is_an_error_frame_and_a_bad_token_or_code_is_refused()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(twoWay: false);
        using var devices = new DeviceClient(host.BaseAddress);
        var token = await host.SignIn(Phone);
        await using var connection = await devices.ConnectAsync(token);
        await connection.ReplyAsync(business.Id, "hello?", reference: "r9");
        var error = await FirstEvent<DeviceError>(connection);
        Assert.Equal(("not_two_way", "r9"), (error.Code, error.Ref));

        var unauthorized = await Assert.ThrowsAsync<HeraldApiException>(() => devices.ConnectAsync("hdt_not-a-token"));
        Assert.Equal("unauthorized", unauthorized.Code);
        await devices.RequestCodeAsync("+447700900124");
        var badCode = await Assert.ThrowsAsync<HeraldApiException>(() => devices.SignInAsync("+447700900124", "000000"));
        Assert.Equal("invalid_code", badCode.Code);

        await devices.SignOutAsync(token);
        await Assert.ThrowsAsync<HeraldApiException>(() => devices.ConnectAsync(token));
    }

    [Fact]
    public async Task Acks_the_server_did_not_store_go_again_on_an_open_connection_after_ResendAfter_and_on_the_next_connection()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var devices = new DeviceClient(host.BaseAddress);
        var token = await host.SignIn(Phone);
        var first = await business.SendOk(new { to = Phone, category = "transactional", text = "first" });
        var second = await business.SendOk(new { to = Phone, category = "transactional", text = "second" });

        var acks = new UnconfirmedAcks { ResendAfter = TimeSpan.FromSeconds(1) };
        await using (var connection = await devices.ConnectAsync(token, acks))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await connection.NextMessageAsync(timeout.Token);
            await connection.NextMessageAsync(timeout.Token);
            await using (await SeenRefusal.Start(host))
            {
                await connection.MarkSeenAsync([first]);
                await connection.MarkDeliveredAsync([second]); // answered after the seen: a fence
                var confirmed = await FirstEvent<AcksConfirmed>(connection);
                Assert.Equal("delivered", confirmed.Ack);
                Assert.Equal([second], confirmed.MessageIds);
                Assert.Equal([first], acks.Seen);
            }
            // Nothing else happens on this connection: only the resend after ResendAfter can store it.
            await business.WaitForStatus(first, "seen");
            await Wait.Until(() => acks.Count == 0, TimeSpan.FromSeconds(10), "the seen ack confirmed");
        }

        // The DeviceClient's own acks for this token: refused on one connection, sent again by the next.
        await using (await SeenRefusal.Start(host))
        {
            await using var connection = await devices.ConnectAsync(token);
            await connection.MarkSeenAsync([second]);
            await connection.MarkDeliveredAsync(["msg_fence"]);
            Assert.Equal(["msg_fence"], (await FirstEvent<AcksConfirmed>(connection)).MessageIds);
            Assert.Equal([second], connection.UnconfirmedAcks.Seen);
        }
        Assert.Equal("delivered", (await business.Status(second)).GetProperty("status").GetString());
        await using (var connection = await devices.ConnectAsync(token))
        {
            await business.WaitForStatus(second, "seen");
            await Wait.Until(() => connection.UnconfirmedAcks.Count == 0, TimeSpan.FromSeconds(10), "the resent seen ack confirmed");
        }
        var events = await host.Receiver.WaitForEvents(e => e.Count(x => x.GetProperty("type").GetString() == "seen") >= 2);
        Assert.Equal(2, events.Count(x => x.GetProperty("type").GetString() == "seen"));
    }

    private static async Task<T> FirstEvent<T>(DeviceConnection connection) where T : DeviceEvent
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var e in connection.ReadEventsAsync(timeout.Token))
            if (e is T match)
                return match;
        throw new InvalidOperationException($"The connection closed before a {typeof(T).Name}.");
    }
}
