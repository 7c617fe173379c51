using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The meldpunt handler's matching pages in real Chromium (docs/MATCHING.md): the accused named on the reporter's form,
/// the open matches, two reports side by side, and the form that corrects the accused; with JavaScript on and off, axe
/// in Dutch and English, the keyboard, anti-forgery, and other roles refused. The JavaScript-off run saves screenshots.
/// </summary>
public sealed class MatchingPagesTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private HttpClient _admin = null!;

    private sealed record People(string Handler, string Board, string Inspector, Guid InstitutionId, string InstitutionName);

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await TestHost.Get("browser", kestrel: true);
        _admin = await World.SignIn(_host, TestHost.AdminEmail, TestHost.AdminPassword);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private async Task<People> NewPeople()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var inst = await World.Institution(_admin, $"Hogeschool {tag}", Sector.Ho);
        async Task<string> User(string who, StaffRole role, Guid? institution)
        {
            var email = $"{who}-{tag}@test.casehandling.nl";
            await (await _admin.Post("/api/admin/users", new CreateUser(email, $"{who} {tag}", World.Password, role, institution)))
                .Read<UserView>(HttpStatusCode.Created);
            return email;
        }
        return new People(await User("meldpunt", StaffRole.MeldpuntHandler, null), await User("bestuur", StaffRole.Board, inst.Id),
            await User("inspecteur", StaffRole.Vertrouwensinspecteur, null), inst.Id, inst.Name);
    }

    private async Task<IPage> SignedIn(string email, bool javaScript)
    {
        return await Chromium.SignedIn(_browser, new BrowserNewContextOptions
        {
            JavaScriptEnabled = javaScript, BaseURL = _host.KestrelAddress!.ToString(), Locale = "nl-NL", ViewportSize = new() { Width = 1280, Height = 900 },
        }, email, World.Password);
    }

    /// <summary>A report filed on /melden with the accused named, as a reporter does; returns its id and number.</summary>
    private async Task<(Guid Id, string Number)> FileInBrowser(People people, string accused, string email, bool javaScript, bool screenshot)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = _host.KestrelAddress!.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/melden");
        await page.GetByLabel("Student of leerling").CheckAsync();
        await page.GetByLabel("Seksuele intimidatie").CheckAsync();
        await page.GetByLabel("Wat is er gebeurd?").FillAsync("Een docent stuurde mij berichten na de les.");
        await page.GetByLabel("Wanneer was het?").FillAsync("in oktober");
        await page.GetByLabel("Bij welke instelling?").SelectOptionAsync(new SelectOptionValue { Label = people.InstitutionName });
        await page.GetByLabel("Iemand die voor de instelling werkt").CheckAsync();
        await page.GetByLabel("Naam", new() { Exact = true }).FillAsync(accused);
        await page.GetByLabel("E-mailadres van deze persoon").FillAsync(email);
        await page.GetByLabel("Mij", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Nee, 18 of ouder").CheckAsync();
        await page.GetByLabel("Alleen naar het meldpunt").CheckAsync();
        if (screenshot) await Chromium.Screenshot(page, "reporter-accused.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Melding versturen" }).ClickAsync();
        var code = (await page.Locator("#receipt-code").TextContentAsync())!.Trim();
        await context.CloseAsync();
        return await Identify(people, code);
    }

    private async Task<(Guid Id, string Number)> FileByApi(People people, string accused, string? email = null)
    {
        var receipt = await (await _host.CreateClient().Post("/api/reports", new SubmitReport(ReporterKind.StaffMember, true, null, null, null,
            IncidentType.SeksueleIntimidatie, "Hij maakte opmerkingen over mijn uiterlijk.", "vorig jaar", people.InstitutionId, "Bureau", AccusedRole.MetTakenBelastPersoon,
            VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly, accused, null, email))).Read<ReportReceipt>(HttpStatusCode.Created);
        return await Identify(people, receipt.ReceiptCode);
    }

    private async Task<(Guid, string)> Identify(People people, string code)
    {
        var id = await Sql.ReportIdByReceiptCode(_host.ConnectionString, code);
        var number = await Sql.Scalar<string>(_host.ConnectionString, "SELECT number FROM reports WHERE id = @id", id);
        return (id, number);
    }

    private async Task<long> Audited(Guid report, string action) =>
        await Sql.Scalar<long>(_host.ConnectionString, "SELECT count(*) FROM audit_entries WHERE subject_id = @id AND action = @a", ("id", report), ("a", action));

    [TestCase(false)]
    [TestCase(true)]
    public async Task Handler_SeesTheMatch_ComparesSideBySide_AndCorrectsTheAccused(bool javaScript)
    {
        var people = await NewPeople();
        var screenshots = !javaScript;
        var name = "Pieter van " + Guid.NewGuid().ToString("N")[..6];
        var email = $"p.van.{Guid.NewGuid().ToString("N")[..6]}@hogeschool.example";
        var first = await FileInBrowser(people, name, email, javaScript, screenshots);
        var second = await FileByApi(people, name.ToUpperInvariant(), "mailto:" + email.Replace("@", "+werk@"));

        var handler = await SignedIn(people.Handler, javaScript);
        await handler.GotoAsync("/portaal/meldingen/overeenkomsten");
        Assert.That(await handler.Locator("h1").InnerTextAsync(), Is.EqualTo("Overeenkomsten tussen meldingen"));
        var row = handler.Locator("#matches tr", new() { HasText = first.Number });
        Assert.That(await row.InnerTextAsync(), Does.Contain(second.Number).And.Contain("naam bij dezelfde instelling").And.Contain("e-mailadres"));
        Assert.That(await handler.Locator("main").InnerTextAsync(), Does.Not.Contain(name), "the list shows no content");
        if (screenshots) await Chromium.Screenshot(handler, "matching-list.png");
        Assert.That(await Audited(first.Id, "match:listed"), Is.EqualTo(1));

        await row.GetByRole(AriaRole.Link).ClickAsync();
        Assert.That(new Uri(handler.Url).AbsolutePath, Is.EqualTo($"/portaal/meldingen/overeenkomsten/{first.Id}/{second.Id}"));
        Assert.That(await handler.Locator("#first").InnerTextAsync(), Does.Contain(name).And.Contain("Een docent stuurde mij berichten"));
        Assert.That(await handler.Locator("#second").InnerTextAsync(), Does.Contain(name.ToUpperInvariant()).And.Contain("opmerkingen over mijn uiterlijk"));
        if (screenshots) await Chromium.Screenshot(handler, "matching-side-by-side.png");
        Assert.That(await Audited(first.Id, "match:shown"), Is.EqualTo(1));
        Assert.That(await Audited(second.Id, "match:shown"), Is.EqualTo(1));

        // The handler corrects the second report's accused: a wrong address is refused at its field, then the right one is saved.
        await handler.GetByRole(AriaRole.Link, new() { Name = $"Beschuldigde in {second.Number} verbeteren" }).ClickAsync();
        Assert.That(await handler.Locator("h1").InnerTextAsync(), Is.EqualTo($"Beschuldigde in melding {second.Number}"));
        Assert.That(await handler.GetByLabel("Naam").InputValueAsync(), Is.EqualTo(name.ToUpperInvariant()));
        await handler.GetByLabel("E-mailadres").FillAsync("geen adres");
        await handler.GetByRole(AriaRole.Button, new() { Name = "Beschuldigde opslaan" }).ClickAsync();
        Assert.That(await handler.Locator(".summary").InnerTextAsync(), Does.Contain("E-mailadres"));
        Assert.That(await handler.Locator("#accused-accusedEmail").GetAttributeAsync("aria-describedby"), Is.EqualTo("accused-accusedEmail-error"));
        if (screenshots) await Chromium.Screenshot(handler, "matching-accused-errors.png");
        await handler.GetByLabel("E-mailadres").FillAsync("");
        await handler.GetByLabel("Personeelsnummer").FillAsync("HS-1234");
        await handler.GetByRole(AriaRole.Button, new() { Name = "Beschuldigde opslaan" }).ClickAsync();
        Assert.That(await handler.Locator("#saved").InnerTextAsync(), Is.EqualTo("De beschuldigde is opgeslagen."));
        Assert.That(await handler.GetByLabel("Personeelsnummer").InputValueAsync(), Is.EqualTo("HS-1234"));
        if (screenshots) await Chromium.Screenshot(handler, "matching-accused.png");

        // Still one match, now by name only.
        await handler.GotoAsync("/portaal/meldingen/overeenkomsten");
        var after = await handler.Locator("#matches tr", new() { HasText = first.Number }).InnerTextAsync();
        Assert.That(after, Does.Contain("naam bij dezelfde instelling").And.Not.Contain("e-mailadres"));

        // The report's own page says so too, and leads to the same comparison.
        await handler.GotoAsync($"/portaal/meldingen/{first.Id}");
        Assert.That(await handler.Locator("#matches").InnerTextAsync(), Does.Contain("1 andere, onafhankelijke melding").And.Contain(second.Number));
        await handler.Locator("#matches").GetByRole(AriaRole.Link).ClickAsync();
        Assert.That(new Uri(handler.Url).AbsolutePath, Is.EqualTo($"/portaal/meldingen/overeenkomsten/{first.Id}/{second.Id}"));
        await handler.Context.CloseAsync();
    }

    [Test]
    public async Task OtherRoles_AreToldThePagesAreNotTheirs()
    {
        var people = await NewPeople();
        var name = "Roos " + Guid.NewGuid().ToString("N")[..6];
        var a = await FileByApi(people, name);
        var b = await FileByApi(people, name);
        foreach (var who in new[] { people.Board, people.Inspector, TestHost.AdminEmail })
        {
            var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, BaseURL = _host.KestrelAddress!.ToString() });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/aanmelden");
            await page.GetByLabel("E-mailadres").FillAsync(who);
            await page.GetByLabel("Wachtwoord").FillAsync(who == TestHost.AdminEmail ? TestHost.AdminPassword : World.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
            foreach (var path in new[] { "/portaal/meldingen/overeenkomsten", $"/portaal/meldingen/overeenkomsten/{a.Id}/{b.Id}", $"/portaal/meldingen/{a.Id}/beschuldigde" })
            {
                var response = await page.GotoAsync(path);
                Assert.That(response!.Status, Is.EqualTo(403), $"{who} {path}");
                Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/geen-toegang"));
                Assert.That(await page.Locator("main").InnerTextAsync(), Does.Not.Contain(name).And.Not.Contain(a.Number));
            }
            await context.CloseAsync();
        }
        Assert.That(await Audited(a.Id, "match:shown") + await Audited(a.Id, "match:listed"), Is.Zero, "nothing was shown");
    }

    [Test]
    public async Task AccusedForm_PostedWithoutItsAntiForgeryToken_ChangesNothing()
    {
        var people = await NewPeople();
        var report = await FileByApi(people, "Karel Echt");
        var handler = await SignedIn(people.Handler, javaScript: false);
        await handler.GotoAsync($"/portaal/meldingen/{report.Id}/beschuldigde");
        // The handler's own cookie goes along (as a forged cross-site post's would); only the token is missing.
        var forged = await handler.Context.APIRequest.PostAsync(handler.Url, new()
        {
            Form = handler.Context.APIRequest.CreateFormData().Set("accusedName", "Vervalst"),
            MaxRedirects = 0,
        });
        Assert.That(forged.Status, Is.EqualTo(400));
        await handler.ReloadAsync();
        Assert.That(await handler.GetByLabel("Naam").InputValueAsync(), Is.EqualTo("Karel Echt"));
        await handler.Context.CloseAsync();
    }

    [Test]
    public async Task AccusedForm_UsableByKeyboardAlone()
    {
        var people = await NewPeople();
        var report = await FileByApi(people, "Toets Bord");
        var handler = await SignedIn(people.Handler, javaScript: true);
        await handler.GotoAsync($"/portaal/meldingen/{report.Id}/beschuldigde");
        async Task TabTo(string id)
        {
            for (var i = 0; i < 40; i++)
            {
                await handler.Keyboard.PressAsync("Tab");
                if (await handler.EvaluateAsync<string>("document.activeElement.id") == id) return;
            }
            Assert.Fail($"Tab never reached #{id}");
        }
        await TabTo("accused-accusedStaffNumber");
        await handler.Keyboard.TypeAsync("KB-42");
        await handler.Keyboard.PressAsync("Tab");
        Assert.That(await handler.EvaluateAsync<string>("document.activeElement.textContent"), Is.EqualTo("Beschuldigde opslaan"));
        await handler.Keyboard.PressAsync("Enter");
        await handler.Locator("#saved").WaitForAsync();
        Assert.That(await handler.GetByLabel("Personeelsnummer").InputValueAsync(), Is.EqualTo("KB-42"));
        await handler.Context.CloseAsync();
    }

    [Test]
    public async Task Accessibility_MatchingPages_NoSeriousOrCriticalAxeViolations_DutchAndEnglish()
    {
        var people = await NewPeople();
        var name = "Axe " + Guid.NewGuid().ToString("N")[..6];
        var a = await FileByApi(people, name, "axe@hogeschool.example");
        var b = await FileByApi(people, name);
        var problems = new List<string>();
        var handler = await SignedIn(people.Handler, javaScript: true);
        async Task Check(string what)
        {
            var result = await Chromium.Axe(handler);
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }
        foreach (var lang in new[] { "nl", "en" })
        {
            await handler.GotoAsync($"/portaal/meldingen/overeenkomsten?lang={lang}"); await Check("list " + lang);
            await handler.GotoAsync($"/portaal/meldingen/overeenkomsten/{a.Id}/{b.Id}?lang={lang}"); await Check("side by side " + lang);
            await handler.GotoAsync($"/portaal/meldingen/{a.Id}/beschuldigde?lang={lang}"); await Check("accused " + lang);
            await handler.Locator("#accused-accusedEmail").FillAsync("geen adres");
            await handler.GetByRole(AriaRole.Button, new() { Name = lang == "nl" ? "Beschuldigde opslaan" : "Save the accused" }).ClickAsync();
            await handler.Locator(".summary").WaitForAsync();
            await Check("accused with errors " + lang);
        }
        Assert.That(await handler.Locator("h1").InnerTextAsync(), Does.StartWith("Accused in report"), "English was chosen");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        await handler.Context.CloseAsync();
    }
}
