using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>Debian's Chromium, headless, as every browser test starts it; and the screenshots the README shows.</summary>
public static class Chromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    /// <summary>
    /// axe-core with only its violations processed: the tests read nothing else, and collecting the passes (every node of
    /// every rule that holds) is most of what a run costs on these pages.
    /// </summary>
    public static readonly Deque.AxeCore.Commons.AxeRunOptions AxeOptions = new()
    {
        ResultTypes = new HashSet<Deque.AxeCore.Commons.ResultType> { Deque.AxeCore.Commons.ResultType.Violations },
    };

    /// <summary>The whole page, into docs/portal/.</summary>
    public static async Task Screenshot(IPage page, string name)
    {
        var folder = RepoFiles.PathOf("docs", "portal");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
    }

    /// <summary>A new browser context with <paramref name="options"/>, signed in through the sign-in page's form.</summary>
    public static async Task<IPage> SignedIn(IBrowser browser, BrowserNewContextOptions options, string email, string password)
    {
        var context = await browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/aanmelden");
        await page.GetByLabel("E-mailadres").FillAsync(email);
        await page.GetByLabel("Wachtwoord").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
        return page;
    }
}
