using Herald.Core.Businesses;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.BusinessApi;

public static class ProfileEndpoints
{
    public static void MapProfileEndpoints(this RouteGroupBuilder v1) =>
        v1.MapGet("/profile", (HttpContext context) => TypedResults.Json(SenderProfile.Of(BusinessAuth.Current(context)), ApiJson.Options))
            .Answers<SenderProfile>("getProfile", "The sender profile as consumers see it")
            .WithDescription("The name, logo, description and badges consumers see beside this business's messages.")
            .RequiresScope(ApiScopes.Status);
}

/// <summary>A sender as consumers see it: in the business API, the Messenger and every message frame.</summary>
public sealed record SenderProfile(
    string BusinessId, string Name, string? LogoUrl, string? Description, string? LearnMoreUrl, bool Verified, bool TwoWay)
{
    public static SenderProfile Of(Business b) =>
        new(b.Id, b.Name, b.LogoUrl, b.Description, b.LearnMoreUrl, b.Verified, b.TwoWay);
}
