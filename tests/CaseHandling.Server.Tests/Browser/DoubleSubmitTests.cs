using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The report form in real Chromium (issue 13, item 6): a double click, a reload of the answer (the browser posts the form
/// again) and a resubmission from the back button each file one report, and the reporter sees their code every time.
/// </summary>
public sealed class DoubleSubmitTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private World _w = null!;
    private string _institutionName = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await TestHost.Get("browser", kestrel: true);
        _w = await World.Create(_host);
        var institutions = await _w.Admin.GetJson<List<CaseHandling.Server.Features.Admin.InstitutionView>>("/api/admin/institutions");
        _institutionName = institutions.Single(i => i.Id == _w.InstitutionId).Name;
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private Task<long> Reports() =>
        Sql.Scalar<long>(_host.ConnectionString, "SELECT count(*) FROM reports WHERE institution_id = @id", _w.InstitutionId);

    private async Task<(IPage Page, List<string> Posts)> FilledForm(bool javaScript)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = _host.KestrelAddress!.ToString() });
        var page = await context.NewPageAsync();
        var posts = new List<string>();
        page.Request += (_, r) => { if (r.Method == "POST" && r.Url.EndsWith("/melden")) posts.Add(r.Url); };
        await page.GotoAsync("/melden");
        await page.Locator("#reporterKind-Student").CheckAsync();
        await page.Locator("#incidentType-Bullying").CheckAsync();
        await page.GetByLabel("Wat is er gebeurd?").FillAsync("Er werd steeds gescholden in de kantine.");
        await page.GetByLabel("Wanneer was het?").FillAsync("vorige week");
        await page.GetByLabel("Bij welke instelling?").SelectOptionAsync(new SelectOptionValue { Label = _institutionName });
        await page.Locator("#accusedRole-FellowStudent").CheckAsync();
        await page.Locator("#victimWho-Reporter").CheckAsync();
        await page.Locator("#victimAge-Adult").CheckAsync();
        await page.Locator("#destination-MeldpuntOnly").CheckAsync();
        return (page, posts);
    }

    private static async Task<string> Code(IPage page) => (await page.Locator("#receipt-code").TextContentAsync())!.Trim();

    [Test, NonParallelizable] // counts the reports of its institution, which the other tests here add to
    public async Task DoubleClick_Reload_AndBackButton_FileOneReport_AndShowTheCode()
    {
        var before = await Reports();
        var (page, posts) = await FilledForm(javaScript: false);
        var firstToken = await page.Locator("input[name=SubmissionToken]").InputValueAsync();

        // A double click on the button sends the form twice: one report.
        await page.GetByRole(AriaRole.Button, new() { Name = "Melding versturen" }).DblClickAsync();
        await page.Locator("#receipt-code").WaitForAsync();
        var code = await Code(page);

        // Reloading the answer posts the form again: the same code, said to be the one report.
        await page.ReloadAsync();
        Assert.That(await Code(page), Is.EqualTo(code));

        // Back to the form, and send it again.
        await page.GoBackAsync();
        Assert.That(await page.Locator("input[name=SubmissionToken]").InputValueAsync(), Is.EqualTo(firstToken), "the same form, with its token");
        if (await page.GetByRole(AriaRole.Button, new() { Name = "Melding versturen" }).CountAsync() > 0)
        {
            // Fields marked autocomplete=off are not restored by the browser: the reporter fills them in again.
            if (await page.GetByLabel("Wanneer was het?").InputValueAsync() == "") await page.GetByLabel("Wanneer was het?").FillAsync("vorige week");
            await page.GetByRole(AriaRole.Button, new() { Name = "Melding versturen" }).ClickAsync();
            await page.Locator("#receipt-code").WaitForAsync();
        }
        Assert.Multiple(async () =>
        {
            Assert.That(posts, Has.Count.GreaterThanOrEqualTo(3), "the browser posted the form more than once");
            Assert.That(await Reports() - before, Is.EqualTo(1), "one report");
            Assert.That(await Code(page), Is.EqualTo(code));
            Assert.That(await page.GetByTestId("already-received").IsVisibleAsync(), Is.True);
        });
        await Chromium.Screenshot(page, "reporter-already-received.png");
    }
}

/// <summary>The form's address carries its one-time token; the language stays as asked.</summary>
public sealed class ReportFormTokenTests
{
    [Test]
    public async Task FirstVisit_RedirectedToAnAddressWithAFreshToken_KeepingTheLanguage()
    {
        var client = (await TestHost.Get()).CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var first = await client.GetAsync("/melden?lang=en");
        using var second = await client.GetAsync("/melden");
        var a = first.Headers.Location!.ToString();
        var b = second.Headers.Location!.ToString();
        Assert.Multiple(async () =>
        {
            Assert.That(a, Does.Match("^/melden\\?formulier=[A-Za-z0-9_-]{22}&lang=en$"));
            Assert.That(b, Does.Match("^/melden\\?formulier=[A-Za-z0-9_-]{22}$"));
            Assert.That(a[..30], Is.Not.EqualTo(b[..30]), "a fresh token per visit");
            var page = await (await client.GetAsync(a)).Content.ReadAsStringAsync();
            Assert.That(page, Does.Contain("<html lang=\"en\" dir=\"ltr\">"));
            Assert.That(page, Does.Contain($"name=\"SubmissionToken\" value=\"{a[18..40]}\""));
        });
    }
}
