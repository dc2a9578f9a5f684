using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Herald.Core.Messages;
using Herald.Server.BusinessApi;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Herald.Server.OpenApi;

/// <summary>
/// What the generator cannot read off the records: the closed sets of strings (<see cref="WireValuesAttribute"/>),
/// which fields are always there, and a batch result as one of two shapes.
/// </summary>
public static class WireSchemas
{
    public static Task Transform(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancel)
    {
        if (context.JsonPropertyInfo is { } property)
            Describe(schema, property);
        else if (context.ParameterDescription?.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: var parameter }
            && parameter.GetCustomAttribute<WireValuesAttribute>() is { } wire)
            schema.Enum = [.. WireNames.Values(wire.Set).Select(v => (JsonNode)v)];
        if (context.JsonTypeInfo.Type == typeof(DateTimeOffset) || context.JsonTypeInfo.Type == typeof(DateTimeOffset?))
        {
            // Written by UtcTimestampConverter, which the generator cannot see into.
            schema.Type = context.JsonTypeInfo.Type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
        }
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 } properties)
            MarkRequired(schema, context.JsonTypeInfo, properties);
        return Task.CompletedTask;
    }

    private static void Describe(OpenApiSchema schema, JsonPropertyInfo property)
    {
        if (Attribute<WireValuesAttribute>(property) is { } wire)
        {
            schema.Enum = [.. WireNames.Values(wire.Set).Select(v => (JsonNode)v)];
            if (property.IsGetNullable && Attribute<RequiredAttribute>(property) is null)
                schema.Enum.Add(null!); // JSON Schema: a nullable enum lists null too
        }
        // Every URL field is named url or *_url (callback, image, logo, learn more): absolute URIs all.
        if ((property.Name == "url" || property.Name.EndsWith("_url", StringComparison.Ordinal)) && property.PropertyType == typeof(string))
            schema.Format = "uri";
    }

    /// <summary>
    /// Answers leave null fields out, so a field is always there exactly when it cannot be null. Requests take every
    /// field as nullable (the endpoint names what is missing), so theirs carry <see cref="RequiredAttribute"/>.
    /// </summary>
    private static void MarkRequired(OpenApiSchema schema, JsonTypeInfo type, IDictionary<string, IOpenApiSchema> properties)
    {
        var required = type.Properties
            .Where(p => properties.ContainsKey(p.Name) && (Attribute<RequiredAttribute>(p) is not null || !Nullable(p)))
            .Select(p => p.Name).ToList();
        schema.Required = new HashSet<string>(required);
        foreach (var name in required)
        {
            if (properties[name] is OpenApiSchema { Type: { } t } field && t.HasFlag(JsonSchemaType.Null))
                field.Type = t & ~JsonSchemaType.Null;
        }
    }

    private static bool Nullable(JsonPropertyInfo property) =>
        System.Nullable.GetUnderlyingType(property.PropertyType) is not null || (!property.PropertyType.IsValueType && property.IsGetNullable);

    /// <summary>
    /// A document transformer, run once every schema is in the components: a batch result is <c>{"message_id"}</c>
    /// for an accepted message or <c>{"error"}</c> for a refused one, never both.
    /// </summary>
    public static Task BatchResultAsOneOf(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancel)
    {
        if (document.Components?.Schemas?.TryGetValue(nameof(BatchResult), out var found) != true || found is not OpenApiSchema schema)
            return Task.CompletedTask;
        schema.OneOf =
        [
            Only("message_id", new OpenApiSchema { Type = JsonSchemaType.String }, "Accepted: the new message's id"),
            Only("error", new OpenApiSchemaReference(nameof(BatchError), document), "Refused: why, as in a problem"),
        ];
        schema.Properties = null;
        schema.Required = null;
        schema.Type = null;
        schema.AdditionalProperties = null;
        schema.AdditionalPropertiesAllowed = true;
        return Task.CompletedTask;
    }

    private static OpenApiSchema Only(string name, IOpenApiSchema field, string description) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = new Dictionary<string, IOpenApiSchema> { [name] = field },
        Required = new HashSet<string> { name },
    };

    private static T? Attribute<T>(JsonPropertyInfo property) where T : Attribute =>
        property.AttributeProvider?.GetCustomAttributes(typeof(T), inherit: true).OfType<T>().FirstOrDefault()
        ?? (property.AttributeProvider as MemberInfo)?.GetCustomAttribute<T>();
}
