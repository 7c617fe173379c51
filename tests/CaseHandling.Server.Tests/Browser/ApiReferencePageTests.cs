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
    public async Task ApiReference_SignedInStaff_RendersTheOperationsInDutch()
    {
        var page = await Chromium.SignedIn(_browser, new BrowserNewContextOptions { BaseURL = _host.KestrelAddress!.ToString() },
            TestHost.AdminEmail, TestHost.AdminPassword);
        var blocked = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) blocked.Add(m.Text); };
        var response = await page.GotoAsync("/scalar/v1");
        Assert.That(response!.Status, Is.EqualTo(200));
        // Rendered by Scalar's script from the document: an operation's summary and a tag's description (English: the document's one language).
        await Assertions.Expect(page.GetByText("The meld-, overleg- en aangifteplicht in Dutch education").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByText("Sign in").First).ToBeVisibleAsync();
        // Ours, in Dutch: the title, the header with its introduction and the switch, and Scalar's own labels (our overrides).
        Assert.That(await page.TitleAsync(), Is.EqualTo("API-naslag – CaseHandling"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API-naslag", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("De beschrijvingen van de bewerkingen komen uit het OpenAPI-document")).ToBeVisibleAsync();
        Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = "English", Exact = true }).GetAttributeAsync("href"), Is.EqualTo("/scalar/v1?lang=en"));
        await Assertions.Expect(page.GetByText("Antwoorden").First).ToBeAttachedAsync();
        Assert.That(await page.GetByText("Responses", new() { Exact = true }).CountAsync(), Is.Zero, "Scalar's English label, not overridden");
        // The portal's look: our header in the portal's accent colour, the portal's font in Scalar's own part.
        Assert.That(await page.Locator(".ch-header").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"), Is.EqualTo("rgb(11, 79, 138)"));
        Assert.That(await page.Locator(".scalar-app").First.EvaluateAsync<string>("e => getComputedStyle(e).getPropertyValue('--scalar-color-accent').trim()"), Is.EqualTo("#0b4f8a"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = RepoFiles.PathOf("docs", "portal", "api-reference.png") });
        Assert.That(blocked, Is.Empty, string.Join("\n", blocked));
    }

    [Test]
    public async Task ApiReference_LangEn_SpeaksEnglish_AndTheCookieIsFollowed()
    {
        var page = await Chromium.SignedIn(_browser, new BrowserNewContextOptions { BaseURL = _host.KestrelAddress!.ToString() },
            TestHost.AdminEmail, TestHost.AdminPassword);
        await page.GotoAsync("/scalar/v1?lang=en");
        await Assertions.Expect(page.GetByText("The meld-, overleg- en aangifteplicht in Dutch education").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.That(await page.TitleAsync(), Is.EqualTo("API reference – CaseHandling"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API reference", Exact = true })).ToBeVisibleAsync();
        Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = "Nederlands", Exact = true }).GetAttributeAsync("href"), Is.EqualTo("/scalar/v1?lang=nl"));
        await Assertions.Expect(page.GetByText("Responses").First).ToBeAttachedAsync();
        Assert.That(await page.GetByText("Antwoorden", new() { Exact = true }).CountAsync(), Is.Zero);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = RepoFiles.PathOf("docs", "portal", "api-reference-en.png") });

        // A staff member's remembered choice (the portal's ch-lang cookie) holds here too, without ?lang.
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "ch-lang", Value = "en", Url = _host.KestrelAddress!.ToString() }]);
        await page.GotoAsync("/scalar/v1");
        Assert.That(await page.TitleAsync(), Is.EqualTo("API reference – CaseHandling"));
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
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("<title>API-naslag – CaseHandling</title>"));
        Assert.That(html, Does.Not.Contain("https://fonts."), "no fonts from elsewhere");
    }
}
