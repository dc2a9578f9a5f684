using Herald.Core.Campaigns;

namespace Herald.Core.Tests;

public sealed class AudienceTests
{
    private static readonly HashSet<string> s_placeholders = ["name", "code"];

    [Fact]
    public void The_header_names_phone_and_one_column_per_placeholder()
    {
        var (header, error) = Audience.ReadHeader(["code", " phone ", "name"], s_placeholders);
        Assert.Null(error);
        Assert.Equal(1, header!.PhoneColumn);
        Assert.Equal([(0, "code"), (2, "name")], header.Params);
    }

    [Theory]
    [InlineData("number", "must name a 'phone' column")]
    [InlineData("phone,phone", "names column 'phone' twice")]
    [InlineData("phone,name", "placeholder code needs a column")]
    [InlineData("phone,name,code,city", "column 'city' is not a placeholder")]
    public void A_header_that_does_not_fit_the_template_is_refused(string columns, string expected)
    {
        var (header, error) = Audience.ReadHeader(columns.Split(','), s_placeholders);
        Assert.Null(header);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Without_a_template_only_phone_is_allowed()
    {
        Assert.NotNull(Audience.ReadHeader(["phone"], null).Header);
        Assert.Contains("only a template campaign", Audience.ReadHeader(["phone", "name"], null).Error);
    }

    [Theory]
    [InlineData(new[] { "+447700900123", "Ann" }, null)]
    [InlineData(new[] { " +447700900123 ", "" }, null)]
    [InlineData(new[] { "+447700900123" }, "expected 2 fields, found 1")]
    [InlineData(new[] { "", "Ann" }, "phone: required")]
    [InlineData(new[] { "07700900123", "Ann" }, "phone: must be an E.164")]
    [InlineData(new[] { "+44 7700 900123", "Ann" }, "phone: must be an E.164")]
    public void Each_line_is_checked(string[] fields, string? reason)
    {
        var header = Audience.ReadHeader(["phone", "name"], new HashSet<string> { "name" }).Header!;
        var (row, error) = Audience.ReadRow(header, 7, fields);
        if (reason is null)
        {
            Assert.Null(error);
            Assert.Equal("+447700900123", row!.Phone);
            Assert.Equal(7, row.Line);
            Assert.Equal(fields[1], row.Params["name"]);
        }
        else
        {
            Assert.Null(row);
            Assert.StartsWith(reason, error);
        }
    }

    [Fact]
    public void A_param_longer_than_a_template_param_may_be_is_refused()
    {
        var header = Audience.ReadHeader(["phone", "name"], new HashSet<string> { "name" }).Header!;
        Assert.Equal("name: at most 200 characters", Audience.ReadRow(header, 2, ["+447700900123", new string('a', 201)]).Reason);
    }
}
