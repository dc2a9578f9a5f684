using System.ComponentModel.DataAnnotations;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Consumer;

/// <summary>GDPR Art. 15/20 (export), 17 (erase), 18 (restrict): automatic, and in effect when the answer comes back.</summary>
public static class RightsEndpoints
{
    public static void MapRightsEndpoints(this RouteGroupBuilder me)
    {
        me.MapGet("/me/export", (HttpContext context, ConsumerRights rights) =>
        {
            context.Response.Headers.ContentDisposition = "attachment; filename=\"herald-export.json\"";
            return TypedResults.Json(rights.Export(DeviceAuth.Current(context).ConsumerId), ApiJson.Options);
        }).Answers<ConsumerExport>("exportMe", "Everything held about me (GDPR Art. 15/20)")
            .WithDescription("A JSON download: the consumer, their devices, settings, blocks and the metadata of their messages.");
        me.MapDelete("/me", Erase).AnswersEmpty("eraseMe", "Erase me (GDPR Art. 17)")
            .WithDescription("Erases the consumer and what is held about them; every device token of theirs stops working at once.");
        me.MapPut("/me/restriction", Restrict).Reads<RestrictionRequest>()
            .Answers<RestrictionRequest>("restrictMe", "Stop or resume processing (GDPR Art. 18)")
            .WithDescription("While `restricted`, nothing is delivered to the consumer and new messages fail as `restricted`.").Errors("invalid_request");
    }

    /// <summary>Erases the consumer and closes every connection of theirs; their device tokens stop working at once.</summary>
    private static async Task<IResult> Erase(HttpContext context, ConsumerRights rights, DeviceConnections connections, TimeProvider time)
    {
        var consumerId = DeviceAuth.Current(context).ConsumerId;
        await rights.Erase(consumerId, time.GetUtcNow());
        connections.Close(consumerId);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Restrict(HttpContext context, ConsumerRights rights, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<RestrictionRequest>());
        if (problem is not null)
            return problem;
        if (request!.Restricted is not { } restricted)
            return Problems.Invalid("restricted", "required: true or false");
        await rights.Restrict(DeviceAuth.Current(context).ConsumerId, restricted, time.GetUtcNow());
        return TypedResults.Json(new RestrictionRequest(restricted), ApiJson.Options);
    }
}

public sealed record RestrictionRequest([property: Required] bool? Restricted);
