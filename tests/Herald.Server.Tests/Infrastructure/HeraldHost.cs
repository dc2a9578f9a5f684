using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// A real Herald server for one test: Kestrel on a loopback port chosen by the OS, SQLite in a temp directory,
/// callbacks and sign-in codes going to a <see cref="Infrastructure.Receiver"/>. Restart keeps the data directory.
/// </summary>
public sealed class HeraldHost : IAsyncDisposable
{
    public const string OperatorToken = "hop_test-operator-token-0123456789";
    private readonly Dictionary<string, string?> _settings;
    private readonly string _urls;
    private readonly string _environment;
    private WebApplication? _app;

    private readonly TestStore _store;

    private HeraldHost(Receiver receiver, TestStore store, Dictionary<string, string?> settings, FakeTimeProvider? time, string urls, string environment)
    {
        _store = store;
        _environment = environment;
        Receiver = receiver;
        _settings = settings;
        Time = time;
        _urls = urls;
    }

    public string DataDirectory => _settings["Herald:DataDirectory"]!;
    /// <summary>The PostgreSQL database this server uses, or null on SQLite (then it is herald.db in <see cref="DataDirectory"/>).</summary>
    public string? PostgresConnectionString => _settings.GetValueOrDefault("Herald:Storage:ConnectionString");
    public Uri BaseAddress { get; private set; } = null!;
    /// <summary>Every address the server listens on (several when <c>urls</c> names several, e.g. https and http).</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];
    public Receiver Receiver { get; }
    /// <summary>Set when the test asked for fake time: advance it to run expiry and retries.</summary>
    public FakeTimeProvider? Time { get; }
    public IServiceProvider Services => _app!.Services;

    /// <summary>Everything the server logged (all levels), for tests of what must never be logged.</summary>
    public LogCapture Logs { get; } = new();

    public static async Task<HeraldHost> Start(Dictionary<string, string?>? settings = null, bool fakeTime = false, string urls = "http://127.0.0.1:0",
        string environment = "Production")
    {
        var receiver = await Receiver.Start();
        var store = await TestStore.Create();
        var all = new Dictionary<string, string?>
        {
            ["Herald:DataDirectory"] = Path.Combine(Path.GetTempPath(), "herald-test-" + Guid.NewGuid().ToString("N")),
            ["HERALD_BOOTSTRAP_TOKEN"] = OperatorToken,
            ["Herald:Webhooks:AllowPrivateNetworks"] = "true",
            ["Herald:Consumers:CodeHookUrl"] = receiver.CodeHookUrl.ToString(),
            // Tests talk plain HTTP on loopback; TransportTests switch this off to check the refusal and serve HTTPS.
            ["Herald:Network:AllowPlainHttp"] = "true",
        };
        foreach (var (key, value) in store.Settings)
            all[key] = value;
        foreach (var (key, value) in settings ?? [])
            all[key] = value;
        var host = new HeraldHost(receiver, store, all, fakeTime ? new FakeTimeProvider(DateTimeOffset.UtcNow) : null, urls, environment);
        await host.Boot();
        return host;
    }

    private async Task Boot()
    {
        _app = HeraldServer.Build([$"--urls={_urls}", $"--environment={_environment}"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(_settings);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(Logs);
            if (Time is not null)
                builder.Services.AddSingleton<TimeProvider>(Time);
        });
        await _app.StartAsync();
        Addresses = [.. _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "[::1]", StringComparison.Ordinal)))];
        BaseAddress = Addresses[0];
    }

    /// <summary>A graceful stop and a fresh start on the same data directory (and, when it was free, the same port).</summary>
    public async Task Restart()
    {
        await Stop();
        await Boot();
    }

    public async Task Stop()
    {
        if (_app is null)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public HttpClient Client(string? bearer = null) => Api.Client(BaseAddress, bearer);

    public HttpClient Operator() => Client(OperatorToken);

    /// <summary>A business with an API key, allowed from loopback, with its webhook pointed at the receiver.</summary>
    public Task<TestBusiness> CreateBusiness(string[]? allowedIps = null, bool webhook = true, bool twoWay = false, string? name = null) =>
        Api.CreateBusiness(() => BaseAddress, OperatorToken, webhook ? Receiver.WebhookUrl : null, allowedIps, twoWay, name);

    public Task<string> SignIn(string phone) => Api.SignIn(BaseAddress, Receiver, phone);

    public Task<TestDevice> Connect(string deviceToken) => TestDevice.Connect(BaseAddress, deviceToken);

    /// <summary>
    /// Fails the test if <paramref name="marker"/> stands in clear (UTF-8 or UTF-16) in any file under the data
    /// directory (and, on PostgreSQL, under the cluster's data directory: tables, WAL, logs) or in any log line.
    /// Files are read while the servers may still have them open.
    /// </summary>
    public void AssertNoClearText(string marker)
    {
        var utf8 = Encoding.UTF8.GetBytes(marker);
        var utf16 = Encoding.Unicode.GetBytes(marker);
        var files = new[] { DataDirectory }.Concat(TestStore.ExtraDirectories)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories)).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or EndOfStreamException)
            {
                continue; // removed or truncated while scanning (PostgreSQL drops other tests' databases meanwhile)
            }
            Assert.True(bytes.AsSpan().IndexOf(utf8) < 0 && bytes.AsSpan().IndexOf(utf16) < 0, $"{Path.GetFileName(file)} holds {marker} in clear");
        }
        Assert.DoesNotContain(Logs.Lines, l => l.Contains(marker, StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        await Receiver.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _store.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

public sealed class TestBusiness(string id, string apiKey, string keyId, Func<Uri> baseAddress)
{
    public string Id { get; } = id;
    public string ApiKey { get; } = apiKey;
    public string KeyId { get; } = keyId;
    public string? WebhookSecret { get; set; }

    public HttpClient Client() => Api.Client(baseAddress(), ApiKey);
    public async Task<string> SetWebhook(string url)
    {
        using var client = Client();
        var response = await client.PutAsJsonAsync("/v1/webhook", new { url });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    public async Task<HttpResponseMessage> Send(object message)
    {
        using var client = Client();
        return await client.PostAsJsonAsync("/v1/messages", message);
    }

    /// <summary>Sends and returns the message id, failing the test unless the answer is 202.</summary>
    public async Task<string> SendOk(object message)
    {
        var response = await Send(message);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, body);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("accepted", json.GetProperty("status").GetString());
        return json.GetProperty("message_id").GetString()!;
    }

    public async Task<JsonElement> Status(string messageId)
    {
        using var client = Client();
        var response = await client.GetAsync($"/v1/messages/{messageId}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task WaitForStatus(string messageId, string status) =>
        await Wait.Until(async () => (await Status(messageId)).GetProperty("status").GetString() == status, TimeSpan.FromSeconds(10), $"status {status}");
}
