using Herald.Server.Tests.Infrastructure;
using QRCoder;

namespace Herald.Server.Tests.Messenger;

/// <summary>The Messenger draws QR codes itself; they must be the very symbols a standard encoder makes.</summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerQrTests(Browser browser)
{
    [Fact]
    public async Task The_encoder_makes_the_same_symbols_as_a_reference_encoder_from_version_1_to_40()
    {
        await using var host = await HeraldHost.Start();
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.Page.GotoAsync("/app/");
        // Numeric, alphanumeric and byte mode; byte payloads from 1 to 2331 bytes (the most level M holds) cross
        // every version, and 2400 bytes only fit at level L. The Messenger puts a payload in one segment, which every
        // scanner reads; QRCoder splits mixed text into segments of different modes when that saves bits (a run of
        // digits inside a URL), so the byte payloads here use only characters that no other mode can take.
        var random = new Random(20261125);
        const string bytes = "abcdefghijklmnopqrstuvwxyz_~?#&=@!;,'()[]";
        var payloads = new List<string> { "0", "20261125", "314159265358979323846264338327950288", "HERALD", "TICKET 42/B-7:$5.00%" };
        for (var length = 1; length <= 2331; length += length < 130 ? 7 : 29) // steps smaller than any version's growth
            payloads.Add(new string([.. Enumerable.Range(0, length).Select(_ => bytes[random.Next(bytes.Length)])]));
        payloads.Add(new string('x', 2331));

        var encoded = await QrReference.Encoded(messenger.Page, payloads);

        Assert.Equal(Enumerable.Range(1, 40), encoded.Select(rows => (rows.Length - 17) / 4).Distinct().Order());
        for (var i = 0; i < payloads.Count; i++)
            Assert.True(QrReference.Rows(payloads[i]).SequenceEqual(encoded[i]), $"payload of {payloads[i].Length} characters");
        var tooLongForM = new string('y', 2400);
        Assert.Equal(QrReference.Rows(tooLongForM, QRCodeGenerator.ECCLevel.L), (await QrReference.Encoded(messenger.Page, [tooLongForM]))[0]);
    }
}
