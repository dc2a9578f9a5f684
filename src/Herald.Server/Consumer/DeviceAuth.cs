using System.Text.Encodings.Web;
using Herald.Core.Security;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Consumer;

/// <summary>The <c>deviceToken</c> scheme: a signed-in device's token; the consumer is whoever owns that device.</summary>
public sealed class DeviceAuth(ConsumerStore consumers, IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : BearerAuthHandler(options, logger, encoder)
{
    /// <summary>The scheme's name, and the name of the policy that requires it.</summary>
    public const string SchemeName = "deviceToken";
    private const string ItemKey = "herald.device";

    public static DeviceIdentity Current(HttpContext context) => (DeviceIdentity)context.Items[ItemKey]!;

    protected override string MissingDetail => "Send the device token as 'Authorization: Bearer <token>'.";
    protected override string InvalidDetail => "The device token is unknown or signed out.";

    protected override string? Identify(string token)
    {
        var device = consumers.FindDevice(Secrets.Hash(token));
        if (device is not null)
            Context.Items[ItemKey] = device;
        return device?.DeviceId;
    }
}
