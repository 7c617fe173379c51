using System.Net;
using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Tests.Features;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The administrator's pages in real Chromium, through the pages only (the person on the other side of an account uses
/// the sign-in page or the API): institutions, accounts, the rules in force, the keys; with JavaScript on and off. Also
/// axe in Dutch and English, the keyboard, anti-forgery and other roles. A host of its own: the rules page changes
/// settings, which other fixtures' cases must not feel. The JavaScript-off run saves the screenshots in docs/portal/.
/// </summary>
public sealed class AdminPagesTests
{
    private static readonly string[] Pages = ["/portaal/beheer", "/portaal/beheer/instellingen", "/portaal/beheer/accounts", "/portaal/beheer/regels", "/portaal/beheer/sleutels"];

    private static readonly string OldKek = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TestHost _host = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        // The key-encryption key of before a rotation, still known (test-1 is the active one): the keys page re-wraps under it.
        _host = await TestHost.Get("admin-browser", new() { ["Encryption:Keys:test-0"] = OldKek }, kestrel: true);
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

    private async Task<IPage> NewPage(bool javaScript)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = _host.KestrelAddress!.ToString(), Locale = "nl-NL" });
        return await context.NewPageAsync();
    }

    private async Task<IPage> SignedIn(string email, string password, bool javaScript)
    {
        var page = await NewPage(javaScript);
        await SignIn(page, email, password);
        return page;
    }

    private static async Task SignIn(IPage page, string email, string password)
    {
        await page.GotoAsync("/aanmelden");
        await page.GetByLabel("E-mailadres").FillAsync(email);
        await page.GetByLabel("Wachtwoord").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
    }

    /// <summary>Whether the person can sign in now, in a browser of their own.</summary>
    private async Task<bool> CanSignIn(string email)
    {
        var page = await SignedIn(email, World.Password, javaScript: false);
        var path = new Uri(page.Url).AbsolutePath;
        await page.Context.CloseAsync();
        return path != "/aanmelden";
    }

    private static string PathOf(IPage page) => new Uri(page.Url).AbsolutePath;

    private static ILocator Row(IPage page, string table, string text) => page.Locator($"#{table} tbody tr", new() { HasText = text });

    private static async Task<string> Saved(IPage page) => await page.Locator("#saved").InnerTextAsync();

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];

    [TestCase(true)]
    [TestCase(false)]
    public async Task Administrator_MainPath_InstitutionAccountRulesKeys_ThroughThePages(bool javaScript)
    {
        var screenshots = !javaScript;
        var tag = Tag();
        var admin = await SignedIn(TestHost.AdminEmail, TestHost.AdminPassword, javaScript);
        Assert.That(PathOf(admin), Is.EqualTo("/portaal/beheer"), "an administrator lands on the administration's start page");
        Assert.That(await admin.Locator("ul.overview").GetByRole(AriaRole.Link, new() { Name = "Achtergrondtaken (Hangfire)" }).GetAttributeAsync("href"), Is.EqualTo("/hangfire"));
        if (screenshots) await Chromium.Screenshot(admin, "admin-home.png");

        // An institution: first with an address that is none; the error stands at the field and in the summary.
        await admin.Locator("nav.portal-nav").GetByRole(AriaRole.Link, new() { Name = "Instellingen" }).ClickAsync();
        var name = $"Lyceum {tag}";
        await admin.GetByLabel("Naam", new() { Exact = true }).FillAsync(name);
        await admin.GetByLabel("Sector").SelectOptionAsync(new SelectOptionValue { Label = "Voortgezet onderwijs" });
        await admin.GetByLabel("Contactadres (e-mail)").FillAsync("bestuur-at-school");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Instelling toevoegen" }).ClickAsync();
        Assert.That(await admin.Locator("#create-contactEmail-error").InnerTextAsync(), Is.EqualTo("Dit is geen e-mailadres."));
        Assert.That(await admin.Locator(".summary a[href='#create-contactEmail']").InnerTextAsync(), Is.EqualTo("Contactadres (e-mail): Dit is geen e-mailadres."));
        Assert.That(await admin.GetByLabel("Naam", new() { Exact = true }).InputValueAsync(), Is.EqualTo(name), "what was typed is kept");
        if (screenshots) await Chromium.Screenshot(admin, "admin-institutions-error.png");
        await admin.GetByLabel("Contactadres (e-mail)").FillAsync($"bestuur-{tag}@example.org");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Instelling toevoegen" }).ClickAsync();
        Assert.That(await Saved(admin), Is.EqualTo($"Instelling {name} is toegevoegd."));
        Assert.That(await Row(admin, "institutions", name).InnerTextAsync(), Does.Contain("Voortgezet onderwijs"));

        // Its contact address changes.
        await admin.GetByLabel($"Contactadres van {name}").FillAsync($"secretariaat-{tag}@example.org");
        await Row(admin, "institutions", name).GetByRole(AriaRole.Button, new() { Name = "Adres opslaan" }).ClickAsync();
        Assert.That(await Saved(admin), Is.EqualTo($"Het contactadres van {name} is gewijzigd."));
        Assert.That(await admin.GetByLabel($"Contactadres van {name}").InputValueAsync(), Is.EqualTo($"secretariaat-{tag}@example.org"));
        var institution = (await _admin.GetJson<List<InstitutionView>>("/api/admin/institutions")).Single(i => i.Name == name);
        Assert.That(institution.ContactEmail, Is.EqualTo($"secretariaat-{tag}@example.org"), "the same command as the API");
        if (screenshots) await Chromium.Screenshot(admin, "admin-institutions.png");

        // An account for the institution's board.
        await admin.Locator("nav.portal-nav").GetByRole(AriaRole.Link, new() { Name = "Accounts" }).ClickAsync();
        var email = $"bestuur-{tag}@test.casehandling.nl";
        await admin.GetByLabel("E-mailadres").FillAsync(email);
        await admin.GetByLabel("Naam", new() { Exact = true }).FillAsync($"Bestuurder {tag}");
        await admin.GetByLabel("Eerste wachtwoord").FillAsync(World.Password);
        await admin.GetByLabel("Rol").SelectOptionAsync(new SelectOptionValue { Label = "Bestuur" });
        await admin.GetByLabel("Instelling", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = name });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Account aanmaken" }).ClickAsync();
        Assert.That(await Saved(admin), Is.EqualTo($"Het account {email} is aangemaakt."));
        var row = Row(admin, "accounts", email);
        Assert.That(await row.InnerTextAsync(), Does.Contain(name).And.Contain("Bestuur").And.Contain("Actief"));
        Assert.That(await CanSignIn(email), Is.True);

        // Disabled: no sign-in. Enabled: in again.
        await row.GetByRole(AriaRole.Button, new() { Name = "Uitschakelen" }).ClickAsync();
        Assert.That(await Saved(admin), Does.StartWith($"Het account {email} is uitgeschakeld."));
        Assert.That(await row.InnerTextAsync(), Does.Contain("Uitgeschakeld"));
        Assert.That(await CanSignIn(email), Is.False, "a disabled account cannot sign in");
        if (screenshots) await Chromium.Screenshot(admin, "admin-accounts.png");
        await row.GetByRole(AriaRole.Button, new() { Name = "Inschakelen" }).ClickAsync();
        Assert.That(await Saved(admin), Is.EqualTo($"Het account {email} is weer ingeschakeld."));
        Assert.That(await CanSignIn(email), Is.True);

        // Locked after five wrong passwords; unlocked, the person can sign in at once.
        for (var i = 0; i < 5; i++) await _host.CreateClient().Post("/api/auth/login", new { email, password = "Verkeerd-wachtwoord-1" });
        await admin.ReloadAsync();
        Assert.That(await row.InnerTextAsync(), Does.Contain("Geblokkeerd na mislukte pogingen"));
        Assert.That(await CanSignIn(email), Is.False, "locked out");
        await row.GetByRole(AriaRole.Button, new() { Name = "Deblokkeren" }).ClickAsync();
        Assert.That(await Saved(admin), Is.EqualTo($"Het account {email} is gedeblokkeerd."));
        Assert.That(await row.InnerTextAsync(), Does.Contain("Actief").And.Not.Contain("Geblokkeerd"));
        Assert.That(await CanSignIn(email), Is.True);

        // Enrolled in two-factor (through the API, as the person's app would), then reset: the password alone signs in.
        var person = await World.SignIn(_host, email, World.Password);
        var key = (await (await person.Post("/api/auth/2fa/setup", new { })).Read<JsonElement>()).GetProperty("sharedKey").GetString()!;
        Assert.That((await person.Post("/api/auth/2fa/enable", new { code = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) })).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await admin.ReloadAsync();
        Assert.That(await row.Locator("td").Nth(3).InnerTextAsync(), Is.EqualTo("Aan"));
        Assert.That(await CanSignIn(email), Is.False, "a code is needed now");
        await row.GetByRole(AriaRole.Button, new() { Name = "Tweestapsverificatie opnieuw instellen" }).ClickAsync();
        Assert.That(await Saved(admin), Does.StartWith($"De tweestapsverificatie van {email} staat uit"));
        Assert.That(await row.Locator("td").Nth(3).InnerTextAsync(), Is.EqualTo("Uit"));
        Assert.That(await CanSignIn(email), Is.True, "the password alone, to enrol again");

        // The rules: a wrong deadline is named at its field; then the settings change and are in force.
        await admin.Locator("nav.portal-nav").GetByRole(AriaRole.Link, new() { Name = "Regels" }).ClickAsync();
        Assert.That(await admin.Locator("#regimes").InnerTextAsync(), Does.Contain("Huidig recht").And.Contain("WPO kent geen leeftijdsgrens"));
        if (screenshots) await Chromium.Screenshot(admin, "admin-rules.png");
        var year = javaScript ? 2031 : 2032;
        await admin.GetByLabel("Uitgebreid regime geldt vanaf").FillAsync($"{year}-08-01");
        await admin.GetByLabel("Toegevoegde feestdagen").FillAsync($"{year}-05-30");
        await admin.GetByLabel("Overleg starten", new() { Exact = true }).FillAsync("morgen");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Wijzigingen opslaan" }).ClickAsync();
        Assert.That(await admin.Locator("#settings-deadlinePolicy-StartOverleg-error").InnerTextAsync(), Does.StartWith("Dit is geen termijn."));
        Assert.That(await admin.Locator(".summary a[href='#settings-deadlinePolicy-StartOverleg']").InnerTextAsync(), Does.StartWith("Termijn voor ‘overleg starten’: "));
        Assert.That(await admin.Locator("#regimes").InnerTextAsync(), Does.Not.Contain($"{year}"), "nothing was changed");
        Assert.That(await admin.GetByLabel("Uitgebreid regime geldt vanaf").InputValueAsync(), Is.EqualTo($"{year}-08-01"), "what was typed is kept");
        if (screenshots) await Chromium.Screenshot(admin, "admin-rules-error.png");
        var deadline = javaScript ? "2wd" : "3wd";
        await admin.GetByLabel("Overleg starten", new() { Exact = true }).FillAsync(deadline);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Wijzigingen opslaan" }).ClickAsync();
        Assert.That(await Saved(admin), Is.EqualTo("De wijzigingen zijn opgeslagen en gelden nu."));
        Assert.That(await admin.Locator("#regimes").InnerTextAsync(), Does.Contain($"1 augustus {year}"));
        Assert.That(await admin.Locator("#holidays").InnerTextAsync(), Does.Contain($"30 mei {year}"));
        Assert.That(await admin.Locator("#duty-StartOverleg").InnerTextAsync(), Does.Contain(javaScript ? "2 werkdagen" : "3 werkdagen"));
        var rules = await _admin.GetJson<RulesView>("/api/admin/rules");
        Assert.That(rules.Regimes.Last().EffectiveFrom, Is.EqualTo(new DateOnly(year, 8, 1)), "in force for the API too");
        Assert.That(rules.Duties.Single(d => d.Kind == Domain.Duties.DutyKind.StartOverleg).Deadline, Is.EqualTo(deadline));

        // The keys. A case sealed before the rotation (an instance on which test-0 was still the active key), then
        // re-wrapped from the page: the old key wraps nothing afterwards.
        var beforeRotation = await TestHost.Get("admin-browser-before-rotation", new() { ["Encryption:ActiveKeyId"] = "test-0", ["Encryption:Keys:test-0"] = OldKek },
            connectionString: _host.ConnectionString, keyStoreConnectionString: _host.KeyStoreConnectionString);
        var world = await World.Create(beforeRotation);
        var sealedCase = await world.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, facts: $"Feiten {tag}");
        await admin.Locator("nav.portal-nav").GetByRole(AriaRole.Link, new() { Name = "Sleutels" }).ClickAsync();
        Assert.That(await admin.Locator("#active-key").InnerTextAsync(), Is.EqualTo("test-1"));
        Assert.That(await Row(admin, "keys", "test-0").InnerTextAsync(), Does.Match("test-0\\s+[1-9]\\d*\\s+Nog in gebruik: opnieuw verpakken"));
        if (screenshots) await Chromium.Screenshot(admin, "admin-keys.png");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Opnieuw verpakken" }).ClickAsync();
        Assert.That(await Saved(admin), Does.Match("^Opnieuw verpakt met sleutel test-1: [1-9]\\d* gegevenssleutels\\."));
        var oldRow = Row(admin, "keys", "test-0");
        Assert.That(await oldRow.CountAsync() == 0 || (await oldRow.InnerTextAsync()).Contains("Verpakt niets meer"), Is.True, "the old key wraps nothing now");
        Assert.That((await world.Board.Case(sealedCase.Id)).Timeline[0].Details.ToString(), Does.Contain($"Feiten {tag}"), "the case's content still opens");
        if (screenshots) await Chromium.Screenshot(admin, "admin-keys-rewrapped.png");

        // A confirmation is shown once, after its post.
        await admin.ReloadAsync();
        Assert.That(await admin.Locator("#saved").CountAsync(), Is.Zero);
        await admin.Context.CloseAsync();
    }

    [Test]
    public async Task Accounts_OwnAccount_NoDisableButton_AndAPostedOneIsRefusedInWords()
    {
        var admin = await SignedIn(TestHost.AdminEmail, TestHost.AdminPassword, javaScript: false);
        await admin.GotoAsync("/portaal/beheer/accounts");
        var own = Row(admin, "accounts", TestHost.AdminEmail);
        Assert.That(await own.InnerTextAsync(), Does.Contain("(uw eigen account)"));
        Assert.That(await own.GetByRole(AriaRole.Button, new() { Name = "Uitschakelen" }).CountAsync(), Is.Zero);

        // A hand-made post (with the page's own token) is refused by the command, and the page says why.
        var me = (await (await _admin.GetAsync("/api/auth/me")).Read<JsonElement>()).GetProperty("id").GetString()!;
        var token = await admin.Locator("#form-create input[name='__RequestVerificationToken']").GetAttributeAsync("value");
        var response = await admin.Context.APIRequest.PostAsync($"/portaal/beheer/accounts?handler=Disable&id={me}", new()
        {
            Form = admin.Context.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!),
            MaxRedirects = 0,
        });
        Assert.That(response.Status, Is.EqualTo(409));
        Assert.That(await response.TextAsync(), Does.Contain("U kunt uw eigen account niet uitschakelen."));
        Assert.That((await _admin.GetJson<List<UserView>>("/api/admin/users")).Single(u => u.Id == me).Disabled, Is.False);
        await admin.Context.CloseAsync();
    }

    [Test]
    public async Task Accounts_FederatedIdentity_ShownByProvider_AndUnlinked()
    {
        var email = $"extern-{Tag()}@test.casehandling.nl";
        var account = await (await _admin.Post("/api/admin/users", new CreateUser(email, "Extern Gekoppeld", World.Password,
            StaffRole.Vertrouwensinspecteur, null))).Read<UserView>(HttpStatusCode.Created);
        // Linked as a first federated sign-in links it (docs/SIGN-IN.md): Identity's login with issuer, subject and provider name.
        const string subject = "onderwerp-3f9c1a";
        using (var scope = _host.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CaseHandling.Data.StaffUser>>();
            var user = (await users.FindByIdAsync(account.Id))!;
            Assert.That((await users.AddLoginAsync(user, new Microsoft.AspNetCore.Identity.UserLoginInfo("https://idp.test.casehandling.nl/", subject, "surfconext"))).Succeeded);
        }

        var admin = await SignedIn(TestHost.AdminEmail, TestHost.AdminPassword, javaScript: false);
        await admin.GotoAsync("/portaal/beheer/accounts");
        var row = admin.Locator("#accounts tbody tr", new() { HasText = email });
        Assert.That(await row.Locator("td.federated").InnerTextAsync(), Does.Contain("surfconext"));
        Assert.That(await admin.ContentAsync(), Does.Not.Contain(subject), "the provider's identifier of the person is not shown");
        Assert.That(await admin.Locator("#accounts thead").InnerTextAsync(), Does.Contain("Externe aanmelding"));
        await row.ScrollIntoViewIfNeededAsync();
        await admin.ScreenshotAsync(new PageScreenshotOptions { Path = RepoFiles.PathOf("docs", "portal", "admin-accounts-federated.png") });

        await row.GetByRole(AriaRole.Button, new() { Name = "Ontkoppelen surfconext " + email }).ClickAsync();
        Assert.That(await admin.Locator("#saved").InnerTextAsync(), Does.Contain($"De externe aanmelding is losgekoppeld van {email}"));
        Assert.That((await admin.Locator("#accounts tbody tr", new() { HasText = email }).Locator("td.federated").InnerTextAsync()).Trim(), Is.EqualTo("geen"));
        Assert.That((await _admin.GetJson<List<UserView>>("/api/admin/users")).Single(u => u.Id == account.Id).LinkedProviders, Is.Empty);
        await admin.Context.CloseAsync();
    }

    [Test]
    public async Task AccountAction_PostedWithoutItsAntiForgeryToken_ChangesNothing()
    {
        var account = await (await _admin.Post("/api/admin/users", new CreateUser($"doelwit-{Tag()}@test.casehandling.nl", "Doelwit", World.Password,
            StaffRole.Vertrouwensinspecteur, null))).Read<UserView>(HttpStatusCode.Created);
        var admin = await SignedIn(TestHost.AdminEmail, TestHost.AdminPassword, javaScript: false);
        await admin.GotoAsync("/portaal/beheer/accounts");
        // The administrator's own cookie goes along (as a forged cross-site post's would); only the token is missing.
        var forged = await admin.Context.APIRequest.PostAsync($"/portaal/beheer/accounts?handler=Disable&id={account.Id}", new()
        {
            Form = admin.Context.APIRequest.CreateFormData().Set("x", "y"),
            MaxRedirects = 0,
        });
        Assert.That(forged.Status, Is.EqualTo(400));
        var settings = await admin.Context.APIRequest.PostAsync("/portaal/beheer/regels", new()
        {
            Form = admin.Context.APIRequest.CreateFormData().Set("extendedRegimeEffectiveFrom", ""),
            MaxRedirects = 0,
        });
        Assert.That(settings.Status, Is.EqualTo(400));
        Assert.That((await _admin.GetJson<List<UserView>>("/api/admin/users")).Single(u => u.Id == account.Id).Disabled, Is.False);
        await admin.Context.CloseAsync();
    }

    [Test]
    public async Task OtherRoles_EveryAdministratorPage_AccessDenied()
    {
        var email = $"bestuur-{Tag()}@test.casehandling.nl";
        var inst = await World.Institution(_admin, $"School {Tag()}", Sector.Po);
        await (await _admin.Post("/api/admin/users", new CreateUser(email, "Bestuur", World.Password, StaffRole.Board, inst.Id))).Read<UserView>(HttpStatusCode.Created);
        var board = await SignedIn(email, World.Password, javaScript: false);
        foreach (var path in Pages)
        {
            var response = await board.GotoAsync(path);
            Assert.That((response!.Status, PathOf(board)), Is.EqualTo((403, "/geen-toegang")), path);
        }
        await board.Context.CloseAsync();
    }

    [Test]
    public async Task Institutions_CreateForm_UsableByKeyboardAlone()
    {
        var admin = await SignedIn(TestHost.AdminEmail, TestHost.AdminPassword, javaScript: true);
        await admin.GotoAsync("/portaal/beheer/instellingen");
        async Task TabTo(string id)
        {
            for (var i = 0; i < 200; i++)
            {
                await admin.Keyboard.PressAsync("Tab");
                if (await admin.EvaluateAsync<string>("document.activeElement.id") == id) return;
            }
            Assert.Fail($"Tab never reached #{id}");
        }
        var name = $"Basisschool {Tag()}";
        await TabTo("create-name");
        await admin.Keyboard.TypeAsync(name);
        await admin.Keyboard.PressAsync("Tab");
        Assert.That(await admin.EvaluateAsync<string>("document.activeElement.id"), Is.EqualTo("create-sector"));
        await admin.Keyboard.TypeAsync("Primair");
        await admin.Keyboard.PressAsync("Tab");
        Assert.That(await admin.EvaluateAsync<string>("document.activeElement.id"), Is.EqualTo("create-contactEmail"));
        await admin.Keyboard.TypeAsync("bestuur@example.org");
        await admin.Keyboard.PressAsync("Tab");
        Assert.That(await admin.EvaluateAsync<string>("document.activeElement.textContent"), Is.EqualTo("Instelling toevoegen"));
        await admin.Keyboard.PressAsync("Enter");
        await admin.Locator("#saved").WaitForAsync();
        Assert.That(await Row(admin, "institutions", name).InnerTextAsync(), Does.Contain("Primair onderwijs"));
        await admin.Context.CloseAsync();
    }

    [Test]
    public async Task Accessibility_EveryAdministratorPage_NoSeriousOrCriticalAxeViolations_DutchAndEnglish()
    {
        var problems = new List<string>();
        var admin = await SignedIn(TestHost.AdminEmail, TestHost.AdminPassword, javaScript: true);
        async Task Check(string what)
        {
            var result = await Chromium.Axe(admin);
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }
        // Something in each list, and a locked account (its unlock button).
        var inst = await World.Institution(_admin, $"School {Tag()}", Sector.Mbo);
        var email = $"geblokkeerd-{Tag()}@test.casehandling.nl";
        await (await _admin.Post("/api/admin/users", new CreateUser(email, "Geblokkeerd", World.Password, StaffRole.StaffMember, inst.Id))).Read<UserView>(HttpStatusCode.Created);
        for (var i = 0; i < 5; i++) await _host.CreateClient().Post("/api/auth/login", new { email, password = "Verkeerd-wachtwoord-1" });

        foreach (var lang in new[] { "nl", "en" })
        {
            foreach (var path in Pages)
            {
                await admin.GotoAsync(path + (lang == "en" ? "?lang=en" : ""));
                await Check($"{path} {lang}");
            }
            // With errors: the create forms posted empty, a wrong contact address, a wrong setting.
            await admin.GotoAsync("/portaal/beheer/instellingen");
            await admin.Locator("#form-create button").ClickAsync();
            await Check($"institutions with errors {lang}");
            await admin.Locator("#institutions input[type=email]").First.FillAsync("geen adres");
            await admin.Locator("#institutions button").First.ClickAsync();
            await Check($"institution contact with an error {lang}");
            await admin.GotoAsync("/portaal/beheer/accounts");
            await admin.Locator("#form-create button").ClickAsync();
            await Check($"accounts with errors {lang}");
            await admin.GotoAsync("/portaal/beheer/regels");
            await admin.Locator("#settings-extraHolidays").FillAsync("gisteren");
            await admin.Locator("#form-settings button").ClickAsync();
            await Check($"rules with errors {lang}");
        }
        Assert.That(await admin.Locator("h1").InnerTextAsync(), Is.EqualTo("Rules"), "the English run was in English");
        Assert.That(await admin.Locator("#settings-extraHolidays-error").InnerTextAsync(), Is.EqualTo("Give each date as yyyy-mm-dd, one per line."));
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        await admin.Context.CloseAsync();
    }
}
