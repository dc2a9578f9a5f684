using Herald.Core.Messages;
using System.Text.RegularExpressions;

namespace Herald.Core.Templates;

/// <summary>
/// A template's text with <c>{{name}}</c> placeholders (letters, digits and '_'). Rendering needs exactly the
/// template's parameters: a missing one would send a hole, an unknown one is almost always a typo.
/// </summary>
public static partial class TemplateText
{
    public const int MaxLength = 1000;
    public const int MaxParamLength = 200;

    public static IReadOnlySet<string> Placeholders(string text) =>
        Placeholder().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <returns>what is wrong with a template's text, or null</returns>
    public static string? Validate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return "required";
        if (MessageRules.Characters(text) > MaxLength)
            return $"at most {MaxLength} characters";
        var withoutPlaceholders = Placeholder().Replace(text, "");
        if (withoutPlaceholders.Contains("{{", StringComparison.Ordinal) || withoutPlaceholders.Contains("}}", StringComparison.Ordinal))
            return "placeholders look like {{name}}: letters, digits and '_'";
        return null;
    }

    /// <summary>Substitutes the parameters; errors are keyed by <c>template.params.NAME</c>.</summary>
    public static (string? Text, Dictionary<string, string> Errors) Render(string text, IReadOnlyDictionary<string, string>? parameters)
    {
        parameters ??= new Dictionary<string, string>();
        var errors = new Dictionary<string, string>();
        var names = Placeholders(text);
        foreach (var name in names.Where(n => !parameters.ContainsKey(n)))
            errors[$"template.params.{name}"] = "missing";
        foreach (var (name, value) in parameters)
        {
            if (!names.Contains(name))
                errors[$"template.params.{name}"] = "not a placeholder of this template";
            else if (value is null) // JSON null: the type says string, the business's body may not
                errors[$"template.params.{name}"] = "must be a string";
            else if (value.Length > MaxParamLength)
                errors[$"template.params.{name}"] = $"at most {MaxParamLength} characters";
        }
        if (errors.Count > 0)
            return (null, errors);
        var rendered = Placeholder().Replace(text, m => parameters[m.Groups[1].Value]);
        if (MessageRules.Characters(rendered) > MaxLength)
            return (null, new() { ["template.params"] = $"the rendered text is longer than {MaxLength} characters" });
        return (rendered, errors);
    }

    [GeneratedRegex(@"\{\{([A-Za-z0-9_]{1,64})\}\}")]
    private static partial Regex Placeholder();
}
