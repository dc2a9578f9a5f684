using CsCheck;
using Herald.Core.Messages;
using Herald.Core.Templates;
using Herald.Fuzzing;

namespace Herald.Core.Tests.Fuzz;

public class TemplateTextFuzz
{
    private static readonly Gen<string> s_name = Gen.Char["abcXYZ019_"].Array[1, 64].Select(c => new string(c));

    /// <summary>Text between placeholders: anything without braces, so it cannot form a placeholder of its own.</summary>
    private static readonly Gen<string> s_literal = FuzzText.Any.Select(s => s.Length > 300 ? s[..300] : s).Select(s => s.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal));

    /// <summary>A template as literal text and placeholders, with the names it uses.</summary>
    private static readonly Gen<(string Text, string[] Parts, bool[] IsName)> s_template =
        Gen.Select(s_literal, s_name, Gen.Bool).Array[1, 6].Select(parts =>
        {
            var pieces = parts.Select(p => p.Item3 ? p.Item2 : p.Item1).ToArray();
            var isName = parts.Select(p => p.Item3).ToArray();
            return (string.Concat(pieces.Select((p, i) => isName[i] ? "{{" + p + "}}" : p)), pieces, isName);
        });

    private static readonly Gen<string> s_paramValue = Gen.Frequency((4, FuzzText.Any.Where(v => v.Length <= TemplateText.MaxParamLength)),
        (1, Gen.OneOf("{{name}}", "{{a_1}}", "$1", "$0", "${name}", "}}{{")), (1, Gen.Const(new string('v', TemplateText.MaxParamLength + 1))));

    [Fact]
    public void Validate_refuses_with_a_reason_or_accepts_text_whose_braces_are_all_placeholders() =>
        Gen.Frequency((2, FuzzText.AnyOrNull), (2, s_template.Select(t => (string?)t.Text)), (1, FuzzText.NearMiss(s_template.Select(t => t.Text)).Select(s => (string?)s)))
            .Fuzz(text =>
            {
                var reason = TemplateText.Validate(text);
                if (reason is not null)
                {
                    Assert.False(string.IsNullOrWhiteSpace(reason));
                    return;
                }
                Assert.False(string.IsNullOrWhiteSpace(text));
                Assert.True(MessageRules.Characters(text) <= TemplateText.MaxLength);
                var rest = text;
                foreach (var name in TemplateText.Placeholders(text))
                    rest = rest.Replace("{{" + name + "}}", "", StringComparison.Ordinal);
                Assert.DoesNotContain("{{", rest, StringComparison.Ordinal);
                Assert.DoesNotContain("}}", rest, StringComparison.Ordinal);
            }, 5_000, FuzzText.Literal);

    [Fact]
    public void Rendering_with_exactly_its_parameters_substitutes_each_placeholder_once() =>
        Gen.Select(s_template, s_paramValue.Where(v => v.Length <= TemplateText.MaxParamLength).Array[6]).Fuzz(t =>
        {
            var ((text, parts, isName), values) = t;
            var names = parts.Where((_, i) => isName[i]).Distinct().ToList();
            var parameters = names.Select((n, i) => (n, values[i])).ToDictionary(p => p.n, p => p.Item2);
            var expected = string.Concat(parts.Select((p, i) => isName[i] ? parameters[p] : p));
            var (rendered, errors) = TemplateText.Render(text, parameters);
            if (MessageRules.Characters(expected) > TemplateText.MaxLength)
            {
                Assert.Null(rendered);
                Assert.Equal(["template.params"], errors.Keys);
                return;
            }
            Assert.Empty(errors);
            Assert.Equal(expected, rendered);
            Assert.Equal(names.ToHashSet(), TemplateText.Placeholders(text));
        }, 1_500);

    [Fact]
    public void Missing_unknown_and_too_long_parameters_are_each_named_and_nothing_is_rendered() =>
        Gen.Select(s_template, Gen.Dictionary(s_name, s_paramValue)[0, 4], Gen.Bool.Array[6]).Fuzz(t =>
        {
            var ((text, parts, isName), extra, keep) = t;
            var names = parts.Where((_, i) => isName[i]).Distinct().ToList();
            var parameters = new Dictionary<string, string>(extra);
            for (var i = 0; i < names.Count; i++)
            {
                if (keep[i])
                    parameters[names[i]] = "ok";
            }
            var expected = names.Where(n => !parameters.ContainsKey(n))
                .Concat(parameters.Where(p => !names.Contains(p.Key) || p.Value.Length > TemplateText.MaxParamLength).Select(p => p.Key))
                .Select(n => "template.params." + n).ToHashSet();
            var (rendered, errors) = TemplateText.Render(text, parameters);
            if (expected.Count == 0)
                return; // covered by the property above
            Assert.Null(rendered);
            Assert.Equal(expected, errors.Keys.ToHashSet());
        }, 3_000);

    /// <summary>Parameters come from a business's JSON, where a value can be null: refused, never a crash.</summary>
    [Fact]
    public void Any_text_with_any_parameters_renders_or_refuses_without_throwing() =>
        Gen.Select(Gen.Frequency((1, FuzzText.Any.Select(s => (s, Array.Empty<string>()))), (3, s_template.Select(t => (t.Text, t.Parts)))),
                Gen.Select(FuzzText.AnyOrNull, Gen.Bool, s_name).Array[0, 6])
            .Select((template, values) => (template.Item1, values.Select((v, i) => (Name: v.Item2 && i < template.Item2.Length ? template.Item2[i] : v.Item3, Value: v.Item1))
                .DistinctBy(p => p.Name).ToDictionary(p => p.Name, p => p.Value)))
            .Fuzz(t =>
            {
                var (rendered, errors) = TemplateText.Render(t.Item1, t.Item2!);
                Assert.True(rendered is null != (errors.Count == 0));
                Assert.All(errors, e => Assert.StartsWith("template.params", e.Key, StringComparison.Ordinal));
            }, 3_000);
}
