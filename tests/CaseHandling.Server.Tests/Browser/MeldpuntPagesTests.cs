using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Infrastructure.Mail;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The meldpunt handler's pages in real Chromium: a report from the reporter's form through the acknowledgement, a
/// question answered on /opvolgen, consent and forwarding, to the board's case; with JavaScript on and off. Also a
/// staff member's statutory report, joining an existing case, withdrawn consent, closing and the legal hold, axe,
/// the keyboard, anti-forgery and a reminder mail's link. The JavaScript-off run saves the screenshots in docs/portal/.
/// </summary>
public sealed class MeldpuntPagesTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private HttpClient _admin = null!;
    private Uri Base => _host.KestrelAddress!;

    private sealed record People(string InstitutionName, Guid InstitutionId, string Board, string Handler, string Staff);

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
        return new People(inst.Name, inst.Id, await User("bestuur", StaffRole.Board, inst.Id), await User("meldpunt", StaffRole.MeldpuntHandler, null),
            await User("docent", StaffRole.StaffMember, inst.Id));
    }

    private async Task<IPage> SignedIn(string email, bool javaScript)
    {
        return await Chromium.SignedIn(_browser, new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = Base.ToString(), Locale = "nl-NL" },
            email, World.Password);
    }

    /// <summary>A reporter's browser: no sign-in, no cookie.</summary>
    private async Task<IPage> Reporter(bool javaScript)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = Base.ToString(), Locale = "nl-NL" });
        return await context.NewPageAsync();
    }

    private async Task<(string Code, Guid Id)> FileReport(People people, string text, ReporterSteps.Answers? answers = null, bool javaScript = false)
    {
        var reporter = await Reporter(javaScript);
        var code = await ReporterSteps.FileReport(reporter, people.InstitutionName, text, answers);
        await reporter.Context.CloseAsync();
        return (code, await Sql.ReportIdByReceiptCode(_host.ConnectionString, code));
    }

    private static Task<string> Status(IPage page) => page.Locator("#report-status").InnerTextAsync();

    private static ILocator Level(IPage page, string kind) => page.Locator($"#service-levels tr[data-kind={kind}]");

    private static async Task SendMessage(IPage page, string kind, string text)
    {
        await page.GetByLabel(kind, new() { Exact = false }).First.CheckAsync();
        await page.GetByLabel("Bericht", new() { Exact = true }).FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await page.Locator("#saved").WaitForAsync();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task WholeReport_ReceivedAcknowledgedQuestionAnsweredForwardedWithConsent_TheBoardSeesTheCase(bool javaScript)
    {
        var people = await NewPeople();
        var text = $"Een docent stuurde mij berichten {Guid.NewGuid():N}";
        var (code, id) = await FileReport(people, text, javaScript: javaScript);

        // The handler lands on the inbox; the new report is listed with its first service level.
        var handler = await SignedIn(people.Handler, javaScript);
        Assert.That(new Uri(handler.Url).AbsolutePath, Is.EqualTo("/portaal/meldingen"));
        var row = handler.Locator("#inbox tr", new() { Has = handler.Locator($"a[href='/portaal/meldingen/{id}']") });
        Assert.That(await row.InnerTextAsync(), Does.Contain("ontvangst bevestigen").And.Contain("Ontvangen").And.Contain("anoniem"));
        if (!javaScript) await Chromium.Screenshot(handler, "meldpunt-inbox.png");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        Assert.That(await handler.Locator("#what-happened").InnerTextAsync(), Is.EqualTo(text));
        Assert.That(await Level(handler, "MeldpuntAcknowledgement").InnerTextAsync(), Does.Contain("nog"), "open, with the time left");
        Assert.That(await handler.Locator("#no-matches").CountAsync(), Is.EqualTo(1), "no other report names the same person");

        // The acknowledgement meets the 7-day service level and opens the feedback's.
        await SendMessage(handler, "Ontvangstbevestiging", "Dank voor uw melding. Wij nemen haar serieus.");
        Assert.That(await handler.Locator("#saved").InnerTextAsync(), Does.Contain("ontvangstbevestiging is verstuurd"));
        Assert.That(await Level(handler, "MeldpuntAcknowledgement").InnerTextAsync(), Does.Contain("voldaan op"));
        Assert.That(await Level(handler, "MeldpuntFeedback").InnerTextAsync(), Does.Not.Contain("voldaan"));
        Assert.That(await Status(handler), Is.EqualTo("In behandeling"));
        await SendMessage(handler, "Bericht", "Wilt u dat wij dit aan het bestuur van uw hogeschool doorgeven?");
        Assert.That(await handler.Locator("#forward-not-yet").CountAsync(), Is.EqualTo(1), "no consent yet: nothing to forward");

        // The reporter answers with the code only, and consents to forwarding the description.
        var reporter = await Reporter(javaScript);
        await ReporterSteps.OpenWithCode(reporter, code);
        Assert.That(await reporter.Locator(".msg[data-author=Handler]").Last.TextContentAsync(), Does.Contain("aan het bestuur"));
        await reporter.GetByLabel("Antwoord of extra informatie").FillAsync("Ja, graag. Het gebeurde tijdens mijn stage.");
        await reporter.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        await reporter.GetByLabel("Mijn beschrijving van wat er gebeurd is").CheckAsync();
        await reporter.GetByRole(AriaRole.Button, new() { Name = "Toestemming geven" }).ClickAsync();
        await reporter.Context.CloseAsync();

        await handler.ReloadAsync();
        Assert.That(await handler.Locator(".msg[data-author=Reporter]").InnerTextAsync(), Does.Contain("tijdens mijn stage"));
        Assert.That(await handler.Locator("#consent-state").InnerTextAsync(), Does.Contain("toestemming om door te sturen: de beschrijving"));
        Assert.That(await handler.Locator("#forward-items").InnerTextAsync(), Is.EqualTo("Wat meegaat: de beschrijving."));
        if (!javaScript) await Chromium.Screenshot(handler, "meldpunt-report.png");

        // Forwarded with the facts corrected: an adult student in an afhankelijkheidsrelatie (a placement supervisor).
        await handler.Locator("#Forward-victimAge-Adult").CheckAsync();
        await handler.Locator("#Forward-afhankelijkheidsrelatie-true").CheckAsync();
        await handler.GetByRole(AriaRole.Button, new() { Name = "Doorsturen" }).ClickAsync();
        await handler.Locator("#saved").WaitForAsync();
        Assert.That(await Status(handler), Is.EqualTo("Doorgestuurd"));
        var forwarded = await handler.Locator("#forwarded").InnerTextAsync();
        var number = System.Text.RegularExpressions.Regex.Match(forwarded, @"CH-\d+").Value;
        Assert.That(number, Is.Not.Empty, forwarded);
        Assert.That(forwarded, Does.EndWith("met de beschrijving."));
        if (!javaScript) await Chromium.Screenshot(handler, "meldpunt-forwarded.png");
        // The meldpunt's signed proof of when the board received it (docs/RECEIPTS.md).
        var download = await handler.RunAndWaitForDownloadAsync(() => handler.Locator("#forwarding-proof").ClickAsync());
        Assert.That(download.SuggestedFilename, Does.EndWith("-doorgestuurd.txt"));
        var proofFile = await download.PathAsync();
        Assert.That(await File.ReadAllTextAsync(proofFile!), Does.Contain("\nkind: forwarded\n"));

        // The board finds the case with the handler's facts, and only what the reporter allowed.
        var board = await SignedIn(people.Board, javaScript);
        await board.GotoAsync("/portaal/zaken?nummer=" + number);
        Assert.That(await board.Locator("h1").InnerTextAsync(), Is.EqualTo($"Zaak {number}"));
        var main = await board.Locator("main").InnerTextAsync();
        Assert.That(main, Does.Contain(text), "the description was forwarded");
        Assert.That(main, Does.Not.Contain("tijdens mijn stage"), "the messages were not");
        var facts = await board.Locator("section[aria-labelledby=facts-title]").InnerTextAsync();
        Assert.That(facts, Does.Contain("Afhankelijkheidsrelatie\nJa").Or.Contain("Afhankelijkheidsrelatie\tJa"));
        await board.Context.CloseAsync(); await handler.Context.CloseAsync();
    }

    [Test]
    public async Task StaffMembersStatutoryReport_ShowsItWasForwardedAtOnce_AndToWhichCase()
    {
        var people = await NewPeople();
        var (_, id) = await FileReport(people, "Een collega betastte een leerling.", new ReporterSteps.Answers(
            ReporterKind: "StaffMember", Incident: "Zedenmisdrijf", Victim: "SomeoneElse", Age: "Minor"));
        var handler = await SignedIn(people.Handler, javaScript: false);
        Assert.That(await handler.Locator("#inbox tr", new() { Has = handler.Locator($"a[href='/portaal/meldingen/{id}']") }).InnerTextAsync(),
            Does.Contain("meldplicht personeelslid"));
        await handler.GotoAsync($"/portaal/meldingen/{id}");
        var statutory = await handler.Locator("#statutory").InnerTextAsync();
        Assert.That(statutory, Does.Contain("direct doorgestuurd naar het bestuur: zaak CH-").And.Contain("art. 1.20 lid 3"));
        Assert.That(await Status(handler), Is.EqualTo("Doorgestuurd"));
        Assert.That(await handler.Locator("#form-Forward").CountAsync(), Is.Zero);
        await Chromium.Screenshot(handler, "meldpunt-statutory.png");
        await handler.Context.CloseAsync();
    }

    [Test]
    public async Task Forward_ToAnExistingCaseByNumber_UnknownNumberNamedAtTheField_ThenJoined()
    {
        var people = await NewPeople();
        var board = await World.SignIn(_host, people.Board, World.Password);
        var existing = await (await board.Post("/api/cases", new RegisterCase(IncidentType.SeksueleIntimidatie, new VictimInput(VictimKind.Student, VictimAge.Adult, false),
            AccusedRole.MetTakenBelastPersoon, DateTimeOffset.UtcNow.AddHours(-2), "Al bekend bij het bestuur"))).Read<CaseRef>(HttpStatusCode.Created);
        var (code, id) = await FileReport(people, "Dezelfde docent, een tweede keer.");
        var anon = _host.CreateClient();
        await (await anon.Post("/api/reports/consent", new { receiptCode = code, items = new[] { "Description" } })).Read<ReportStatusView>();

        var handler = await SignedIn(people.Handler, javaScript: false);
        await handler.GotoAsync($"/portaal/meldingen/{id}");
        await handler.GetByLabel("Bij een bestaande zaak voegen").FillAsync("CH-999999999");
        var response = await handler.RunAndWaitForResponseAsync(() => handler.GetByRole(AriaRole.Button, new() { Name = "Doorsturen" }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.That(response.Status, Is.EqualTo(400));
        Assert.That(await handler.Locator("#Forward-joinCaseNumber-error").InnerTextAsync(), Does.Contain("geen zaak met dit nummer"));
        Assert.That(await handler.Locator(".summary a[href='#Forward-joinCaseNumber']").InnerTextAsync(), Does.StartWith("Bestaande zaak:"));
        Assert.That(await handler.GetByLabel("Bij een bestaande zaak voegen").InputValueAsync(), Is.EqualTo("CH-999999999"), "what was typed stays");

        await handler.GetByLabel("Bij een bestaande zaak voegen").FillAsync(existing.Number);
        await handler.GetByRole(AriaRole.Button, new() { Name = "Doorsturen" }).ClickAsync();
        await handler.Locator("#saved").WaitForAsync();
        Assert.That(await handler.Locator("#forwarded").InnerTextAsync(), Does.Contain(existing.Number));
        var joined = await board.GetJson<CaseDetail>($"/api/cases/{existing.Id}");
        Assert.That(joined.Timeline.Select(t => t.Step), Does.Contain("MeldpuntReportJoined"));
        await handler.Context.CloseAsync();
    }

    [Test]
    public async Task ConsentWithdrawn_ShownWithItsTime_NothingToForward()
    {
        var people = await NewPeople();
        var (code, id) = await FileReport(people, "Toestemming en intrekking.");
        var anon = _host.CreateClient();
        await (await anon.Post("/api/reports/consent", new { receiptCode = code, items = new[] { "Description", "Messages" } })).Read<ReportStatusView>();
        var handler = await SignedIn(people.Handler, javaScript: false);
        await handler.GotoAsync($"/portaal/meldingen/{id}");
        Assert.That(await handler.Locator("#consent-state").InnerTextAsync(), Does.Contain("de beschrijving, de berichten"));
        Assert.That(await handler.Locator("#form-Forward").CountAsync(), Is.EqualTo(1));

        await (await anon.Post("/api/reports/consent/withdraw", new { receiptCode = code })).Read<ReportStatusView>();
        // The form still on the screen is sent after the withdrawal: refused in words, nothing forwarded.
        await handler.GetByRole(AriaRole.Button, new() { Name = "Doorsturen" }).ClickAsync();
        Assert.That(await handler.Locator("#step-problem").InnerTextAsync(), Does.Contain("geen toestemming (meer)"));
        await handler.GotoAsync($"/portaal/meldingen/{id}");
        Assert.That(await handler.Locator("#consent-state").InnerTextAsync(), Does.Contain("ingetrokken"));
        Assert.That(await handler.Locator("#form-Forward").CountAsync(), Is.Zero);
        Assert.That(await Status(handler), Is.EqualTo("Ontvangen"));
        await handler.Context.CloseAsync();
    }

    [Test]
    public async Task LegalHoldAndClosing_ThroughThePage_ThenNoMoreMessages()
    {
        var people = await NewPeople();
        var (_, id) = await FileReport(people, "Sluiten en bewaren.");
        var handler = await SignedIn(people.Handler, javaScript: false);
        await handler.GotoAsync($"/portaal/meldingen/{id}");
        await handler.GetByRole(AriaRole.Button, new() { Name = "Bewaren, ook na de bewaartermijn" }).ClickAsync();
        Assert.That(await handler.Locator("#hold-state").InnerTextAsync(), Does.StartWith("Deze melding wordt bewaard"));
        var api = await World.SignIn(_host, people.Handler, World.Password);
        Assert.That((await api.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}")).LegalHold, Is.True);

        await handler.GetByRole(AriaRole.Button, new() { Name = "Melding sluiten" }).ClickAsync();
        Assert.That(await Status(handler), Is.EqualTo("Gesloten"));
        Assert.That(await handler.Locator("#closed").InnerTextAsync(), Does.StartWith("Gesloten op"));
        Assert.That(await handler.Locator("#form-Message").CountAsync(), Is.Zero, "a closed report takes no more messages");
        // Its unmet service levels stop with it: said in words, never counted down or marked late.
        Assert.That(await handler.Locator("#service-levels").InnerTextAsync(), Does.Contain("niet voldaan; de melding is gesloten en deze termijn loopt niet meer"));
        Assert.That(await handler.Locator("#service-levels tr.late").CountAsync(), Is.Zero);
        Assert.That((await api.GetJson<List<ReportInboxItem>>("/api/meldpunt/reports")).Select(r => r.Id), Does.Not.Contain(id), "closed: off the inbox");
        await handler.GotoAsync("/portaal/meldingen?gesloten=true");
        Assert.That(await handler.Locator($"a[href='/portaal/meldingen/{id}']").CountAsync(), Is.EqualTo(1), "but listed with the closed ones");
        await handler.Context.CloseAsync();
    }

    [Test]
    public async Task MessageForm_PostedWithoutItsAntiForgeryToken_ChangesNothing()
    {
        var people = await NewPeople();
        var (_, id) = await FileReport(people, "Vervalst bericht.");
        var handler = await SignedIn(people.Handler, javaScript: false);
        await handler.GotoAsync($"/portaal/meldingen/{id}");
        var forged = await handler.Context.APIRequest.PostAsync(handler.Url + "?handler=Message", new()
        {
            Form = handler.Context.APIRequest.CreateFormData().Set("f.kind", "Message").Set("f.text", "vervalst"),
            MaxRedirects = 0,
        });
        Assert.That(forged.Status, Is.EqualTo(400));
        var api = await World.SignIn(_host, people.Handler, World.Password);
        Assert.That((await api.GetJson<ReportDetail>($"/api/meldpunt/reports/{id}")).Messages, Is.Empty);
        await handler.Context.CloseAsync();
    }

    [Test]
    public async Task MessageForm_UsableByKeyboardAlone_AndAnEmptyMessageNamedAtItsField()
    {
        var people = await NewPeople();
        var (_, id) = await FileReport(people, "Toetsenbord.");
        var handler = await SignedIn(people.Handler, javaScript: true);
        await handler.GotoAsync($"/portaal/meldingen/{id}");
        await handler.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync();
        Assert.That(await handler.Locator("#Message-text-error").InnerTextAsync(), Is.Not.Empty);
        Assert.That(await handler.Locator("#Message-text").GetAttributeAsync("aria-describedby"), Does.Contain("Message-text-error"));

        async Task TabTo(string elementId)
        {
            for (var i = 0; i < 80; i++)
            {
                await handler.Keyboard.PressAsync("Tab");
                if (await handler.EvaluateAsync<string>("document.activeElement.id") == elementId) return;
            }
            Assert.Fail($"Tab never reached #{elementId}");
        }
        await handler.Locator("h1").FocusAsync();
        await TabTo("Message-text");
        await handler.Keyboard.TypeAsync("Met het toetsenbord: dank voor uw melding.");
        await handler.Keyboard.PressAsync("Tab");
        Assert.That(await handler.EvaluateAsync<string>("document.activeElement.textContent"), Is.EqualTo("Versturen"));
        await handler.Keyboard.PressAsync("Enter");
        await handler.Locator("#saved").WaitForAsync();
        Assert.That(await Level(handler, "MeldpuntAcknowledgement").InnerTextAsync(), Does.Contain("voldaan op"), "the default kind is the acknowledgement");
        await handler.Context.CloseAsync();
    }

    [Test]
    public async Task ReminderMailLink_AfterSignIn_OpensTheReportPage()
    {
        var people = await NewPeople();
        var (_, id) = await FileReport(people, "Link uit een herinnering.");
        var link = new Uri(_host.Services.GetRequiredService<Links>().Report(id));
        Assert.That(link.AbsolutePath, Is.EqualTo($"/portaal/meldingen/{id}"));
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, BaseURL = Base.ToString(), Locale = "nl-NL" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(link.PathAndQuery);
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/aanmelden"));
        await page.GetByLabel("E-mailadres").FillAsync(people.Handler);
        await page.GetByLabel("Wachtwoord").FillAsync(World.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo($"/portaal/meldingen/{id}"));
        await context.CloseAsync();
    }

    [Test]
    public async Task Accessibility_InboxAndReportPage_NoSeriousOrCriticalAxeViolations_DutchAndEnglish()
    {
        var people = await NewPeople();
        var (code, id) = await FileReport(people, "Axe.");
        var anon = _host.CreateClient();
        await (await anon.Post("/api/reports/consent", new { receiptCode = code, items = new[] { "Description" } })).Read<ReportStatusView>();
        var problems = new List<string>();
        var handler = await SignedIn(people.Handler, javaScript: true);
        async Task Check(string what)
        {
            var result = await Chromium.Axe(handler);
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }
        await Check("inbox");
        await handler.GotoAsync($"/portaal/meldingen/{id}"); await Check("report page");
        await handler.GetByRole(AriaRole.Button, new() { Name = "Versturen" }).ClickAsync(); await Check("report page with errors");
        await handler.GotoAsync($"/portaal/meldingen/{id}?lang=en"); await Check("report page en");
        Assert.That(await handler.Locator("h2#forward-title").InnerTextAsync(), Is.EqualTo("Forwarding to the board"));
        await handler.GotoAsync("/portaal/meldingen"); await Check("inbox en");
        Assert.That(await handler.Locator("h1").InnerTextAsync(), Is.EqualTo("Reports"));
        await handler.GotoAsync($"/portaal/meldingen/{Guid.NewGuid()}"); await Check("not found");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        await handler.Context.CloseAsync();
    }
}
