using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Herald.Core.Campaigns;
using Herald.Storage;

namespace Herald.Server.Campaigns;

/// <summary>What an audience upload kept and refused.</summary>
/// <param name="Errors">the first <see cref="Audience.MaxReportedErrors"/> bad lines</param>
public sealed record AudienceReport(long Recipients, long BadRows, IReadOnlyList<AudienceError> Errors);

/// <summary>Why an upload was refused as a whole (nothing of it is kept).</summary>
public sealed class AudienceRefusedException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
}

/// <summary>
/// Reads an audience CSV from a stream as it arrives (CsvHelper), checks each line (<see cref="Audience"/>) and
/// writes the good ones a chunk at a time: memory stays at one chunk whatever the file's size. A bad line is counted
/// and skipped; a file that cannot be read as CSV, has no usable header or more than <see cref="Audience.MaxRows"/>
/// lines is refused whole and the audience left empty.
/// </summary>
public static class AudienceUpload
{
    public const int ChunkRows = 5000;
    /// <summary>A field longer than this is not a phone number or a template param: the file is refused, not buffered.</summary>
    public const int MaxFieldSize = 4096;

    public static async Task<AudienceReport> Read(Stream body, CampaignStore store, string campaignId, IReadOnlySet<string>? placeholders,
        CancellationToken cancel)
    {
        if (!await store.ClearAudience(campaignId))
            throw new CampaignNotEditableException();
        try
        {
            return await ReadRows(body, store, campaignId, placeholders, cancel);
        }
        catch (Exception ex) when (ex is AudienceRefusedException or CsvHelperException or DecoderFallbackException)
        {
            await store.ClearAudience(campaignId);
            throw ex switch
            {
                CsvHelperException csv => new AudienceRefusedException(400, "invalid_csv",
                    $"The file is not CSV this server can read (near line {csv.Context?.Parser?.RawRow}): {FirstLine(csv.Message)}"),
                DecoderFallbackException => new AudienceRefusedException(400, "invalid_csv", "The file is not UTF-8 text."),
                _ => ex,
            };
        }
    }

    private static async Task<AudienceReport> ReadRows(Stream body, CampaignStore store, string campaignId, IReadOnlySet<string>? placeholders,
        CancellationToken cancel)
    {
        var malformedLine = 0L;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            DetectColumnCountChanges = false,
            MissingFieldFound = null,
            MaxFieldSize = MaxFieldSize,
            TrimOptions = TrimOptions.None,
            BadDataFound = args => malformedLine = args.Context.Parser?.RawRow ?? -1,
        };
        using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, config);
        if (!await csv.ReadAsync())
            throw new AudienceRefusedException(400, "invalid_csv", "The file is empty: it needs a header row naming a 'phone' column.");
        csv.ReadHeader();
        var (header, headerError) = Audience.ReadHeader(csv.HeaderRecord ?? [], placeholders);
        if (header is null)
            throw new AudienceRefusedException(400, "invalid_csv", $"Line 1: {headerError}.");

        var errors = new List<AudienceError>();
        long badRows = 0, rows = 0, kept = 0;
        var chunk = new List<AudienceRow>(ChunkRows);
        void Bad(long line, string reason)
        {
            badRows++;
            if (errors.Count < Audience.MaxReportedErrors)
                errors.Add(new AudienceError(line, reason));
        }
        async Task Flush()
        {
            var duplicates = await store.AddRecipients(campaignId, chunk);
            kept += chunk.Count - duplicates.Count;
            foreach (var line in duplicates)
                Bad(line, "phone: already in the audience on an earlier line");
            chunk.Clear();
        }

        while (await csv.ReadAsync())
        {
            cancel.ThrowIfCancellationRequested();
            if (++rows > Audience.MaxRows)
                throw new AudienceRefusedException(413, "audience_too_large", $"An audience has at most {Audience.MaxRows:N0} lines after the header.");
            var line = csv.Parser.RawRow;
            var fields = csv.Parser.Record ?? []; // fields are parsed here: BadDataFound has run for this line after it
            if (malformedLine == line)
            {
                Bad(line, "malformed quotes");
                continue;
            }
            var (row, reason) = Audience.ReadRow(header, line, fields);
            if (row is null)
            {
                Bad(line, reason!);
                continue;
            }
            chunk.Add(row);
            if (chunk.Count == ChunkRows)
                await Flush();
        }
        await Flush();
        await store.SetBadRows(campaignId, badRows);
        return new AudienceReport(kept, badRows, [.. errors.OrderBy(e => e.Line)]);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
