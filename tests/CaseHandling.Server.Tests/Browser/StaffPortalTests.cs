using System.Net;
using System.Text.RegularExpressions;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Infrastructure.Mail;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The staff portal in real Chromium, through the pages only: the staff member's notification, the board's steps,
/// the vertrouwensinspecteur's outcome; with JavaScript on and off. Also axe, the keyboard, anti-forgery, another
/// institution's case, and a mail's link. The JavaScript-off run saves the screenshots in docs/portal/.
/// </summary>
public sealed class StaffPortalTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private Uri Base => _host.KestrelAddress!;
    private HttpClient _admin = null!;

    private sealed record People(string Board, string Staff, string Inspector, string InspectorName, string OtherBoard);

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

    /// <summary>An institution of its own for each test, with a board, a staff member, an inspector, and another institution's board.</summary>
    private async Task<People> NewPeople(Sector sector = Sector.Vo)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var inst = await World.Institution(_admin, $"School {tag}", sector);
        var other = await World.Institution(_admin, $"Andere school {tag}", sector);
        async Task<string> User(string who, StaffRole role, Guid? institution, string? name = null)
        {
            var email = $"{who}-{tag}@test.casehandling.nl";
            await (await _admin.Post("/api/admin/users", new CreateUser(email, name ?? $"{who} {tag}", World.Password, role, institution)))
                .Read<UserView>(HttpStatusCode.Created);
            return email;
        }
        var inspectorName = $"Inspecteur {tag}";
        return new People(await User("bestuur", StaffRole.Board, inst.Id), await User("docent", StaffRole.StaffMember, inst.Id),
            await User("inspecteur", StaffRole.Vertrouwensinspecteur, null, inspectorName), inspectorName,
            await User("ander-bestuur", StaffRole.Board, other.Id));
    }

    private async Task<IPage> SignedIn(string email, bool javaScript)
    {
        return await Chromium.SignedIn(_browser, new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = Base.ToString(), Locale = "nl-NL" },
            email, World.Password);
    }

    /// <summary>A datetime-local input's value in Dutch time.</summary>
    private static string LocalInput(DateTimeOffset at) =>
        CaseHandling.Domain.Calendar.DutchTime.ToLocal(at).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> State(IPage page) => await page.Locator("#case-state").InnerTextAsync();

    private static Task Submit(IPage page, string form, string button) =>
        page.Locator($"#form-{form}").GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

    private static async Task<string> Notify(IPage staff, string incident, string victim, string age, string facts, bool screenshots = false)
    {
        Assert.That(new Uri(staff.Url).AbsolutePath, Is.EqualTo("/portaal/melden"), "a staff member lands on the notification form");
        await staff.GetByLabel(incident, new() { Exact = true }).CheckAsync();
        await staff.GetByLabel(victim, new() { Exact = true }).CheckAsync();
        await staff.GetByLabel(age, new() { Exact = true }).CheckAsync();
        await staff.GetByLabel("Iemand die voor de instelling werkt").CheckAsync();
        await staff.GetByLabel("Wanneer hoorde u ervan?").FillAsync(LocalInput(DateTimeOffset.UtcNow.AddHours(-1)));
        await staff.GetByLabel("Wat is er gebeurd?").FillAsync(facts);
        if (screenshots) await Chromium.Screenshot(staff, "staff-notify.png");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Melding naar het bestuur sturen" }).ClickAsync();
        var number = await staff.Locator("#case-number").InnerTextAsync();
        Assert.That(number, Does.Match("^CH-[0-9]+$"));
        if (screenshots) await Chromium.Screenshot(staff, "staff-notified.png");
        return number;
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Chain_MinorVictim_FromTheStaffNotificationToTheFollowUp_ThroughThePagesOnly(bool javaScript)
    {
        var people = await NewPeople();
        var screenshots = !javaScript;

        // Step 1: the staff member notifies the board, and sees only the case number afterwards.
        var staff = await SignedIn(people.Staff, javaScript);
        var number = await Notify(staff, "Zedenmisdrijf", "Leerling of student", "Minderjarig", "Een docent heeft een leerling aangerand.", screenshots);
        Assert.That(await staff.Locator("main").InnerTextAsync(), Does.Not.Contain("aangerand"), "the confirmation shows no content");

        // The board's work list shows step 2 for this case, with its due time in words.
        var board = await SignedIn(people.Board, javaScript);
        Assert.That(new Uri(board.Url).AbsolutePath, Is.EqualTo("/portaal/taken"), "the board's home is its work list");
        var row = board.Locator("tr", new() { HasText = number });
        Assert.That(await row.InnerTextAsync(), Does.Contain("Stap 2: overleg starten").And.Match("nog \\d+ (uur|minuten|werkdag)"));
        if (screenshots) await Chromium.Screenshot(board, "board-worklist.png");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        Assert.That(await State(board), Is.EqualTo("Geregistreerd: overleg starten"));
        var text = await board.Locator("main").InnerTextAsync();
        Assert.That(text, Does.Contain("Volledige keten, met aangifteplicht").And.Contain("WVO art. 3 lid 1").And.Contain("Een docent heeft een leerling aangerand."));
        Assert.That(await board.TitleAsync(), Is.EqualTo($"Zaak {number} – CaseHandling voor medewerkers"), "the number, no content, in the title");

        if (screenshots) await Chromium.Screenshot(board, "board-case.png");

        // Step 2, first without an inspector: the error stands at the field, the case is unchanged.
        await board.Locator("#form-StartOverleg").GetByLabel("Wat u met de inspecteur deelt").FillAsync("De feiten zoals gemeld.");
        await Submit(board, "StartOverleg", "Overleg starten");
        Assert.That(await board.Locator("#StartOverleg-inspectorId-error").InnerTextAsync(), Is.EqualTo("Vul dit in."));
        Assert.That(await board.Locator(".summary a[href='#StartOverleg-inspectorId']").CountAsync(), Is.EqualTo(1));
        Assert.That(await State(board), Is.EqualTo("Geregistreerd: overleg starten"));
        Assert.That(await board.Locator("#form-StartOverleg").GetByLabel("Wat u met de inspecteur deelt").InputValueAsync(), Is.EqualTo("De feiten zoals gemeld."), "what was typed is kept");
        Assert.That(await board.Locator(".summary a[href='#StartOverleg-inspectorId']").InnerTextAsync(), Is.EqualTo("Vertrouwensinspecteur: Vul dit in."));
        if (screenshots) await Chromium.Screenshot(board, "board-case-error.png");
        await board.Locator("#form-StartOverleg").GetByLabel("Vertrouwensinspecteur").SelectOptionAsync(new SelectOptionValue { Label = people.InspectorName });
        await Submit(board, "StartOverleg", "Overleg starten");
        Assert.That(await board.Locator("#saved").InnerTextAsync(), Does.Contain("overleg met de vertrouwensinspecteur is gestart"));
        Assert.That(await State(board), Is.EqualTo("Overleg gestart"));
        Assert.That(await board.Locator("#no-steps").InnerTextAsync(), Does.Contain("Uitkomst: redelijk vermoeden"), "the board sees what comes next, and that it is not its turn");

        // Step 3: the inspector finds the case in the queue and records the outcome.
        var inspector = await SignedIn(people.Inspector, javaScript);
        Assert.That(new Uri(inspector.Url).AbsolutePath, Is.EqualTo("/portaal/overleggen"));
        if (screenshots) await Chromium.Screenshot(inspector, "inspector-queue.png");
        await inspector.Locator("#queue tr", new() { HasText = number }).GetByRole(AriaRole.Link).ClickAsync();
        await inspector.GetByLabel("Redelijk vermoeden van een zedenmisdrijf").CheckAsync();
        await inspector.Locator("#form-Outcome").GetByLabel("Onderbouwing").FillAsync("Er is een redelijk vermoeden.");
        if (screenshots) await Chromium.Screenshot(inspector, "inspector-case.png");
        await Submit(inspector, "Outcome", "Uitkomst vastleggen");
        Assert.That(await State(inspector), Is.EqualTo("Redelijk vermoeden"));

        // Steps 4–6 and the follow-up, by the board.
        await board.ReloadAsync();
        await board.Locator("#form-InformParties").GetByLabel("De ouders").CheckAsync();
        await board.Locator("#form-InformParties").GetByLabel("De beschuldigde").CheckAsync();
        await board.Locator("#form-InformParties").GetByLabel("Hoe").FillAsync("In een gesprek op school.");
        await Submit(board, "InformParties", "Vastleggen dat zij zijn geïnformeerd");
        Assert.That(await State(board), Is.EqualTo("Betrokkenen geïnformeerd"));
        await board.Locator("#form-Aangifte").GetByLabel("Politie-eenheid").FillAsync("Eenheid Midden-Nederland");
        await board.Locator("#form-Aangifte").GetByLabel("Registratienummer van de aangifte").FillAsync("PL0900-2026-1234");
        await Submit(board, "Aangifte", "Aangifte vastleggen");
        Assert.That(await State(board), Is.EqualTo("Aangifte gedaan"));
        await Submit(board, "AangifteNotification", "Vastleggen dat de inspecteur is geïnformeerd");
        Assert.That(await State(board), Is.EqualTo("Inspecteur geïnformeerd over de aangifte"));
        await board.Locator("#form-FollowUp").GetByLabel("Arbeidsrechtelijke maatregelen").CheckAsync();
        await board.Locator("#form-FollowUp").GetByLabel("Onderbouwing").FillAsync("Schorsing en ontslagprocedure.");
        await Submit(board, "FollowUp", "Vervolg vastleggen en zaak sluiten");
        Assert.That(await State(board), Is.EqualTo("Gesloten"));

        // The case page shows every duty met, the timeline and who has seen the case.
        var duties = await board.Locator("section", new() { Has = board.Locator("#duties-title") }).InnerTextAsync();
        Assert.That(Regex.Matches(duties, "Voldaan").Count, Is.GreaterThanOrEqualTo(5), duties);
        var timeline = await board.Locator("ol.timeline").InnerTextAsync();
        Assert.That(timeline, Does.Contain("Zaak geopend").And.Contain("Uitkomst: redelijk vermoeden").And.Contain("Aangifte gedaan").And.Contain("PL0900-2026-1234")
            .And.Contain("De ouders of voogden, De beschuldigde"));
        var access = await board.Locator("section", new() { Has = board.Locator("#access-title") }).InnerTextAsync();
        Assert.That(access, Does.Contain(people.InspectorName).And.Contain("Ingezien"), "the inspector's read is in the access log");
        if (screenshots) await Chromium.Screenshot(board, "board-case-closed.png");

        // A confirmation is shown once, after the post; a link cannot make the page claim one.
        await staff.GotoAsync("/portaal/melden?ontvangen=" + number);
        Assert.That(await staff.Locator("#case-number").CountAsync(), Is.Zero);

        // Staff member: nothing of the case beyond the number.
        var response = await staff.GotoAsync(board.Url);
        Assert.That(response!.Status, Is.EqualTo(403).Or.EqualTo(404));
        await board.Context.CloseAsync(); await staff.Context.CloseAsync(); await inspector.Context.CloseAsync();
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ExtendedRegime_SexualHarassmentOfAnAdultStudent_MeldEnOverlegOnly(bool javaScript)
    {
        var people = await NewPeople(Sector.Ho);
        var board = await SignedIn(people.Board, javaScript);
        await board.GetByRole(AriaRole.Link, new() { Name = "Zaak registreren" }).ClickAsync();
        await board.GetByLabel("Seksuele intimidatie", new() { Exact = true }).CheckAsync();
        await board.GetByLabel("Leerling of student").CheckAsync();
        await board.GetByLabel("Meerderjarig").CheckAsync();
        await board.GetByLabel("Er is een afhankelijkheidsrelatie").CheckAsync();
        await board.GetByLabel("Iemand die voor de instelling werkt").CheckAsync();
        await board.GetByLabel("Wanneer wist het bestuur het?").FillAsync(LocalInput(DateTimeOffset.UtcNow.AddDays(-1)));
        await board.GetByLabel("Wat is er gebeurd?").FillAsync("Een docent stuurde een student seksueel getinte berichten.");
        if (!javaScript) await Chromium.Screenshot(board, "board-register.png");
        await board.GetByRole(AriaRole.Button, new() { Name = "Zaak registreren" }).ClickAsync();

        Assert.That(await board.Locator("#saved").InnerTextAsync(), Does.Contain("geregistreerd"));
        var rules = await board.Locator("section", new() { Has = board.Locator("#rules-title") }).InnerTextAsync();
        Assert.That(rules, Does.Contain("Uitgebreid regime").And.Contain("Meld- en overlegplicht"));
        var number = (await board.Locator("h1").InnerTextAsync()).Replace("Zaak ", "");

        await board.Locator("#form-StartOverleg").GetByLabel("Vertrouwensinspecteur").SelectOptionAsync(new SelectOptionValue { Label = people.InspectorName });
        await board.Locator("#form-StartOverleg").GetByLabel("Wat u met de inspecteur deelt").FillAsync("Berichten via de chat.");
        await Submit(board, "StartOverleg", "Overleg starten");

        var inspector = await SignedIn(people.Inspector, javaScript);
        await inspector.Locator("#queue tr", new() { HasText = number }).GetByRole(AriaRole.Link).ClickAsync();
        await inspector.GetByLabel("Seksuele intimidatie, geen zedenmisdrijf").CheckAsync();
        await inspector.Locator("#form-Outcome").GetByLabel("Onderbouwing").FillAsync("Geen zedenmisdrijf; wel seksuele intimidatie.");
        await Submit(inspector, "Outcome", "Uitkomst vastleggen");
        Assert.That(await State(inspector), Is.EqualTo("Seksuele intimidatie vastgesteld"));

        await board.ReloadAsync();
        Assert.That(await board.Locator("#form-InformParties").CountAsync(), Is.Zero, "no aangifte chain under meld- en overlegplicht");
        await board.Locator("#form-FollowUp").GetByLabel("Klachtprocedure").CheckAsync();
        await board.Locator("#form-FollowUp").GetByLabel("Onderbouwing").FillAsync("De student dient een klacht in.");
        await Submit(board, "FollowUp", "Vervolg vastleggen en zaak sluiten");
        Assert.That(await State(board), Is.EqualTo("Gesloten"));

        // Pending proceedings: the board keeps the closed case beyond its retention period.
        await board.GetByRole(AriaRole.Button, new() { Name = "Bewaren, ook na de bewaartermijn" }).ClickAsync();
        Assert.That(await board.Locator("#saved").InnerTextAsync(), Does.Contain("bewaarkeuze"));
        Assert.That(await board.Locator("main").InnerTextAsync(), Does.Contain("Deze zaak wordt bewaard").And.Contain("Bewaren na de bewaartermijn aangezet"));
        await board.Context.CloseAsync(); await inspector.Context.CloseAsync();
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task StepOutOfOrder_FromAStaleForm_RefusedInWords_NothingChanged(bool javaScript)
    {
        var people = await NewPeople();
        var staff = await SignedIn(people.Staff, javaScript);
        var number = await Notify(staff, "Zedenmisdrijf", "Leerling of student", "Minderjarig", "Feiten");
        var board = await SignedIn(people.Board, javaScript);
        await board.Locator("tr", new() { HasText = number }).GetByRole(AriaRole.Link).ClickAsync();

        // A second tab takes the step first; the first tab's form is now out of date.
        var second = await board.Context.NewPageAsync();
        await second.GotoAsync(board.Url);
        await second.Locator("#form-StartOverleg").GetByLabel("Vertrouwensinspecteur").SelectOptionAsync(new SelectOptionValue { Label = people.InspectorName });
        await second.Locator("#form-StartOverleg").GetByLabel("Wat u met de inspecteur deelt").FillAsync("Eerste tab");
        await Submit(second, "StartOverleg", "Overleg starten");
        Assert.That(await State(second), Is.EqualTo("Overleg gestart"));

        await board.Locator("#form-StartOverleg").GetByLabel("Vertrouwensinspecteur").SelectOptionAsync(new SelectOptionValue { Label = people.InspectorName });
        await board.Locator("#form-StartOverleg").GetByLabel("Wat u met de inspecteur deelt").FillAsync("Tweede keer");
        var responses = new List<int>();
        board.Response += (_, r) => { if (r.Request.Method == "POST") responses.Add(r.Status); };
        await Submit(board, "StartOverleg", "Overleg starten");
        Assert.That(responses, Does.Contain(409));
        var problem = await board.Locator("#step-problem").InnerTextAsync();
        Assert.That(problem, Does.Contain("intussen gewijzigd").And.Contain("‘Overleg gestart’").And.Contain("Nu aan zet: de vertrouwensinspecteur"));
        Assert.That(await board.Locator("#form-StartOverleg").CountAsync(), Is.Zero, "the step is no longer offered");
        Assert.That(await State(board), Is.EqualTo("Overleg gestart"));
        var timeline = await board.Locator("ol.timeline").InnerTextAsync();
        Assert.That(Regex.Matches(timeline, "Overleg met de vertrouwensinspecteur gestart").Count, Is.EqualTo(1), "the step happened once");
        Assert.That(timeline, Does.Not.Contain("Tweede keer"));
        await board.Context.CloseAsync(); await staff.Context.CloseAsync();
    }

    [Test]
    public async Task AnotherInstitutionsCase_PlainNotFound_AndNotInItsLists()
    {
        var people = await NewPeople();
        var staff = await SignedIn(people.Staff, javaScript: false);
        var number = await Notify(staff, "Zedenmisdrijf", "Leerling of student", "Minderjarig", "Geheim feit");
        var board = await SignedIn(people.Board, javaScript: false);
        await board.Locator("tr", new() { HasText = number }).GetByRole(AriaRole.Link).ClickAsync();
        var url = board.Url;

        var other = await SignedIn(people.OtherBoard, javaScript: false);
        var response = await other.GotoAsync(url);
        Assert.That(response!.Status, Is.EqualTo(404));
        Assert.That(await other.Locator("h1").InnerTextAsync(), Is.EqualTo("Zaak niet gevonden"));
        Assert.That(await other.Locator("main").InnerTextAsync(), Does.Not.Contain("Geheim feit").And.Not.Contain(number));
        await other.GotoAsync("/portaal/zaken?nummer=" + number);
        Assert.That(await other.Locator("main").InnerTextAsync(), Does.Contain("Geen zaken gevonden"));
        await other.GotoAsync("/portaal/taken");
        Assert.That(await other.Locator("main").InnerTextAsync(), Does.Not.Contain(number));
        await board.Context.CloseAsync(); await staff.Context.CloseAsync(); await other.Context.CloseAsync();
    }

    [Test]
    public async Task StepForm_PostedWithoutItsAntiForgeryToken_ChangesNothing()
    {
        var people = await NewPeople();
        var staff = await SignedIn(people.Staff, javaScript: false);
        var number = await Notify(staff, "Zedenmisdrijf", "Leerling of student", "Minderjarig", "Feiten");
        var board = await SignedIn(people.Board, javaScript: false);
        await board.Locator("tr", new() { HasText = number }).GetByRole(AriaRole.Link).ClickAsync();
        var inspectorId = await board.Locator("#StartOverleg-inspectorId option", new() { HasText = people.InspectorName }).GetAttributeAsync("value");
        var version = await board.Locator("#form-StartOverleg input[name='step.version']").GetAttributeAsync("value");

        // The board's own cookie goes along (as a forged cross-site post's would); only the token is missing.
        var forged = await board.Context.APIRequest.PostAsync(board.Url + "?handler=StartOverleg", new()
        {
            Form = board.Context.APIRequest.CreateFormData()
                .Set("step.version", version!).Set("step.inspectorId", inspectorId!).Set("step.factsGiven", "vervalst"),
            MaxRedirects = 0,
        });
        Assert.That(forged.Status, Is.EqualTo(400));
        await board.ReloadAsync();
        Assert.That(await State(board), Is.EqualTo("Geregistreerd: overleg starten"));
        await board.Context.CloseAsync(); await staff.Context.CloseAsync();
    }

    [Test]
    public async Task BoardStepForm_UsableByKeyboardAlone()
    {
        var people = await NewPeople();
        var staff = await SignedIn(people.Staff, javaScript: true);
        var number = await Notify(staff, "Zedenmisdrijf", "Leerling of student", "Minderjarig", "Feiten");
        var board = await SignedIn(people.Board, javaScript: true);
        // Looking a number up opens the case (typed without its prefix and zeros, as people do).
        await board.GotoAsync("/portaal/zaken?nummer=" + number.Replace("CH-", "").TrimStart('0'));
        Assert.That(await board.Locator("h1").InnerTextAsync(), Is.EqualTo($"Zaak {number}"));

        async Task TabTo(string id)
        {
            for (var i = 0; i < 60; i++)
            {
                await board.Keyboard.PressAsync("Tab");
                if (await board.EvaluateAsync<string>("document.activeElement.id") == id) return;
            }
            Assert.Fail($"Tab never reached #{id}");
        }
        await TabTo("StartOverleg-inspectorId");
        await board.Keyboard.TypeAsync(people.InspectorName);
        await TabTo("StartOverleg-factsGiven");
        await board.Keyboard.TypeAsync("Met het toetsenbord ingevuld.");
        await board.Keyboard.PressAsync("Tab");
        Assert.That(await board.EvaluateAsync<string>("document.activeElement.textContent"), Is.EqualTo("Overleg starten"));
        await board.Keyboard.PressAsync("Enter");
        await board.Locator("#saved").WaitForAsync();
        Assert.That(await State(board), Is.EqualTo("Overleg gestart"));
        await board.Context.CloseAsync(); await staff.Context.CloseAsync();
    }

    [Test]
    public async Task MailLink_AfterSignIn_OpensTheCasePage()
    {
        var people = await NewPeople();
        var staff = await SignedIn(people.Staff, javaScript: false);
        var number = await Notify(staff, "Zedenmisdrijf", "Leerling of student", "Minderjarig", "Feiten");
        var board = await SignedIn(people.Board, javaScript: false);
        await board.Locator("tr", new() { HasText = number }).GetByRole(AriaRole.Link).ClickAsync();
        var caseId = Guid.Parse(new Uri(board.Url).Segments[^1]);

        // The link the reminder and escalation mails carry (DutySweep takes it from Links), opened signed out.
        var link = new Uri(_host.Services.GetRequiredService<Links>().Case(caseId));
        Assert.That(link.AbsolutePath, Is.EqualTo($"/portaal/zaken/{caseId}"));
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, BaseURL = Base.ToString(), Locale = "nl-NL" });
        var fresh = await context.NewPageAsync();
        await fresh.GotoAsync(link.PathAndQuery);
        Assert.That(new Uri(fresh.Url).AbsolutePath, Is.EqualTo("/aanmelden"));
        await fresh.GetByLabel("E-mailadres").FillAsync(people.Board);
        await fresh.GetByLabel("Wachtwoord").FillAsync(World.Password);
        await fresh.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
        Assert.That(new Uri(fresh.Url).AbsolutePath, Is.EqualTo($"/portaal/zaken/{caseId}"));
        Assert.That(await fresh.Locator("h1").InnerTextAsync(), Is.EqualTo($"Zaak {number}"));
        await context.CloseAsync(); await board.Context.CloseAsync(); await staff.Context.CloseAsync();
    }

    [Test]
    public async Task InspectorsAttention_AReasonForNotInformingTheParties_IsListed()
    {
        var people = await NewPeople();
        // Brought to that state through the API (the same commands): the page under test is the inspector's.
        var board = await World.SignIn(_host, people.Board, World.Password);
        var inspectorApi = await World.SignIn(_host, people.Inspector, World.Password);
        var inspectorId = (await board.GetJson<List<InspectorView>>("/api/inspectors")).Single(i => i.Name == people.InspectorName).Id;
        var c = await (await board.Post("/api/cases", new RegisterCase(IncidentType.Zedenmisdrijf, new VictimInput(VictimKind.Student, VictimAge.Minor, false),
            AccusedRole.MetTakenBelastPersoon, DateTimeOffset.UtcNow.AddHours(-1), "Feiten"))).Read<CaseRef>(HttpStatusCode.Created);
        await (await board.Post($"/api/cases/{c.Id}/consultation", new { inspectorId, factsGiven = "Feiten" })).Read<CaseRef>();
        await (await inspectorApi.Post($"/api/cases/{c.Id}/outcome", new { outcome = "ReasonableSuspicion", reasoning = "Vermoeden" })).Read<CaseRef>();

        var inspector = await SignedIn(people.Inspector, javaScript: false);
        Assert.That(await inspector.Locator("ul.attention").CountAsync(), Is.Zero, "nothing yet");
        await (await board.Post($"/api/cases/{c.Id}/informing-impossible", new { reason = "Op advies van de politie nog niet." })).Read<CaseRef>();
        await inspector.ReloadAsync();
        Assert.That(await inspector.Locator("ul.attention li", new() { HasText = c.Number }).InnerTextAsync(),
            Does.Contain("het bestuur kon de betrokkenen niet informeren"));
        await inspector.Locator("ul.attention li", new() { HasText = c.Number }).GetByRole(AriaRole.Link).ClickAsync();
        Assert.That(await inspector.Locator("main").InnerTextAsync(), Does.Contain("Op advies van de politie nog niet."), "the reason is on the case page");
        await inspector.Context.CloseAsync();
    }

    [Test]
    public async Task Accessibility_EveryPortalPage_NoSeriousOrCriticalAxeViolations_DutchAndEnglish()
    {
        var people = await NewPeople();
        var problems = new List<string>();
        async Task Check(IPage page, string what)
        {
            var result = await Chromium.Axe(page);
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }
        var staff = await SignedIn(people.Staff, javaScript: true);
        await Check(staff, "notify");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Melding naar het bestuur sturen" }).ClickAsync();
        await Check(staff, "notify with errors");
        await staff.GotoAsync("/portaal/melden");
        var number = await Notify(staff, "Zedenmisdrijf", "Leerling of student", "Minderjarig", "Feiten");
        await Check(staff, "notified");

        var board = await SignedIn(people.Board, javaScript: true);
        await Check(board, "work list");
        await board.GotoAsync("/portaal/zaken"); await Check(board, "case list");
        await board.GotoAsync("/portaal/zaken/nieuw"); await Check(board, "register");
        await board.GotoAsync("/portaal/zaken?nummer=" + number);
        await Check(board, "case page");
        await Submit(board, "StartOverleg", "Overleg starten"); await Check(board, "case page with errors");
        await board.GotoAsync(board.Url.Split('?')[0] + "?lang=en"); await Check(board, "case page en");
        Assert.That(await board.Locator("h2#steps-title").InnerTextAsync(), Is.EqualTo("What can happen now"));
        await board.GotoAsync("/portaal/taken"); 
        Assert.That(await board.Locator("h1").InnerTextAsync(), Is.EqualTo("Work list"), "the language choice is remembered on staff pages");
        await Check(board, "work list en");
        await board.GotoAsync("/portaal/zaken/" + Guid.NewGuid()); await Check(board, "not found");

        var inspector = await SignedIn(people.Inspector, javaScript: true);
        await Check(inspector, "queue");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        await board.Context.CloseAsync(); await staff.Context.CloseAsync(); await inspector.Context.CloseAsync();
    }

}
