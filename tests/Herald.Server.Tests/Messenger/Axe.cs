using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// axe-core (Deque's engine, as browsers' accessibility audits use it) run on the page as it is now. Every violation
/// fails, whatever its impact: the Messenger has none, so any is a regression, and "minor" ones (a landmark missing,
/// a heading out of order) are what screen-reader users trip over.
/// </summary>
public static class Axe
{
    public static async Task ExpectNoViolations(IPage page, string screen)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            // WCAG 2.2 A and AA, and Deque's best practices.
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        });
        var found = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help}\n" + string.Join("\n", v.Nodes.Select(n => $"    {n.Target}: {n.Html}")));
        Assert.True(result.Violations.Length == 0, $"axe found on the {screen} screen:\n{string.Join("\n", found)}");
    }
}
