using System.Net;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// Issue 15 on the case page in Chromium: the step-4 form offers the parties the law allows for the victim (a minor's
/// parents or guardians and the student as well; an adult student, never the parents), a hand-made post naming an adult's
/// parents is refused at the field, and the page shows the explanation of every decision.
/// </summary>
public sealed class InformingPagesTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private HttpClient _admin = null!;

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

    private sealed record Setup(IPage Board, Guid CaseId);

    /// <summary>A case of a new institution at "redelijk vermoeden" (through the API), and its board on the case page.</summary>
    private async Task<Setup> AtReasonableSuspicion(VictimAge age, bool javaScript, DateTimeOffset? learnedAt = null)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var inst = await World.Institution(_admin, $"Hogeschool {tag}", Sector.Ho);
        async Task<string> User(string who, StaffRole role, Guid? institution)
        {
            var email = $"{who}-{tag}@test.casehandling.nl";
            await (await _admin.Post("/api/admin/users", new CreateUser(email, $"{who} {tag}", World.Password, role, institution))).Read<UserView>(HttpStatusCode.Created);
            return email;
        }
        var boardEmail = await User("bestuur", StaffRole.Board, inst.Id);
        var inspectorEmail = await User("inspecteur", StaffRole.Vertrouwensinspecteur, null);
        var board = await World.SignIn(_host, boardEmail, World.Password);
        var inspector = await World.SignIn(_host, inspectorEmail, World.Password);
        var c = await (await board.Post("/api/cases", new RegisterCase(IncidentType.Zedenmisdrijf, new VictimInput(VictimKind.Student, age, age == VictimAge.Adult),
            AccusedRole.MetTakenBelastPersoon, learnedAt ?? DateTimeOffset.UtcNow.AddHours(-1), "Feitenrelaas"))).Read<CaseRef>(HttpStatusCode.Created);
        var inspectorId = (await board.GetJson<List<InspectorView>>("/api/inspectors")).Single(i => i.Name.EndsWith(tag)).Id;
        await (await board.Post($"/api/cases/{c.Id}/consultation", new { inspectorId, factsGiven = "Feiten" })).Read<CaseRef>();
        await (await inspector.Post($"/api/cases/{c.Id}/outcome", new { outcome = OverlegOutcome.ReasonableSuspicion, reasoning = "Onderbouwing" })).Read<CaseRef>();

        var page = await Chromium.SignedIn(_browser, new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = _host.KestrelAddress!.ToString(), Locale = "nl-NL" },
            boardEmail, World.Password);
        await page.GotoAsync($"/portaal/zaken/{c.Id}");
        return new Setup(page, c.Id);
    }

    private static ILocator Form(IPage page) => page.Locator("#form-InformParties");

    private static async Task<string> State(IPage page) => await page.Locator("#case-state").InnerTextAsync();

    [Test]
    public async Task MinorVictim_FormOffersParentsAndTheStudent_BothMayBeInformed()
    {
        var (page, _) = await AtReasonableSuspicion(VictimAge.Minor, javaScript: false);
        var form = Form(page);
        Assert.That(await form.Locator("input[type=checkbox]").EvaluateAllAsync<string[]>("els => els.map(e => e.value)"),
            Is.EqualTo(new[] { "Parents", "Student", "Accused" }));
        Assert.That(await form.InnerTextAsync(), Does.Contain("minderjarig: informeer de ouders of voogden"));
        await form.GetByLabel("De ouders of voogden").CheckAsync();
        await form.GetByLabel("De leerling of student zelf").CheckAsync();
        await form.GetByLabel("De beschuldigde").CheckAsync();
        await form.GetByLabel("Hoe").FillAsync("In een gesprek op school.");
        await form.GetByRole(AriaRole.Button).ClickAsync();
        Assert.That(await State(page), Is.EqualTo("Betrokkenen geïnformeerd"));
    }

    [Test]
    public async Task MinorVictim_OnlyTheStudent_ErrorAtTheField()
    {
        var (page, _) = await AtReasonableSuspicion(VictimAge.Minor, javaScript: false);
        var form = Form(page);
        await form.GetByLabel("De leerling of student zelf").CheckAsync();
        await form.GetByLabel("De beschuldigde").CheckAsync();
        await form.GetByLabel("Hoe").FillAsync("Gesprek.");
        await form.GetByRole(AriaRole.Button).ClickAsync();
        Assert.That(await page.Locator("#InformParties-parties-error").InnerTextAsync(), Does.Contain("informeer de ouders of voogden"));
        Assert.That(await State(page), Is.EqualTo("Redelijk vermoeden"));
    }

    [Test]
    public async Task AdultStudent_FormOffersNoParents_TheStudentIsInformed()
    {
        var (page, id) = await AtReasonableSuspicion(VictimAge.Adult, javaScript: false);
        var form = Form(page);
        Assert.That(await form.Locator("input[type=checkbox]").EvaluateAllAsync<string[]>("els => els.map(e => e.value)"),
            Is.EqualTo(new[] { "Student", "Accused" }), "no checkbox for the parents of an adult");
        Assert.That(await form.InnerTextAsync(), Does.Contain("meerderjarig: informeer de student zelf, niet de ouders"));
        await Chromium.Screenshot(page, "board-inform-adult.png");
        await form.GetByLabel("De leerling of student zelf").CheckAsync();
        await form.GetByLabel("De beschuldigde").CheckAsync();
        await form.GetByLabel("Hoe").FillAsync("In een gesprek.");
        await form.GetByRole(AriaRole.Button).ClickAsync();
        Assert.That(await State(page), Is.EqualTo("Betrokkenen geïnformeerd"));
    }

    [Test]
    public async Task AdultStudent_HandMadePostNamingTheParents_RefusedAtTheField()
    {
        var (page, _) = await AtReasonableSuspicion(VictimAge.Adult, javaScript: true);
        var form = Form(page);
        // The form has no such box: add one, as a hand-made post would.
        await page.EvaluateAsync("""
            () => { const i = document.createElement('input'); i.type = 'checkbox'; i.name = 'step.parties'; i.value = 'Parents'; i.checked = true;
                    document.querySelector('#form-InformParties').appendChild(i); }
            """);
        await form.GetByLabel("De leerling of student zelf").CheckAsync();
        await form.GetByLabel("De beschuldigde").CheckAsync();
        await form.GetByLabel("Hoe").FillAsync("Gesprek.");
        await form.GetByRole(AriaRole.Button).ClickAsync();
        Assert.That(await page.Locator("#InformParties-parties-error").InnerTextAsync(), Does.Contain("niet de ouders"));
        Assert.That(await page.Locator(".summary a[href='#InformParties-parties']").CountAsync(), Is.EqualTo(1), "the summary names the field");
        Assert.That(await State(page), Is.EqualTo("Redelijk vermoeden"));
    }

    [Test]
    public async Task CasePage_ShowsEveryDecisionsExplanation_WithTheDaysPassedOver()
    {
        // Learned on Friday 24 April 2026 at 16:00: step 2 passes over the weekend and Koningsdag.
        var learned = DutchTime.FromLocal(new DateOnly(2026, 4, 24), new TimeOnly(16, 0));
        var (page, _) = await AtReasonableSuspicion(VictimAge.Minor, javaScript: false, learned);
        var section = page.Locator("#explanations");
        var text = await section.InnerTextAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await section.Locator("li.explanation").CountAsync(), Is.EqualTo(3), "opened, overleg started, outcome");
            Assert.That(text, Does.Contain("27 april: Koningsdag, Atw art. 3 lid 1"));
            Assert.That(text, Does.Contain("WHW art. 1.20").And.Contain("in werking sinds 2010-09-01"));
            Assert.That(text, Does.Contain("1wd@12:00").And.Contain("28 april 2026 12:00"));
        });
        await section.ScrollIntoViewIfNeededAsync();
        await Chromium.Screenshot(page, "board-case-explanation.png");
    }
}
