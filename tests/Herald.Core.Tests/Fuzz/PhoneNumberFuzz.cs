using System.Text.RegularExpressions;
using CsCheck;
using Herald.Core.Messages;
using Herald.Core.Templates;
using Herald.Fuzzing;

namespace Herald.Core.Tests.Fuzz;

public partial class PhoneNumberFuzz
{
    /// <summary>E.164 as Herald takes it, written independently of the code: '+', a first digit 1-9, 7 to 15 ASCII digits in all.</summary>
    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}\z", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    private static readonly Gen<string> s_valid =
        Gen.Select(Gen.Char['1', '9'], Gen.Char['0', '9'].Array[6, 14]).Select((first, rest) => "+" + first + new string(rest));

    [Fact]
    public void A_string_is_a_valid_number_exactly_when_it_is_E164() =>
        Gen.Frequency((1, FuzzText.AnyOrNull), (2, FuzzText.NearMiss(s_valid).Select(s => (string?)s)))
            .Fuzz(s => Assert.Equal(s is not null && E164().IsMatch(s), PhoneNumber.IsValid(s)), 5_000, FuzzText.Literal);

    [Fact]
    public void Every_E164_number_is_valid() =>
        s_valid.Fuzz(s => Assert.True(PhoneNumber.IsValid(s), s), 2_000);

    [Fact]
    public void Calling_codes_are_one_to_three_digits_without_a_leading_zero_and_match_the_longest_prefix() =>
        Gen.Select(FuzzText.AnyOrNull, s_valid, Gen.Char['0', '9'].Array[1, 4].Select(c => new string(c)).Array[0, 6]).Fuzz(t =>
        {
            var (code, phone, configured) = t;
            Assert.Equal(code is not null && Regex.IsMatch(code, @"^[1-9][0-9]{0,2}\z", RegexOptions.CultureInvariant), CallingCodes.IsValid(code));
            var match = CallingCodes.Match(phone, configured);
            var prefixes = configured.Where(c => phone[1..].StartsWith(c, StringComparison.Ordinal)).ToList();
            Assert.Equal(prefixes.Count == 0 ? null : prefixes.Max(c => c.Length), match?.Length);
            Assert.True(match is null || phone[1..].StartsWith(match, StringComparison.Ordinal));
        }, 2_000);
}
