using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// The Messenger open in its own browser profile, driven as a person would: by labels, roles and visible text. The
/// few CSS hooks (chat rows and bubbles by id) are here only, so a markup change touches one file.
/// </summary>
public sealed class MessengerPage : IAsyncDisposable
{
    private readonly HeraldHost _host;
    private readonly List<string> _errors = [];

    static MessengerPage() =>
        // Two shared cores run the whole suite at once: give the page time, Expect still returns as soon as it holds.
        SetDefaultExpectTimeout(15_000);

    private MessengerPage(IBrowserContext context, IPage page, HeraldHost host)
    {
        Context = context;
        Page = page;
        _host = host;
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    /// <summary>Uncaught script errors and errors the app logged, so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);
    public ILocator ChatRows => Page.Locator(".chat-row");
    /// <summary>The open chat's heading: the sender's name.</summary>
    public ILocator ChatHeading => Page.Locator(".chat-header h1");
    public ILocator Composer => Page.GetByRole(AriaRole.Textbox, new() { NameRegex = new("^Reply to ") });

    /// <summary>The Messenger in a context the caller made (a persistent profile, say); disposing closes the context.</summary>
    public static MessengerPage In(IBrowserContext context, IPage page, HeraldHost host) => new(context, page, host);

    /// <summary>A fresh profile with the web pages of the test businesses (logos, pictures, "Learn more") served locally.</summary>
    public static async Task<MessengerPage> Open(Browser browser, HeraldHost host, bool phone = false, bool dark = false)
    {
        var context = await browser.NewContext(host.BaseAddress, phone, dark);
        await TestSites.Serve(context);
        var page = await context.NewPageAsync();
        var messenger = new MessengerPage(context, page, host);
        page.PageError += (_, error) => messenger._errors.Add(error);
        page.Console += (_, message) =>
        {
            // A picture that does not load is the app's business to show (it does); anything else logged as an error is a bug.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                messenger._errors.Add(message.Text);
        };
        return messenger;
    }

    /// <summary>Signs in through the UI with the code the SMS hook received, and waits for the live connection.</summary>
    public async Task SignIn(string phone)
    {
        await Page.GotoAsync("/app/");
        await Page.GetByLabel("Phone number").FillAsync(phone);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send code" }).ClickAsync();
        await Expect(Page.GetByLabel("Code")).ToBeVisibleAsync();
        await Page.GetByLabel("Code").FillAsync(_host.Receiver.CodeFor(phone) ?? throw new InvalidOperationException("no code reached the hook"));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ExpectOnline();
    }

    public Task ExpectOnline() => Expect(Page.Locator("body")).ToHaveAttributeAsync("data-connection", "online");

    public ILocator ChatRow(string businessId) => Page.Locator($".chat-row[data-sender='{businessId}']");

    public ILocator Bubble(string messageId) => Page.Locator($".bubble[data-id='{messageId}']");

    public ILocator Bubbles => Page.Locator(".messages .bubble");

    /// <summary>Below the messages: the reply box, or a note (one-way sender, unsubscribed).</summary>
    public ILocator ChatFooter => Page.Locator(".chat-footer");

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public ILocator Switch(string name) => Page.GetByRole(AriaRole.Switch, new() { Name = name, Exact = true });

    /// <summary>Goes back to the chat list first where it is hidden (a phone showing a chat).</summary>
    public async Task OpenChat(string businessId)
    {
        await BackToChatsIfHidden();
        await ChatRow(businessId).ClickAsync();
        try
        {
            await Expect(Page.Locator($".chat[data-sender='{businessId}'][data-loaded]")).ToBeVisibleAsync();
        }
        catch (PlaywrightException e) when (_errors.Count > 0)
        {
            throw new InvalidOperationException($"The chat did not load; the page reported: {string.Join(" | ", _errors)}", e);
        }
    }

    /// <summary>Goes back to the chat list first where it is hidden (a phone showing a chat).</summary>
    public async Task OpenSettings()
    {
        await BackToChatsIfHidden();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Settings" })).ToBeVisibleAsync();
        await Expect(Switch("Business messages")).ToBeEnabledAsync();
    }

    private async Task BackToChatsIfHidden()
    {
        var back = Page.GetByRole(AriaRole.Link, new() { Name = "Back to chats" });
        if (await back.IsVisibleAsync())
            await back.ClickAsync();
    }

    /// <summary>Flips a setting and waits until the page shows Herald's answer (the switch is usable again).</summary>
    public async Task SetSwitch(string name, bool on)
    {
        var control = Switch(name);
        if (on)
            await control.CheckAsync();
        else
            await control.UncheckAsync();
        await Expect(control).ToBeEnabledAsync(); // disabled while Herald answers
        if (on)
            await Expect(control).ToBeCheckedAsync();
        else
            await Expect(control).Not.ToBeCheckedAsync();
    }

    public async Task Confirm(string button)
    {
        await Dialog.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Expect(Dialog).ToHaveCountAsync(0);
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
