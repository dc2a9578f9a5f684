using Herald.Server.Hosting;
using Herald.Server.Http;
using Microsoft.Extensions.Options;

namespace Herald.Server.Push;

/// <summary>
/// A push endpoint is chosen by the consumer's browser, so it is guarded like a callback URL: https only and no
/// loopback, private or link-local address, unless <c>Herald__Push__AllowPrivateNetworks</c> (set by --dev) allows them.
/// </summary>
public sealed class PushEndpointGuard(IOptions<HeraldOptions> options)
    : OutboundAddressGuard(() => options.Value.Push.AllowPrivateNetworks, "push messages");
