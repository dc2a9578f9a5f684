using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Herald.Core.Json;

namespace Herald.Server.Http;

/// <summary>JSON settings of every API: snake_case, nulls left out, unknown fields refused.</summary>
public static class ApiJson
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        // JSON here is never inlined into HTML, so '+' in phone numbers can stay '+' rather than \u002B.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // The web defaults read "42" as a number; bodies are read with these options, which never do (nor does the document).
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new UtcTimestampConverter());
        options.TypeInfoResolverChain.Insert(0, CoreJson.Default);
        if (!options.TypeInfoResolverChain.OfType<DefaultJsonTypeInfoResolver>().Any())
            options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions();
        Apply(options);
        options.MakeReadOnly();
        return options;
    }

    public static JsonTypeInfo<T> Type<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
