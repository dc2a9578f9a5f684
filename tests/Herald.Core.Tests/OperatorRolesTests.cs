using Herald.Core.Accounts;

namespace Herald.Core.Tests;

public sealed class OperatorRolesTests
{
    [Theory]
    [InlineData("owner", "owner", true)]
    [InlineData("owner", "viewer", true)]
    [InlineData("admin", "owner", false)]
    [InlineData("admin", "admin", true)]
    [InlineData("admin", "reviewer", true)]
    [InlineData("reviewer", "viewer", false)] // a viewer reads businesses; a reviewer may not
    [InlineData("reviewer", "reviewer", true)]
    [InlineData("viewer", "reviewer", false)] // a reviewer approves templates; a viewer may not
    [InlineData("viewer", "viewer", true)]
    [InlineData("owner", "token", false)]
    [InlineData("", "viewer", false)]
    public void A_token_never_holds_more_than_its_creator(string creator, string role, bool allowed) =>
        Assert.Equal(allowed, OperatorRoles.MayGrant(creator, role));

    [Theory]
    [InlineData("ci-deploy", true)]
    [InlineData("a", true)]
    [InlineData("v1.2", true)]
    [InlineData("op_1234", false)]
    [InlineData("CI", false)]
    [InlineData("-x", false)]
    [InlineData("with space", false)]
    [InlineData("", false)]
    public void Token_names_are_short_lower_case_and_never_look_like_an_id(string name, bool valid) =>
        Assert.Equal(valid, OperatorTokenNames.IsValid(name));
}
