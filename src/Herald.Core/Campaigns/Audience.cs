using Herald.Core.Messages;
using Herald.Core.Templates;

namespace Herald.Core.Campaigns;

/// <summary>An audience file's columns: where the phone number is, and the template param each other column fills.</summary>
public sealed record AudienceHeader(int PhoneColumn, IReadOnlyList<(int Column, string Name)> Params, int Columns);

/// <summary>One good line of an audience file.</summary>
public sealed record AudienceRow(long Line, string Phone, IReadOnlyDictionary<string, string> Params);

/// <summary>A line of an audience file that is not sent to, and why.</summary>
public sealed record AudienceError(long Line, string Reason);

/// <summary>
/// The rules for an audience file (CSV): a header row naming a <c>phone</c> column and, for a template campaign, one
/// column per placeholder of the template; then one recipient per line. A bad line is reported and skipped, never
/// the whole file.
/// </summary>
public static class Audience
{
    public const int MaxRows = 1_000_000;
    /// <summary>How many bad lines an upload's answer lists (it always counts them all).</summary>
    public const int MaxReportedErrors = 100;
    public const string PhoneColumn = "phone";

    /// <summary>Reads the header row, or says why the file cannot be used.</summary>
    /// <param name="placeholders">the template's placeholders; null for a campaign without a template (then only <c>phone</c> is allowed)</param>
    public static (AudienceHeader? Header, string? Error) ReadHeader(IReadOnlyList<string> columns, IReadOnlySet<string>? placeholders)
    {
        var names = columns.Select(c => c.Trim()).ToList();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            return (null, $"the header names column '{duplicate.Key}' twice");
        var phone = names.IndexOf(PhoneColumn);
        if (phone < 0)
            return (null, $"the header row must name a '{PhoneColumn}' column");
        var parameters = names.Select((Name, Column) => (Column, Name)).Where(c => c.Column != phone).ToList();
        if (placeholders is null)
        {
            if (parameters.Count > 0)
                return (null, $"column '{parameters[0].Name}' is not used: only a template campaign takes param columns");
        }
        else
        {
            if (parameters.FirstOrDefault(p => !placeholders.Contains(p.Name)) is { Name: { } unknown })
                return (null, $"column '{unknown}' is not a placeholder of the campaign's template");
            var missing = placeholders.Where(p => !parameters.Any(c => c.Name == p)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
                return (null, $"the template's placeholder{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} need{(missing.Count == 1 ? "s" : "")} a column");
        }
        return (new AudienceHeader(phone, parameters, names.Count), null);
    }

    /// <summary>Checks one line after the header: its field count, its phone number and its params.</summary>
    public static (AudienceRow? Row, string? Reason) ReadRow(AudienceHeader header, long line, IReadOnlyList<string> fields)
    {
        if (fields.Count != header.Columns)
            return (null, $"expected {header.Columns} field{(header.Columns == 1 ? "" : "s")}, found {fields.Count}");
        var phone = fields[header.PhoneColumn].Trim();
        if (phone.Length == 0)
            return (null, "phone: required");
        if (!PhoneNumber.IsValid(phone))
            return (null, "phone: must be an E.164 number such as +447700900123");
        var parameters = new Dictionary<string, string>(header.Params.Count, StringComparer.Ordinal);
        foreach (var (column, name) in header.Params)
        {
            var value = fields[column];
            if (value.Length > TemplateText.MaxParamLength)
                return (null, $"{name}: at most {TemplateText.MaxParamLength} characters");
            parameters[name] = value;
        }
        return (new AudienceRow(line, phone, parameters), null);
    }
}
