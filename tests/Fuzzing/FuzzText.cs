using System.Globalization;
using System.Text;
using CsCheck;

namespace Herald.Fuzzing;

/// <summary>Strings that break parsers: odd Unicode, lone surrogates, control characters, syntax fragments, huge runs.</summary>
public static class FuzzText
{
    /// <summary>Fragments that mean something to one of Herald's parsers, or to Unicode handling in general.</summary>
    public static readonly string[] Fragments =
    [
        "", " ", "\t", "\r\n", "\0", "\u0085", "\u00A0", "\u2028", "\u202E", "\u200B", "\uFEFF", "\uFFFD", "\uFFFF",
        "\uD800", "\uDFFF", "\uDBFF\uDFFF", "😀", "👩‍👩‍👧", "e\u0301", "٣", "１", "İ", "ß",
        "{", "}", "{{", "}}", "{{name}}", "{{a_1}}", "{{ name }}", "[", "]", "\"", "\\", "'", ",", ";", "=", ":", "::", ".", "/", "%",
        "+", "-", "0", "1", "9", "00", "255", "256", "4294967296", "-1", "1e309", "0x1F", "+447700900123", "+1",
        "https://", "http://", "app://", "javascript:", "data:", "file:///", "//", "?", "#", "@", "xn--", "localhost",
        "127.0.0.1", "::1", "::ffff:", "10.0.0.0/8", "/32", "/129", "fe80::1%eth0", "[::1]", "0177.0.0.1",
        "t=", "v1=", "transactional", "promotional", "null", "true",
    ];

    /// <summary>Any string: random characters, printable ASCII, parser fragments glued together, or a huge run.</summary>
    public static readonly Gen<string> Any = Gen.Frequency(
        (3, Gen.String),
        (3, Gen.Char[' ', '~'].Array[0, 40].Select(c => new string(c))),
        (5, Gen.OneOf(Fragments).Array[0, 12].Select(string.Concat)),
        (1, Gen.Select(Gen.OneOf(Fragments), Gen.Int[1_000, 70_000]).Select((f, n) => Repeat(f.Length == 0 ? "x" : f, n))));

    /// <summary><see cref="Any"/> or null.</summary>
    public static readonly Gen<string?> AnyOrNull = Gen.Frequency((1, Gen.Const((string?)null)), (4, Any.Select(s => (string?)s)));

    /// <summary>
    /// Valid values with a fragment put in place of a character, inserted, or a character removed, once or twice; at
    /// either end as often as inside, since that is where parsers trim and compare: the near misses they get wrong.
    /// </summary>
    public static Gen<string> NearMiss(Gen<string> valid) =>
        Gen.Select(valid, Gen.Select(Gen.Int[0, 2], Gen.Frequency((1, Gen.Const(0)), (1, Gen.Const(int.MaxValue)), (2, Gen.Int[0, 100])), Gen.OneOf(Fragments)).Array[1, 2])
            .Select((value, edits) => edits.Aggregate(value, (v, e) => Edit(v, e.Item1, e.Item2, e.Item3)));

    private static string Edit(string value, int edit, int at, string fragment)
    {
        if (value.Length == 0)
            return fragment;
        at = Math.Min(at, value.Length - 1);
        return edit switch
        {
            0 => value[..at] + fragment + value[(at + 1)..],
            1 => value.Insert(at == value.Length - 1 ? value.Length : at, fragment),
            _ => value.Remove(at, 1),
        };
    }

    public static string Repeat(string fragment, int length)
    {
        var builder = new StringBuilder(length + fragment.Length);
        while (builder.Length < length)
            builder.Append(fragment);
        return builder.ToString();
    }

    /// <summary>A C# literal of the input, to paste into a regression test (long inputs are cut: use the seed then).</summary>
    public static string Literal(string? value) =>
        value is null ? "null"
        : value.Length > 2000 ? $"\"{Escape(value[..2000])}\" /* cut: {value.Length.ToString(CultureInfo.InvariantCulture)} chars */"
        : $"\"{Escape(value)}\"";

    /// <summary>The text of a C# or JSON string literal: printable ASCII as it is, everything else (lone surrogates too) as \uXXXX.</summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '"' or '\\')
                builder.Append('\\').Append(c);
            else if (c is >= ' ' and <= '~')
                builder.Append(c);
            else
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>Bytes as hex for <c>Convert.FromHexString</c> (cut when long).</summary>
    public static string Hex(byte[] bytes) =>
        bytes.Length > 4000 ? Convert.ToHexString(bytes, 0, 4000) + $"… ({bytes.Length} bytes)" : Convert.ToHexString(bytes);
}
