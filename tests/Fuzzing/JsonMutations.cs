using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Herald.Fuzzing;

/// <summary>
/// JSON inputs mutated from valid seeds, the way a mutation fuzzer would: first edits that keep the text JSON (odd
/// values and wrong types, removed, unknown and duplicate keys, nasty strings), then byte edits that may not (bit flips,
/// truncation, invalid UTF-8, deep nesting, spliced fragments). Shrinking removes edits until one is left.
/// </summary>
public static class JsonMutations
{
    /// <summary>Values of every wrong type and size, as raw JSON text (some are not valid JSON on purpose).</summary>
    public static readonly string[] OddValues =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e309", "-1e309", "2147483648", "-2147483649",
        "99999999999999999999999999999999", "0.00000000000000000001", "\"\"", "\" \"", "\"\\u0000\"", "\"\\uD800\"",
        "\"\\uDFFF\\uD800\"", "\"\\uD83D\\uDE00\"", "\"{{name}}\"", "\"+447700900123\"", "\"https://x.example/\"", "[]", "{}",
        "[null]", "[1,\"a\",{}]", "{\"a\":null}", "[[[[[[[[[[]]]]]]]]]]", "\"\\/\\b\\f\\n\\r\\t\"", "NaN", "Infinity", "'a'", "\"\\x41\"",
        "01", "+1", ".5", "1.", "\"abc", "[1,]", "{\"a\":1,}",
    ];

    private static readonly byte[][] s_badUtf8 =
    [
        [0x80], [0xC0, 0x80], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF],
        [0xEF, 0xBB, 0xBF], [0x00],
    ];

    private static readonly byte[] s_interesting = "\0\"\\{}[],:-0e.+ \n"u8.ToArray().Concat(new byte[] { 0x7F, 0x80, 0xC0, 0xFF }).ToArray();

    private static readonly Gen<Edit> s_edit = Gen.Select(Gen.Int[0, 7], Gen.Int, Gen.Int).Select((k, w, x) => new Edit(k, w, x));

    /// <summary>
    /// Picked more often than the rest: a value of each other JSON type (a type mix-up is the likeliest slip), and NUL,
    /// which a database's text type may refuse.
    /// </summary>
    private static readonly string[] s_likely = ["null", "0", "\"\"", "[]", "{}", "true", "\"a\\u0000b\""];

    /// <summary>Mutants of the seeds: edits that keep the text JSON, byte edits, or both; now and then plain random bytes.</summary>
    public static Gen<byte[]> Of(params string[] seeds)
    {
        var seed = Gen.Int[0, seeds.Length - 1];
        return Gen.Frequency(
            (6, Gen.Select(seed, s_edit.Array[1, 3]).Select((i, structural) => Apply(seeds[i], structural, []))),
            (6, Gen.Select(seed, s_edit.Array[1, 4]).Select((i, bytes) => Apply(seeds[i], [], bytes))),
            (3, Gen.Select(seed, s_edit.Array[1, 3], s_edit.Array[1, 3]).Select((i, structural, bytes) => Apply(seeds[i], structural, bytes))),
            (1, Gen.Byte.Array[0, 300]));
    }

    public static byte[] Apply(string seed, Edit[] structural, Edit[] bytes)
    {
        var text = structural.Length == 0 ? seed : Restructure(seed, structural);
        var data = new List<byte>(Encoding.UTF8.GetBytes(text));
        foreach (var edit in bytes)
            EditBytes(data, edit);
        return [.. data];
    }

    private static string Restructure(string seed, Edit[] edits)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(seed);
        }
        catch (System.Text.Json.JsonException)
        {
            return seed;
        }
        var marks = new List<string>();
        var duplicates = new List<string>();
        foreach (var edit in edits)
        {
            var places = Places(root).ToList();
            if (places.Count == 0)
                break;
            var (parent, key, index) = places[Pick(edit.Where, places.Count)];
            var mark = $"__fuzz{marks.Count}__";
            switch (edit.Kind % 4)
            {
                case 0: // a value of another type or size
                    marks.Add(edit.What % 3 == 0 ? s_likely[Pick(edit.What >> 2, s_likely.Length)] : OddValues[Pick(edit.What, OddValues.Length)]);
                    Set(parent, key, index, mark);
                    break;
                case 1: // a nasty string
                    marks.Add(Quote(FuzzText.Fragments[Pick(edit.What, FuzzText.Fragments.Length)] + FuzzText.Fragments[Pick(edit.What >> 8, FuzzText.Fragments.Length)]));
                    Set(parent, key, index, mark);
                    break;
                case 2: // a field removed, or an unknown one added
                    if (parent is JsonObject o && (edit.What & 1) == 0)
                        o.Remove(key!);
                    else if (parent is JsonObject other)
                        other["unknown_" + Pick(edit.What, 100).ToString(CultureInfo.InvariantCulture)] = 1;
                    else if (parent is JsonArray a)
                        a.RemoveAt(index);
                    break;
                default: // a key given twice: the reader must pick one, not fail oddly
                    if (key is not null)
                        duplicates.Add($"{Quote(key)}:{OddValues[Pick(edit.What, OddValues.Length)]},");
                    break;
            }
        }
        var text = root?.ToJsonString() ?? "null";
        for (var i = 0; i < marks.Count; i++)
            text = text.Replace($"\"__fuzz{i}__\"", marks[i], StringComparison.Ordinal);
        if (duplicates.Count > 0 && text.StartsWith('{'))
            text = "{" + string.Concat(duplicates) + text[1..];
        return text;
    }

    private static IEnumerable<(JsonNode Parent, string? Key, int Index)> Places(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o.ToList())
            {
                yield return (o, key, -1);
                foreach (var inner in Places(value))
                    yield return inner;
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                yield return (a, null, i);
                foreach (var inner in Places(a[i]))
                    yield return inner;
            }
        }
    }

    private static void Set(JsonNode parent, string? key, int index, string mark)
    {
        if (parent is JsonObject o)
            o[key!] = mark;
        else
            ((JsonArray)parent)[index] = mark;
    }

    private static void EditBytes(List<byte> data, Edit edit)
    {
        var at = Pick(edit.Where, data.Count + 1);
        switch (edit.Kind)
        {
            case 0 when data.Count > 0:
                data[Math.Min(at, data.Count - 1)] ^= (byte)(1 << (edit.What & 7));
                break;
            case 1 when data.Count > 0:
                data[Math.Min(at, data.Count - 1)] = s_interesting[Pick(edit.What, s_interesting.Length)];
                break;
            case 2:
                data.RemoveRange(at, Math.Min(Pick(edit.What, 16) + 1, data.Count - at));
                break;
            case 3:
                data.RemoveRange(at, data.Count - at);
                break;
            case 4:
                data.InsertRange(at, data.GetRange(at, Math.Min(Pick(edit.What, 32), data.Count - at)));
                break;
            case 5:
                data.InsertRange(at, s_badUtf8[Pick(edit.What, s_badUtf8.Length)]);
                break;
            case 6: // nesting deeper than any reader's limit, or just inside it
                var depth = 1 + Pick(edit.What, 300);
                var (open, close) = (edit.What & 1) == 0 ? ("[", "]") : ("{\"a\":", "}");
                data.InsertRange(0, Encoding.UTF8.GetBytes(FuzzText.Repeat(open, depth * open.Length)));
                data.AddRange(Encoding.UTF8.GetBytes(new string(close[0], depth)));
                break;
            default:
                data.InsertRange(at, Encoding.UTF8.GetBytes(OddValues[Pick(edit.What, OddValues.Length)]));
                break;
        }
    }

    /// <summary>A JSON string literal that escapes everything outside printable ASCII, lone surrogates included.</summary>
    public static string Quote(string value) => $"\"{FuzzText.Escape(value)}\"";

    private static int Pick(int value, int count) => (int)((uint)value % (uint)count);

    public readonly record struct Edit(int Kind, int Where, int What);
}
