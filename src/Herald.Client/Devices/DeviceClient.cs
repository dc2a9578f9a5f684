using Herald.Client.Http;

namespace Herald.Client;

/// <summary>
/// A consumer's device (the consumer protocol, <c>/consumer/v1</c>): sign in by phone with a one-time code, then
/// connect to receive messages, acknowledge them and reply. See docs/protocol.md.
/// </summary>
public sealed class DeviceClient : IDisposable
{
    private readonly Uri _server;
    private readonly ApiTransport _api;
    private readonly HttpClient? _owned;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, UnconfirmedAcks> _acks = new(StringComparer.Ordinal);

    /// <summary>A device client for the server at <paramref name="server"/>.</summary>
    public DeviceClient(Uri server, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
        _owned = http is null ? new HttpClient() : null;
        _api = new ApiTransport(http ?? _owned!, new HeraldClientOptions { BaseAddress = server, Credential = "" });
    }

    /// <summary>Asks for a sign-in code; the operator's SMS gateway sends it to the phone.</summary>
    public Task RequestCodeAsync(string phone, CancellationToken cancel = default) =>
        _api.SendNoAnswer(HttpMethod.Post, "consumer/v1/sign-in/code", ApiTransport.Json(new SignInCodeRequest(phone), ClientJson.Default.SignInCodeRequest), cancel);

    /// <summary>Signs in with the code: a new device of the consumer.</summary>
    /// <exception cref="HeraldApiException"><c>invalid_code</c> when the code is wrong, used or expired</exception>
    public Task<DeviceSignIn> SignInAsync(string phone, string code, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "consumer/v1/sign-in", ApiTransport.Json(new SignInRequest(phone, code), ClientJson.Default.SignInRequest),
            ClientJson.Default.DeviceSignIn, cancel);

    /// <summary>Signs the device out; its token stops working and its connection closes.</summary>
    public async Task SignOutAsync(string token, CancellationToken cancel = default)
    {
        using var signedIn = new DeviceClient(_server, _api.Http, token);
        await signedIn._api.SendNoAnswer(HttpMethod.Delete, "consumer/v1/devices/current", null, cancel);
    }

    /// <summary>
    /// Opens the device's WebSocket and waits until the server has accepted the token; the acks an earlier connection
    /// of this client with the same token left unconfirmed are sent again first.
    /// </summary>
    /// <exception cref="HeraldApiException"><c>unauthorized</c> when the token is unknown or signed out</exception>
    public Task<DeviceConnection> ConnectAsync(string token, CancellationToken cancel = default) =>
        ConnectAsync(token, _acks.GetOrAdd(token, _ => new UnconfirmedAcks()), cancel);

    /// <summary>
    /// Opens the device's WebSocket with acks the app keeps itself (say, restored from its own storage after a
    /// restart): those unconfirmed are sent again first, and the connection records its acks there.
    /// </summary>
    /// <exception cref="HeraldApiException"><c>unauthorized</c> when the token is unknown or signed out</exception>
    public Task<DeviceConnection> ConnectAsync(string token, UnconfirmedAcks acks, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(acks);
        return DeviceConnection.Open(_server, token, acks, cancel);
    }

    private DeviceClient(Uri server, HttpClient http, string token)
    {
        _server = server;
        _api = new ApiTransport(http, new HeraldClientOptions { BaseAddress = server, Credential = token });
    }

    /// <summary>Disposes the HttpClient if this client made it.</summary>
    public void Dispose() => _owned?.Dispose();
}
