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

    /// <summary>axe-core as the package bundles it (4.14), read once per run.</summary>
    private static readonly Lazy<string> AxeSource = new(() => new Deque.AxeCore.Commons.BundledAxeScriptProvider().GetScript());

    /// <summary>One rule axe found broken, with the elements that break it.</summary>
    public sealed record AxeViolation(string Id, string? Impact, string Help, List<AxeNode> Nodes);
    public sealed record AxeNode(string Html);
    public sealed record AxeFindings(List<AxeViolation> Violations);

    private static readonly System.Text.Json.JsonSerializerOptions AxeJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>
    /// Runs every axe-core rule on the page (WCAG 2.0/2.1 A and AA and axe's best practices, as the package's own RunAxe
    /// does) and returns the violations. Not through the package's RunAxe: that injects the 650 KB script twice per call,
    /// serialises every node of every rule (passes too) with its selector, XPath and ancestry, and finishes the run in a
    /// second page it opens and closes, about ten seconds a call on these machines. Here axe is injected once per page
    /// load and <c>axe.run</c> computes only the violations (resultTypes), without XPath or ancestry. The pages have no
    /// iframes and load no stylesheet from another site, so <c>iframes</c> and <c>preload</c> change nothing.
    /// </summary>
    public static async Task<AxeFindings> Axe(IPage page)
    {
        // axe.run waits on timers, which a context with JavaScript off never runs: check such pages in a context with it on.
        if (!await page.EvaluateAsync<bool>("() => new Promise(resolve => setTimeout(() => resolve(true), 0))").WaitAsync(TimeSpan.FromSeconds(5))
                .ContinueWith(t => t.IsCompletedSuccessfully && t.Result))
            throw new InvalidOperationException("axe needs JavaScript: this page's context has it off.");
        // The script as the expression itself (as the package injects it): an evaluation from the driver is not subject to the
        // pages' Content-Security-Policy, an eval() inside the page would be.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'")) await page.EvaluateAsync(AxeSource.Value);
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'], iframes: false, xpath: false, ancestry: false, preload: false });
              return JSON.stringify({ violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({ html: n.html })) })) });
            }
            """);
        return System.Text.Json.JsonSerializer.Deserialize<AxeFindings>(json, AxeJson)!;
    }

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
