using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Herald.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Herald.Cli;

/// <summary>
/// Results go to stdout (tables, or JSON with --json); errors and progress go to stderr, so <c>--json</c> output can
/// be piped into other tools untouched.
/// </summary>
internal sealed class Output(bool json)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        Converters = { new UtcTimeConverter() },
    };

    private static readonly JsonSerializerOptions s_line = new(JsonOptions) { WriteIndented = false };

    public IAnsiConsole Console { get; } = Create(System.Console.Out, System.Console.IsOutputRedirected);
    public IAnsiConsole Errors { get; } = Create(System.Console.Error, System.Console.IsErrorRedirected);
    public bool IsJson => json;

    /// <summary>With --json, the value as JSON; otherwise what <paramref name="human"/> renders.</summary>
    public void Show<T>(T value, Func<T, IRenderable> human)
    {
        if (json)
            System.Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        else
            Console.Write(human(value));
    }

    /// <summary>One JSON object per line (for commands that follow a stream), or a human line.</summary>
    public void Line<T>(T value, Func<T, IRenderable> human)
    {
        if (json)
            System.Console.Out.WriteLine(JsonSerializer.Serialize(value, s_line));
        else
            Console.Write(human(value));
    }

    // Errors are plain lines (no wrapping, no markup) so scripts and logs get them whole.
    public void Error(string message) => System.Console.Error.WriteLine("error: " + message);

    public void Problem(HeraldApiException ex)
    {
        if (json)
        {
            System.Console.Error.WriteLine(JsonSerializer.Serialize(new
            {
                status = ex.Status is { } s ? (int?)s : null,
                code = ex.Code,
                title = ex.Title,
                detail = ex.Detail,
                errors = ex.Errors.Count > 0 ? ex.Errors : null,
            }, s_line));
            return;
        }
        var status = ex.Status is { } code ? $"{(int)code} " : "";
        Error($"{status}{ex.Code}: {ex.Title}");
        if (!string.IsNullOrEmpty(ex.Detail))
            System.Console.Error.WriteLine("  " + ex.Detail);
        foreach (var (field, problem) in ex.Errors)
            System.Console.Error.WriteLine($"  {field}: {problem}");
    }

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
            console.Profile.Width = 200; // a pipe has no width; 80 would wrap ids and URLs
        return console;
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
            table.AddColumn(new TableColumn(column));
        return table;
    }

    /// <summary>Adds a row of plain text (never markup: ids and names are shown as they are).</summary>
    public static Table Row(Table table, params string?[] cells) => table.AddRow([.. cells.Select(c => (IRenderable)new Text(c ?? "—"))]);

    /// <summary>Label/value rows for one record.</summary>
    public static Grid Fields(params (string Label, string? Value)[] rows)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (label, value) in rows)
            grid.AddRow(new Text(label, new Style(decoration: Decoration.Bold)), new Text(value ?? "—"));
        return grid;
    }

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "—";
}

/// <summary>Times in JSON output as the API writes them: UTC with a 'Z' and milliseconds.</summary>
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
