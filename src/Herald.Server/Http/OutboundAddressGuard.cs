using System.Net;
using System.Net.Sockets;
using Herald.Core.Network;

namespace Herald.Server.Http;

/// <summary>
/// Keeps requests to URLs that others chose (callback URLs, push endpoints) out of the operator's network (SSRF).
/// URLs are checked when set, and every connection is checked again at connect time against the address actually
/// dialled, so a DNS answer that changes after the check (rebinding) still cannot reach an inside address.
/// </summary>
/// <param name="allowPrivate">read at each check: plain http and inside addresses allowed (development and tests)</param>
/// <param name="what">what these requests are, for the messages ("callbacks", "push messages")</param>
public abstract class OutboundAddressGuard(Func<bool> allowPrivate, string what)
{
    private const int MaxUrlLength = 2048;

    /// <returns>why the URL is refused, or null when it is fine</returns>
    public async Task<string?> Check(string? url, CancellationToken cancel)
    {
        var allowPrivateNow = allowPrivate();
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength || !Urls.TryParseAbsolute(url, out var uri))
            return "must be an absolute URL";
        if (uri.Scheme != Uri.UriSchemeHttps && !(allowPrivateNow && uri.Scheme == Uri.UriSchemeHttp))
            return "must use https";
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return "must not carry credentials";
        if (allowPrivateNow)
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
        return addresses.All(AddressRules.IsPublic) ? null : $"points to a loopback, private or link-local address, which {what} may not reach";
    }

    /// <summary>An HTTP handler that connects only where <see cref="Connect"/> allows and follows no redirect.</summary>
    public SocketsHttpHandler Handler() => new SocketsHttpHandler
    {
        AllowAutoRedirect = false, // a redirect could point anywhere, including inside the network
        ConnectCallback = Connect,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5), // pick up DNS changes
        UseCookies = false,
    }.BoundAnswers();

    /// <summary>Opens a connection, only to an address the rules allow (a SocketsHttpHandler's ConnectCallback).</summary>
    public async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancel);
        var allowed = allowPrivate() ? addresses : addresses.Where(AddressRules.IsPublic).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"Host {host} resolves only to addresses {what} may not reach.");
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
