using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The incident register in real Chromium with JavaScript off: a board registers a serious incident through the form (errors at
/// their fields first), sees the report duty on its work list, authorises a staff member, records the report; the Inspectie's
/// intake then lists it. Saves the screenshots in docs/portal/ and checks axe in Dutch and English.
/// </summary>
public sealed class IncidentPagesTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private string _board = null!, _staff = null!, _inspectie = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await TestHost.Get("incidents-browser", new() { ["Rules:IncidentRegisterEffectiveFrom"] = "2024-01-01" }, kestrel: true);
        var admin = await World.SignIn(_host, TestHost.AdminEmail, TestHost.AdminPassword);
        var school = await World.Institution(admin, "Het Baken (vo)", Sector.Vo);
        var tag = Guid.NewGuid().ToString("N")[..8];
        async Task<string> User(string who, string name, StaffRole role, Guid? institution)
        {
            var email = $"{who}-{tag}@test.casehandling.nl";
            await (await admin.Post("/api/admin/users", new CreateUser(email, name, World.Password, role, institution))).Read<UserView>(HttpStatusCode.Created);
            return email;
        }
        _board = await User("bestuur", "Bestuur Het Baken", StaffRole.Board, school.Id);
        _staff = await User("mentor", "Mentor Jansen", StaffRole.StaffMember, school.Id);
        _inspectie = await User("inspectie", "Inspectie intake", StaffRole.Inspectie, null);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private Task<IPage> SignedIn(string email, bool javaScript = false) => Chromium.SignedIn(_browser, new BrowserNewContextOptions
    {
        JavaScriptEnabled = javaScript, BaseURL = _host.KestrelAddress!.ToString(), Locale = "nl-NL",
    }, email, World.Password);

    [Test]
    public async Task Board_RegistersASeriousIncident_ReportsIt_TheInspectieSeesIt()
    {
        var board = await SignedIn(_board);
        await board.GotoAsync("/portaal/incidenten/nieuw");
        Assert.That(await board.Locator("h1").InnerTextAsync(), Is.EqualTo("Veiligheidsincident registreren"));
        await Chromium.Screenshot(board, "incident-form.png");

        // Sent empty: the summary names the fields, each error stands at its field.
        await board.GetByRole(AriaRole.Button, new() { Name = "Incident registreren" }).ClickAsync();
        Assert.That(await board.Locator(".summary li").AllInnerTextsAsync(), Has.Some.StartWith("Soort incident"));
        Assert.That(await board.Locator("#incident-whatWasDone-error").CountAsync(), Is.EqualTo(1));

        await board.GetByLabel("wapenbezit").CheckAsync();
        await board.GetByLabel("schoolplein").CheckAsync();
        await board.GetByLabel("niemand (bijv. wapen- of drugsbezit)").CheckAsync();
        await board.GetByLabel("Het ging om een vuurwapen").CheckAsync();
        await board.GetByLabel("Wat heeft de school gedaan").FillAsync("Wapen ingenomen, politie gebeld, ouders gesproken.");
        await board.GetByLabel("Leerlingnummer (niet verplicht)").FillAsync("20415");
        await board.GetByRole(AriaRole.Button, new() { Name = "Incident registreren" }).ClickAsync();
        Assert.That(board.Url, Does.Match("/portaal/incidenten/[0-9a-f-]{36}$"));
        var main = await board.Locator("main").InnerTextAsync();
        Assert.That(main, Does.Contain("Het incident is geregistreerd.").And.Contain("Melden bij de inspectie.").And.Contain("Ernstig veiligheidsincident")
            .And.Contain("WVO 2020").And.Contain("opgegeven (alleen als sleutel-hash bewaard)").And.Not.Contain("20415"));
        var number = (await board.Locator("h1").InnerTextAsync()).Replace("Incident ", "");
        await Chromium.Screenshot(board, "incident-page.png");

        // The work list carries the report duty beside the chain's duties.
        await board.GotoAsync("/portaal/taken");
        Assert.That(await board.Locator("main").InnerTextAsync(), Does.Contain("Veiligheidsincidenten melden bij de inspectie").And.Contain(number));
        await Chromium.Screenshot(board, "incident-worklist.png");

        // The register; the board authorises its staff member.
        await board.GotoAsync("/portaal/incidenten");
        Assert.That(await board.Locator("table.list").First.InnerTextAsync(), Does.Contain(number).And.Contain("wapenbezit").And.Contain("ernstig"));
        await board.GetByRole(AriaRole.Button, new() { Name = "Machtigen" }).ClickAsync();
        Assert.That(await board.GetByRole(AriaRole.Button, new() { Name = "Machtiging intrekken" }).CountAsync(), Is.EqualTo(1));
        await Chromium.Screenshot(board, "incident-register.png");

        // The report to the Inspectorate, recorded with its date.
        await board.GotoAsync("/portaal/incidenten");
        await board.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await board.GetByRole(AriaRole.Button, new() { Name = "Melding vastleggen" }).ClickAsync();
        Assert.That(await board.Locator("main").InnerTextAsync(), Does.Contain("De melding aan de inspectie is vastgelegd.").And.Contain("Gemeld bij de inspectie op"));

        // The authorised staff member now reaches the register.
        var staff = await SignedIn(_staff);
        await staff.GotoAsync("/portaal/incidenten");
        Assert.That(await staff.Locator("h1").InnerTextAsync(), Is.EqualTo("Incidentenregister"));

        // The Inspectie's first page is its intake.
        var inspectie = await SignedIn(_inspectie);
        await inspectie.GotoAsync("/portaal");
        Assert.That(new Uri(inspectie.Url).AbsolutePath, Is.EqualTo("/portaal/inspectie/meldingen"));
        var intake = await inspectie.Locator("main").InnerTextAsync();
        Assert.That(intake, Does.Contain(number).And.Contain("Het Baken (vo)").And.Contain("ernstig").And.Not.Contain("Wapen ingenomen"));
        await Chromium.Screenshot(inspectie, "inspectie-reports.png");
        await inspectie.GotoAsync("/portaal/zaken");
        Assert.That(new Uri(inspectie.Url).AbsolutePath, Is.EqualTo("/geen-toegang"));
        foreach (var p in new[] { board, staff, inspectie }) await p.Context.CloseAsync();
    }

    [Test]
    public async Task IncidentPages_NoSeriousOrCriticalAxeViolations_DutchAndEnglish()
    {
        var problems = new List<string>();
        async Task Check(IPage page, string what)
        {
            var result = await Chromium.Axe(page);
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }
        var board = await SignedIn(_board, javaScript: true);
        foreach (var path in new[] { "/portaal/incidenten", "/portaal/incidenten/nieuw" })
        {
            await board.GotoAsync(path); await Check(board, path + " nl");
            await board.GotoAsync(path + "?lang=en"); await Check(board, path + " en");
        }
        var inspectie = await SignedIn(_inspectie, javaScript: true);
        await inspectie.GotoAsync("/portaal/inspectie/meldingen?lang=en"); await Check(inspectie, "inspectie en");
        await inspectie.GotoAsync("/portaal/inspectie/meldingen?lang=nl"); await Check(inspectie, "inspectie nl");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        await board.Context.CloseAsync(); await inspectie.Context.CloseAsync();
    }
}
