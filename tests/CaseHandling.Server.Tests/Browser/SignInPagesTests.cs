using System.Net;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// Staff sign-in in real Chromium: a page that needs a role sends the browser to sign in and back; a wrong password is
/// said next to the form; a post without its anti-forgery token changes nothing. With JavaScript on and off.
/// </summary>
public sealed class SignInPagesTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private Uri Base => _host.KestrelAddress!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await TestHost.Get("browser", kestrel: true);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private async Task<(IBrowserContext Context, IPage Page)> NewPage(bool javaScript)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = Base.ToString() });
        return (context, await context.NewPageAsync());
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ProtectedPage_SignedOut_SignInThenBackOnThatPage(bool javaScript)
    {
        var (context, page) = await NewPage(javaScript);
        await page.GotoAsync("/hangfire");
        Assert.That(new Uri(page.Url).PathAndQuery, Does.StartWith("/aanmelden?ReturnUrl=%2Fhangfire"));
        Assert.That(await page.TitleAsync(), Does.StartWith("Aanmelden"));

        await page.GetByLabel("E-mailadres").FillAsync(TestHost.AdminEmail);
        await page.GetByLabel("Wachtwoord").FillAsync(TestHost.AdminPassword);
        if (!javaScript) await Chromium.Screenshot(page, "sign-in.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();

        Assert.That(new Uri(page.Url).AbsolutePath, Does.StartWith("/hangfire"), "back where the person wanted to go");
        Assert.That(await page.Locator("body").InnerTextAsync(), Does.Contain("Hangfire"));
        var cookies = await context.CookiesAsync();
        var identity = cookies.Where(c => c.Name?.StartsWith(".AspNetCore.Identity", StringComparison.Ordinal) == true).ToList();
        Assert.That(identity, Is.Not.Empty);
        Assert.That(identity.Select(c => (c.HttpOnly, c.SameSite)), Is.All.EqualTo((true, SameSiteAttribute.Strict)));
        await context.CloseAsync();
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task WrongPassword_SaidOnThePage_NotSignedIn(bool javaScript)
    {
        var (context, page) = await NewPage(javaScript);
        await page.GotoAsync("/aanmelden");
        await page.GetByLabel("E-mailadres").FillAsync(TestHost.AdminEmail);
        await page.GetByLabel("Wachtwoord").FillAsync("niet-het-wachtwoord");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();

        Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Does.Contain("klopt niet"));
        Assert.That(await page.GetByLabel("Wachtwoord").InputValueAsync(), Is.Empty, "the password is never sent back");
        Assert.That((await context.CookiesAsync()).Select(c => c.Name), Has.None.StartsWith(".AspNetCore.Identity"));

        // Empty fields: the error summary links to each field, and the message stands at the field too.
        await page.GetByLabel("E-mailadres").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
        Assert.That(await page.Locator(".summary a[href='#email']").CountAsync(), Is.EqualTo(1));
        Assert.That(await page.Locator("#email-error").InnerTextAsync(), Is.EqualTo("Vul dit in."));
        await context.CloseAsync();
    }

    [Test]
    public async Task SignInForm_PostedWithoutItsAntiForgeryToken_RefusedAndNotSignedIn()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = Base };
        var response = await client.PostAsync("/aanmelden", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = TestHost.AdminEmail, ["password"] = TestHost.AdminPassword,
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], Has.None.Contains(".AspNetCore.Identity"));
    }

    [Test]
    public async Task Accessibility_SignInAndNoAccessPages_NoSeriousOrCriticalAxeViolations()
    {
        var (context, page) = await NewPage(javaScript: true);
        var problems = new List<string>();
        async Task Check(string what)
        {
            var result = await Chromium.Axe(page);
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }
        await page.GotoAsync("/aanmelden"); await Check("sign-in");
        await page.GotoAsync("/aanmelden?lang=en"); await Check("sign-in en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(); await Check("sign-in with errors");
        await page.GotoAsync("/geen-toegang"); await Check("no access");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        await context.CloseAsync();
    }

}
