using System.Net;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The API reference (Scalar, at /scalar/v1) in real Chromium: it renders the operations for signed-in staff under the
/// app's Content-Security-Policy; an anonymous browser is sent to sign in, unless ApiReference:OpenToEveryone (Development).
/// </summary>
public sealed class ApiReferencePageTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await TestHost.Get("api-reference-browser", kestrel: true);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    [Test]
    public async Task ApiReference_SignedInStaff_RendersTheOperations()
    {
        var page = await Chromium.SignedIn(_browser, new BrowserNewContextOptions { BaseURL = _host.KestrelAddress!.ToString() },
            TestHost.AdminEmail, TestHost.AdminPassword);
        var blocked = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) blocked.Add(m.Text); };
        var response = await page.GotoAsync("/scalar/v1");
        Assert.That(response!.Status, Is.EqualTo(200));
        // Rendered by Scalar's script from the document: an operation's summary and a tag's description.
        await Assertions.Expect(page.GetByText("The meld-, overleg- en aangifteplicht in Dutch education").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByText("Sign in").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = RepoFiles.PathOf("docs", "api-reference.png") });
        Assert.That(blocked, Is.Empty, string.Join("\n", blocked));
    }

    [Test]
    public async Task ApiReference_Anonymous_SentToSignIn()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _host.KestrelAddress!.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/scalar/v1");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/aanmelden"));
        Assert.That(await page.ContentAsync(), Does.Not.Contain("Record the aangifte"));
    }

    [Test]
    public async Task ApiReference_OpenToEveryone_AnonymousGetsThePage()
    {
        var host = await TestHost.Get("api-reference-open", new() { ["ApiReference:OpenToEveryone"] = "true" });
        var response = await host.CreateClient().GetAsync("/scalar/v1");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("CaseHandling API"));
    }
}
