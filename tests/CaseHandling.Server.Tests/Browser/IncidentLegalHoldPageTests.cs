using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Incidents;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The incident page's legal hold in real Chromium with JavaScript off: the board places and lifts it through the form (errors at
/// the field and in the summary first), as POST /api/incidents/{id}/legal-hold does; an authorised staff member sees neither the
/// form nor gets a hold through a forged post. And the register link in the navigation: only for those who may open the register.
/// </summary>
public sealed class IncidentLegalHoldPageTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private HttpClient _boardApi = null!;
    private string _board = null!, _staff = null!, _staffId = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await TestHost.Get("incident-hold-browser", new() { ["Rules:IncidentRegisterEffectiveFrom"] = "2024-01-01" }, kestrel: true);
        var admin = await World.SignIn(_host, TestHost.AdminEmail, TestHost.AdminPassword);
        var school = await World.Institution(admin, "De Linde (po)", Sector.Po);
        var tag = Guid.NewGuid().ToString("N")[..8];
        async Task<(string Email, string Id)> User(string who, StaffRole role)
        {
            var email = $"{who}-{tag}@test.casehandling.nl";
            var user = await (await admin.Post("/api/admin/users", new CreateUser(email, who + " De Linde", World.Password, role, school.Id))).Read<UserView>(HttpStatusCode.Created);
            return (email, user.Id);
        }
        _board = (await User("bestuur", StaffRole.Board)).Email;
        (_staff, _staffId) = await User("leerkracht", StaffRole.StaffMember);
        _boardApi = await World.SignIn(_host, _board, World.Password);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private Task<IPage> SignedIn(string email) => Chromium.SignedIn(_browser, new BrowserNewContextOptions
    {
        JavaScriptEnabled = false, BaseURL = _host.KestrelAddress!.ToString(), Locale = "nl-NL",
    }, email, World.Password);

    private async Task<IncidentRef> Incident() =>
        await (await _boardApi.Post("/api/incidents", new RegisterIncident(IncidentCategory.VandalismOrTheft, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-2)),
            PlaceType.Schoolyard, HarmedParty.None, "Ruit ingegooid; ouders gesproken."))).Read<IncidentRef>(HttpStatusCode.Created);

    private async Task<bool> HeldByApi(Guid id) => (await _boardApi.GetJson<IncidentView>($"/api/incidents/{id}")).LegalHold;

    private async Task Authorise(bool authorised) =>
        (await _boardApi.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/incident-registrars/{_staffId}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { authorised }, options: CaseHandling.Server.Tests.Infrastructure.Api.Json),
        })).EnsureSuccessStatusCode();

    [Test]
    public async Task Board_PlacesAndLiftsTheLegalHold_ErrorAtTheFieldFirst()
    {
        var incident = await Incident();
        var page = await SignedIn(_board);
        await page.GotoAsync($"/portaal/incidenten/{incident.Id}");
        Assert.That(await page.Locator("#hold-state").InnerTextAsync(), Does.Contain("wordt gewist aan het eind van de bewaartermijn"));

        // Sent without a choice: a 400, the summary names the field and links to it, the message stands at the field.
        var waited = page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaarkeuze vastleggen" }).ClickAsync();
        Assert.That((await waited).Status, Is.EqualTo(400));
        Assert.That(await page.Locator(".summary li a[href='#hold-hold']").InnerTextAsync(), Is.EqualTo("Bewaren: Kies of het incident bewaard of gewist wordt."));
        Assert.That(await page.Locator("#hold-hold-error").InnerTextAsync(), Is.EqualTo("Kies of het incident bewaard of gewist wordt."));
        Assert.That(await page.Locator("#hold-hold").GetAttributeAsync("aria-describedby"), Does.Contain("hold-hold-error"));
        await Chromium.Screenshot(page, "incident-legal-hold-error.png");
        Assert.That(await HeldByApi(incident.Id), Is.False);

        await page.GetByLabel("Bewaren, ook na de bewaartermijn").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaarkeuze vastleggen" }).ClickAsync();
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo($"/portaal/incidenten/{incident.Id}"), "post, redirect, get");
        Assert.That(await page.Locator(".notice").InnerTextAsync(), Does.Contain("Het incident wordt bewaard, ook na de bewaartermijn."));
        Assert.That(await page.Locator("#hold-state").InnerTextAsync(), Does.Contain("wordt bewaard, ook na de bewaartermijn"));
        Assert.That(await HeldByApi(incident.Id), Is.True, "the same command as the API's");
        await Chromium.Screenshot(page, "incident-legal-hold.png");

        // Lifted again, in English.
        await page.GotoAsync($"/portaal/incidenten/{incident.Id}?lang=en");
        await page.GetByLabel("Erase it at the end of the retention period").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the choice" }).ClickAsync();
        Assert.That(await page.Locator(".notice").InnerTextAsync(), Does.Contain("The incident will be erased at the end of the retention period."));
        Assert.That(await HeldByApi(incident.Id), Is.False);
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task AuthorisedStaffMember_SeesNoHoldForm_AndAForgedPostHoldsNothing()
    {
        var incident = await Incident();
        await Authorise(true);
        var page = await SignedIn(_staff);
        await page.GotoAsync($"/portaal/incidenten/{incident.Id}");
        Assert.That(await page.Locator("h1").InnerTextAsync(), Does.StartWith("Incident "), "the staff member reads the incident");
        Assert.That(await page.Locator("#hold-title").CountAsync(), Is.Zero);

        // A post made by hand, with the page's own anti-forgery token: the board's step, not theirs.
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var response = await page.Context.APIRequest.PostAsync($"/portaal/incidenten/{incident.Id}?handler=hold", new()
        {
            Form = FormWith(page.Context.APIRequest, ("hold", "true"), ("__RequestVerificationToken", token ?? "")),
            MaxRedirects = 0,
        });
        Assert.That(response.Status, Is.EqualTo(302));
        Assert.That(response.Headers["location"], Does.EndWith("/geen-toegang"));
        Assert.That(await HeldByApi(incident.Id), Is.False);
        await page.Context.CloseAsync();
    }

    private static IFormData FormWith(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields) form.Set(name, value);
        return form;
    }

    [Test]
    public async Task RegisterLink_OnlyForStaffWhoMayOpenTheRegister()
    {
        await Authorise(false);
        var page = await SignedIn(_staff);
        await page.GotoAsync("/portaal/melden");
        var nav = page.Locator("nav.portal-nav");
        Assert.That(await nav.GetByRole(AriaRole.Link, new() { Name = "Incidentenregister" }).CountAsync(), Is.Zero,
            "not authorised: no link to a page that would say 'geen toegang'");
        await page.GotoAsync("/portaal/incidenten");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/geen-toegang"), "and the register itself is closed to them");

        await Authorise(true);
        await page.GotoAsync("/portaal/melden");
        await nav.GetByRole(AriaRole.Link, new() { Name = "Incidentenregister" }).ClickAsync();
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/portaal/incidenten"));
        Assert.That(await page.Locator("h1").InnerTextAsync(), Is.EqualTo("Incidentenregister"));

        // The board withdraws it: the link goes at once (asked per request, not kept in the sign-in cookie).
        await Authorise(false);
        await page.GotoAsync("/portaal/melden");
        Assert.That(await nav.GetByRole(AriaRole.Link, new() { Name = "Incidentenregister" }).CountAsync(), Is.Zero);
        await page.Context.CloseAsync();
    }
}
