using System.CommandLine;
using Herald.Client;

namespace Herald.Cli;

/// <summary>The message content flags <c>herald send</c> and <c>herald campaign create</c> share.</summary>
internal sealed class ContentOptions
{
    public Option<MessageCategory> Category { get; } = new("--category") { Description = "transactional, promotional, or session (an answer within 24 h of the consumer's reply)", DefaultValueFactory = _ => MessageCategory.Transactional };
    public Option<string?> Text { get; } = new("--text") { Description = "Up to 1000 characters" };
    public Option<string?> Url { get; } = new("--link") { Description = "An https:// link" };
    public Option<string?> Image { get; } = new("--image-url") { Description = "An https:// image (promotional)" };
    public Option<string?> Caption { get; } = new("--button-caption") { Description = "A button's caption (promotional; with --button-action)" };
    public Option<string?> Action { get; } = new("--button-action") { Description = "What the button opens: https:// or an app deep link" };
    public Option<string?> Qr { get; } = new("--qr") { Description = "A payload shown as a QR code (promotional)" };
    public Option<string?> Template { get; } = new("--template") { Description = "An approved template's id, instead of --text" };
    public Option<int?> Ttl { get; } = new("--ttl") { Description = "Seconds to try delivery: 30 to 1209600 (default 86400)" };
    public Option<string?> Tracking { get; } = new("--tracking-data") { Description = "Your own data, echoed in every callback" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Category, Text, Url, Image, Caption, Action, Qr, Template, Ttl, Tracking })
            command.Options.Add(option);
    }

    /// <summary><paramref name="message"/> with the content the flags give (the template is each command's own).</summary>
    public T Fill<T>(ParseResult p, T message) where T : MessageContent => (T)(message with
    {
        Category = p.GetValue(Category),
        Text = p.GetValue(Text),
        Url = p.GetValue(Url),
        ImageUrl = p.GetValue(Image),
        Button = Button(p),
        Qr = p.GetValue(Qr),
        TtlSeconds = p.GetValue(Ttl),
        TrackingData = p.GetValue(Tracking),
    });

    /// <summary>The button from its two flags; a usage error when only one is given.</summary>
    private MessageButton? Button(ParseResult p)
    {
        if ((p.GetValue(Caption) is null) != (p.GetValue(Action) is null))
            throw new UsageException("A button needs both --button-caption and --button-action.");
        return p.GetValue(Caption) is { } c ? new MessageButton(c, p.GetValue(Action)!) : null;
    }
}
