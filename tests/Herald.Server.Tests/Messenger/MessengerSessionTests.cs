using System.Net;
using System.Net.Sockets;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>Signing in and out, the history on the device, reconnecting, and erasure, in a real browser.</summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerSessionTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task Signs_in_with_the_code_sent_to_the_phone_and_refuses_a_wrong_one()
    {
        await using var host = await HeraldHost.Start();
        await using var messenger = await MessengerPage.Open(browser, host);
        var page = messenger.Page;
        await page.GotoAsync("/app/");

        await page.GetByLabel("Phone number").FillAsync("07700 900123");
        await messenger.Button("Send code").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("international format");
        Assert.Null(host.Receiver.CodeFor("07700900123"));

        await page.GetByLabel("Phone number").FillAsync("+44 7700 900-123");
        await messenger.Button("Send code").ClickAsync();
        await Expect(page.GetByText("We sent a code by text message to +447700900123")).ToBeVisibleAsync();
        var code = host.Receiver.CodeFor(Phone)!;
        var wrong = (code[0] == '9' ? '0' : (char)(code[0] + 1)) + code[1..];
        await page.GetByLabel("Code").FillAsync(wrong);
        await messenger.Button("Sign in").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The code is wrong or has expired.");

        await page.GetByLabel("Code").FillAsync(code);
        await messenger.Button("Sign in").ClickAsync();
        await messenger.ExpectOnline();
        await Expect(page.GetByText("No messages on this device yet")).ToBeVisibleAsync();

        await page.ReloadAsync(); // the device stays signed in
        await messenger.ExpectOnline();
        await Expect(page.GetByLabel("Phone number")).ToHaveCountAsync(0);
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task The_apps_files_are_served_as_themselves_and_every_other_path_under_app_is_the_app()
    {
        await using var host = await HeraldHost.Start();
        using var client = host.Client();

        var script = await client.GetAsync("/app/js/main.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("startMessenger", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/css", (await client.GetAsync("/app/styles/base.css")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/app/js/missing.js")).StatusCode);
        foreach (var route in new[] { "/app/", "/app/chats/acme", "/app/settings" })
        {
            var page = await client.GetAsync(route);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<script type=\"module\" src=\"/app/js/main.js\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task History_survives_a_reload_although_Herald_no_longer_holds_the_content()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        var first = await business.SendOk(new { to = Phone, category = "transactional", text = "Your parcel is on its way" });
        var second = await business.SendOk(new { to = Phone, category = "transactional", text = "Your parcel was delivered" });
        // Delivered to the only device: Herald has dropped the content, so after the reload it can only come from IndexedDB.
        await business.WaitForStatus(second, "delivered");
        await business.WaitForStatus(first, "delivered");

        await messenger.Page.ReloadAsync();
        await messenger.ExpectOnline();
        await messenger.OpenChat(business.Id);

        await Expect(messenger.Bubbles).ToHaveCountAsync(2);
        await Expect(messenger.Bubble(first)).ToContainTextAsync("Your parcel is on its way");
        await Expect(messenger.Bubble(second)).ToContainTextAsync("Your parcel was delivered");
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task Reconnects_after_the_server_restarts_and_receives_what_was_sent_meanwhile()
    {
        await using var host = await HeraldHost.Start(urls: $"http://127.0.0.1:{FreePort()}");
        var business = await host.CreateBusiness();
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);

        await host.Stop();
        await Expect(messenger.Page.Locator("body")).ToHaveAttributeAsync("data-connection", "offline");
        await Expect(messenger.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "reconnecting" })).ToBeVisibleAsync();
        await host.Restart();
        var waiting = await business.SendOk(new { to = Phone, category = "transactional", text = "Sent while you were away" });

        await messenger.ExpectOnline();
        await Expect(messenger.ChatRow(business.Id)).ToContainTextAsync("Sent while you were away");
        await business.WaitForStatus(waiting, "delivered");
        var live = await business.SendOk(new { to = Phone, category = "transactional", text = "And one sent live" });
        await Expect(messenger.ChatRow(business.Id)).ToContainTextAsync("And one sent live");
        await business.WaitForStatus(live, "delivered");
    }

    [Fact]
    public async Task Deleting_the_account_erases_it_on_Herald_and_the_history_on_the_device()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        await business.SendOk(new { to = Phone, category = "transactional", text = "Before the erasure" });
        await Expect(messenger.ChatRow(business.Id)).ToBeVisibleAsync();

        await messenger.OpenSettings();
        await messenger.Button("Delete my account").ClickAsync();
        await Expect(messenger.Dialog).ToContainTextAsync("This cannot be undone.");
        await messenger.Confirm("Delete my account");

        await Expect(messenger.Page.GetByText("Your account was deleted.")).ToBeVisibleAsync();
        await Expect(messenger.Page.GetByLabel("Phone number")).ToBeVisibleAsync();
        var after = await business.SendOk(new { to = Phone, category = "transactional", text = "After the erasure" });
        await business.WaitForStatus(after, "failed");
        Assert.Equal("not_registered", (await business.Status(after)).GetProperty("reason").GetString());

        await messenger.SignIn(Phone); // a new account for the same number, on a device that kept nothing
        await Expect(messenger.Page.GetByText("No messages on this device yet")).ToBeVisibleAsync();
        Assert.Empty(messenger.Errors);
    }

    [Fact]
    public async Task Signing_out_ends_the_device_on_Herald_and_forgets_its_history()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.SignIn(Phone);
        await business.SendOk(new { to = Phone, category = "transactional", text = "Kept until sign-out" });
        await Expect(messenger.ChatRow(business.Id)).ToContainTextAsync("Kept until sign-out");

        await messenger.OpenSettings();
        await messenger.Button("Sign out").ClickAsync();
        await messenger.Confirm("Sign out");
        await Expect(messenger.Page.GetByText("You signed out.")).ToBeVisibleAsync();

        // With its only device signed out, nothing can take a new message: it waits on Herald, undelivered.
        var waiting = await business.SendOk(new { to = Phone, category = "transactional", text = "Nobody to take it" });
        await messenger.SignIn(Phone);
        await Expect(messenger.ChatRow(business.Id)).ToContainTextAsync("Nobody to take it");
        await messenger.OpenChat(business.Id);
        await Expect(messenger.Bubbles).ToHaveCountAsync(1);
        await business.WaitForStatus(waiting, "seen");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
