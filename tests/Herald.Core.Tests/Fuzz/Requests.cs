using CsCheck;
using Herald.Core.Messages;
using Herald.Fuzzing;

namespace Herald.Core.Tests.Fuzz;

/// <summary>Send requests for the properties: anything at all, or valid by construction from the documented rules.</summary>
internal static class Requests
{
    private static Gen<string?> Field(params string?[] plausible) => Gen.Frequency(
        (3, Gen.OneOf(plausible)), (2, FuzzText.AnyOrNull), (1, Gen.Const((string?)null)));

    private static readonly Gen<string?> s_url = Gen.Frequency((1, FuzzText.NearMiss(Gen.OneOf("https://acme.example/track/1", "https://a.example")).Select(s => (string?)s)), (2, Field("https://acme.example/track/1", "http://acme.example/", "https:///x", "https://", "ftp://x",
        "javascript:alert(1)", "app://orders/42", "https://[::1]/", "https://xn--e1afmkfd.example/", "https://acme.example/" + new string('a', 2100))));

    public static readonly Gen<SendMessageRequest> Any =
        Gen.Select(
            Gen.Select(Field("+447700900123", "+15551234567", "+0123456789", "447700900123", "+4477009001234567"), Field("transactional", "promotional", "Promotional", ""),
                Field("Your parcel arrives today", "", " ", "😀", new string('x', 1001)), s_url, s_url),
            Gen.Select(Field("Open", "", " ", "0123456789012345678901234567890"), Gen.Frequency((1, FuzzText.NearMiss(Gen.OneOf("app://orders/42", "javascript://x")).Select(s => (string?)s)), (2, Field("app://orders/42", "https://acme.example/", "javascript://x", "data://x", "orders/42"))),
                Gen.Bool, Field("QR-123", ""), Field("tpl_1", "")),
            Gen.Select(Gen.Dictionary(FuzzText.Any, FuzzText.Any)[0, 3].Null(0.5), Gen.Frequency((2, Gen.Const((int?)null)), (1, Gen.Int.Select(i => (int?)i)),
                (2, Gen.OneOf<int?>(29, 30, 86_400, 1_209_600, 1_209_601, 0, -1, int.MaxValue))), Field("order-42", new string('t', 4097)), Gen.Bool, Gen.Bool),
            (basics, extras, rest) => new SendMessageRequest
            {
                To = basics.Item1, Category = basics.Item2, Text = basics.Item3, Url = basics.Item4, ImageUrl = basics.Item5,
                Button = extras.Item3 ? new MessageButton { Caption = extras.Item1, Action = extras.Item2 } : null,
                Qr = extras.Item4,
                Template = rest.Item4 ? new TemplateReference { Id = extras.Item5, Params = rest.Item1 } : null,
                TtlSeconds = rest.Item2, TrackingData = rest.Item3,
            });

    private static readonly Gen<string> s_phone =
        Gen.Select(Gen.Char['1', '9'], Gen.Char['0', '9'].Array[6, 14]).Select((first, rest) => "+" + first + new string(rest));

    private static readonly Gen<string> s_text = Gen.Frequency(
        (3, FuzzText.Any.Where(s => s.Length > 0 && MessageRules.Characters(s) <= MessageRules.MaxTextLength)),
        (1, Gen.Const(FuzzText.Repeat("😀", 2 * MessageRules.MaxTextLength)))); // 1000 characters in 2000 UTF-16 units

    private static readonly Gen<string> s_https = Gen.Char['a', 'z'].Array[1, 20].Select(c => $"https://{new string(c)}.example/{new string(c)}");

    /// <summary>A request that satisfies every rule: promotional with rich content, or transactional with text or a template.</summary>
    public static readonly Gen<SendMessageRequest> Valid =
        Gen.Select(s_phone, Gen.Bool, s_text, s_https.Null(0.5), Gen.Int[MessageRules.MinTtlSeconds, MessageRules.MaxTtlSeconds].Nullable(0.3))
            .SelectMany(t => Gen.Select(Gen.Int[0, 3], Gen.Char['!', '~'].Array[1, MessageRules.MaxCaptionLength], Gen.Char['!', '~'].Array[1, 300])
                .Select((shape, caption, qr) => t.Item2
                    ? new SendMessageRequest
                    {
                        To = t.Item1, Category = "promotional", Text = shape == 0 ? null : t.Item3, Url = t.Item4, ImageUrl = shape <= 1 ? "https://img.example/a.png" : null,
                        Button = shape is 0 or 2 ? new MessageButton { Caption = new string(caption), Action = shape == 0 ? "app://orders/42" : "https://acme.example/" } : null,
                        Qr = shape == 3 ? new string(qr) : null, TtlSeconds = t.Item5,
                    }
                    : new SendMessageRequest
                    {
                        To = t.Item1, Category = "transactional", Text = shape == 0 ? null : t.Item3, Url = t.Item4, TtlSeconds = t.Item5,
                        Template = shape == 0 ? new TemplateReference { Id = "tpl_" + new string(caption), Params = new() { ["name"] = new string(qr) } } : null,
                    }));
}
