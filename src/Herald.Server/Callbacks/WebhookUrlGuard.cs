using Herald.Server.Hosting;
using Herald.Server.Http;
using Microsoft.Extensions.Options;

namespace Herald.Server.Callbacks;

/// <summary>
/// Keeps callbacks out of the operator's network (SSRF), see <see cref="OutboundAddressGuard"/>. Redirects are not
/// followed (see <see cref="CallbackHttp"/>). Callbacks are verified by their webhook-signature header, so a URL with
/// credentials is refused.
/// </summary>
public sealed class WebhookUrlGuard(IOptions<HeraldOptions> options)
    : OutboundAddressGuard(() => options.Value.Webhooks.AllowPrivateNetworks, "callbacks");
