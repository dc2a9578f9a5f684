using System.Net;
using System.Net.Sockets;
using Herald.Core.Network;
using Herald.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Server.Callbacks;

/// <summary>
/// Keeps callbacks out of the operator's network (SSRF). URLs are checked when set, and every connection is checked
/// again at connect time against the address actually dialled, so a DNS answer that changes after the check
/// (rebinding) still cannot reach an inside address. Redirects are not followed (see <see cref="CallbackHttp"/>).
/// </summary>
public sealed class WebhookUrlGuard(IOptions<HeraldOptions> options)
{
    private const int MaxUrlLength = 2048;
    private bool AllowPrivate => options.Value.Webhooks.AllowPrivateNetworks;

    /// <returns>why the URL is refused, or null when it is fine</returns>
    public async Task<string?> Check(string? url, CancellationToken cancel)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength || !Urls.TryParseAbsolute(url, out var uri))
            return "must be an absolute URL";
        if (uri.Scheme != Uri.UriSchemeHttps && !(AllowPrivate && uri.Scheme == Uri.UriSchemeHttp))
            return "must use https";
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return "must not carry credentials; verify callbacks by their webhook-signature header instead";
        if (AllowPrivate)
            return null;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancel);
        }
        catch (SocketException)
        {
            return "the host name does not resolve";
        }
        if (addresses.Length == 0)
            return "the host name does not resolve";
        return addresses.All(AddressRules.IsPublic) ? null : "points to a loopback, private or link-local address, which callbacks may not reach";
    }

    /// <summary>Opens the connection for a callback, only to an address the rules allow.</summary>
    public async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancel);
        var allowed = AllowPrivate ? addresses : addresses.Where(AddressRules.IsPublic).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"Callback host {host} resolves only to addresses callbacks may not reach.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancel);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
