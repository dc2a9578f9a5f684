using System.Text;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Tests;

/// <summary>Content is transmitted, never kept: encrypted while it waits, gone once delivered, never logged.</summary>
public sealed class PrivacyTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_marker_in_a_message_never_reaches_any_file_or_log_in_clear()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var token = await host.SignIn(Phone);
        var marker = "MARKER-" + Guid.NewGuid().ToString("N");
        var id = await business.SendOk(new
        {
            to = Phone, category = "promotional", text = $"Hello {marker}", url = $"https://acme.example/{marker}",
            image_url = $"https://acme.example/{marker}.png", qr = marker, tracking_data = $"track-{marker}",
        });
        host.AssertNoClearText(marker); // waiting: encrypted at rest

        await using var device = await host.Connect(token);
        var frame = await device.Next("message");
        Assert.Contains(marker, frame.GetProperty("message").GetProperty("text").GetString());
        await device.Ack("seen", id);
        await host.Receiver.WaitForEvents(e => e.Count >= 2);
        Assert.Null(LifecycleTests.ContentOf(host, id));

        await host.Stop(); // closes the database, checkpointing the WAL into the file
        SqliteConnection.ClearAllPools();
        host.AssertNoClearText(marker);
    }
}
