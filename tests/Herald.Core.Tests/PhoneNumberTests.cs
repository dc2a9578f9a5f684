using Herald.Core.Messages;

namespace Herald.Core.Tests;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("+447700900123")]
    [InlineData("+14155550123")]
    [InlineData("+1234567")]          // 7 digits: the shortest accepted
    [InlineData("+123456789012345")]  // 15 digits: the E.164 maximum
    public void Valid_E164_numbers(string value)
    {
        Assert.True(PhoneNumber.IsValid(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("+123456")]            // too short
    [InlineData("+1234567890123456")]  // 16 digits: over the E.164 maximum
    [InlineData("447700900123")]       // no plus
    [InlineData("00447700900123")]     // international prefix instead of plus
    [InlineData("+0447700900123")]     // leading zero
    [InlineData("+44 7700 900123")]    // spaces
    [InlineData("+44-7700-900123")]    // dashes
    [InlineData("+44(0)7700900123")]
    [InlineData("+44770090012a")]
    [InlineData("++447700900123")]
    [InlineData("+447700900123 ")]
    [InlineData("+٤٤٧٧٠٠٩٠٠١٢٣")]      // non-ASCII digits
    [InlineData("+４４７７００９００１２３")] // full-width digits
    public void Invalid_numbers(string? value)
    {
        Assert.False(PhoneNumber.IsValid(value));
    }
}
