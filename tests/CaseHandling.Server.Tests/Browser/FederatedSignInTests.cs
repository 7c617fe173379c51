using System.Net;
using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// Federated sign-in for staff (docs/SIGN-IN.md), end to end: real Chromium clicks the provider's button on /aanmelden, a
/// real OpenID Connect provider (OpenIddict, in this process on its own Kestrel, another site than the app) runs the
/// authorization code flow with PKCE and signs its id token, and the app (on Kestrel, with Security:RequireTwoFactor on,
/// as in production) validates it, links or refuses, and sets its own session. Nothing is mocked.
/// </summary>
[NonParallelizable] // two providers, the app and Chromium on two cores: alone, so that no redirect times out
public sealed class FederatedSignInTests
{
    private const string MfaAcr = "https://refeds.org/profile/mfa";
    private TestOidcProvider _surf = null!;
    private TestOidcProvider _inspectie = null!;
    private TestHost _host = null!;
    private HttpClient _admin = null!;
    private Guid _institution;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private Uri Base => _host.KestrelAddress!;
    /// <summary>The app's clock (the cookie handler and the session's account check read it); it only moves forward.</summary>
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [OneTimeSetUp]
    public async Task Start()
    {
        _surf = await TestOidcProvider.StartAsync();
        _inspectie = await TestOidcProvider.StartAsync();
        var settings = new Dictionary<string, string?> { ["Security:RequireTwoFactor"] = "true" };
        void Provider(string name, TestOidcProvider idp, string displayName)
        {
            var p = $"Authentication:Oidc:Providers:{name}:";
            settings[p + "Authority"] = idp.Issuer.AbsoluteUri;
            settings[p + "ClientId"] = TestOidcProvider.ClientId;
            settings[p + "ClientSecret"] = idp.ClientSecret;
            settings[p + "DisplayName"] = displayName;
            settings[p + "RequireHttpsMetadata"] = "false"; // the test provider speaks http on loopback
            settings[p + "MfaAcrValues:0"] = MfaAcr;
            settings[p + "RequestAcrValues"] = MfaAcr;
        }
        Provider("surfconext", _surf, "SURFconext");
        Provider("inspectie", _inspectie, "Inspectie van het Onderwijs");
        _host = await TestHost.Get("federated-sign-in", settings, kestrel: true, services: s => s.AddSingleton<TimeProvider>(_clock));
        _surf.AllowRedirect(new Uri(Base, "/aanmelden/extern/surfconext/callback"));
        _inspectie.AllowRedirect(new Uri(Base, "/aanmelden/extern/inspectie/callback"));

        // Security:RequireTwoFactor: the administrator enrols in TOTP before it may create accounts.
        var admin = await World.SignIn(_host, TestHost.AdminEmail, TestHost.AdminPassword);
        var setup = await (await admin.Post("/api/auth/2fa/setup", new { })).Read<JsonElement>();
        var key = setup.GetProperty("sharedKey").GetString()!;
        var enabled = await admin.Post("/api/auth/2fa/enable", new { code = Features.TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) });
        Assert.That(enabled.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        _admin = await World.SignIn(_host, TestHost.AdminEmail, TestHost.AdminPassword, Features.TwoFactorTests.Totp(key, DateTimeOffset.UtcNow));
        _institution = (await World.Institution(_admin, "Hogeschool Federatie " + Guid.NewGuid().ToString("N")[..6], Sector.Ho)).Id;

        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_surf is not null) await _surf.DisposeAsync();
        if (_inspectie is not null) await _inspectie.DisposeAsync();
    }

    /// <summary>An account the administrator made beforehand, as today: role, institution, a password the person need not use.</summary>
    private async Task<UserView> Account(StaffRole role, string? email = null)
    {
        email ??= $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..28] + "@test.casehandling.nl";
        return await (await _admin.Post("/api/admin/users", new CreateUser(email, "Federatief " + role, World.Password, role,
            Roles.IsInstitutionBound(role) ? _institution : null))).Read<UserView>(HttpStatusCode.Created);
    }

    private static string NewSubject() => "urn:collab:person:test:" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// A fresh browser opens /aanmelden and clicks the provider's button, the provider approving <paramref name="user"/>;
    /// returns when the browser is in the portal or on the page that refuses. Every address the browser asked for is kept.
    /// </summary>
    private async Task<(IPage Page, List<string> Urls)> SignInWith(TestOidcProvider idp, TestIdpUser user, string button = "Aanmelden met SURFconext")
    {
        idp.User = user;
        var approved = idp.Approved;
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Base.ToString() });
        var page = await context.NewPageAsync();
        var urls = new List<string>();
        page.Request += (_, r) => urls.Add(r.Url);
        await page.GotoAsync("/aanmelden");
        await page.GetByRole(AriaRole.Link, new() { Name = button }).ClickAsync();
        // The chain: the provider, its redirect to the callback, the page that completes the sign-in; signed in, that page
        // refreshes into the portal, refused it stays and says why.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var path = new Uri(page.Url).AbsolutePath;
            if (path.StartsWith("/portaal/")) { await page.WaitForLoadStateAsync(); break; }
            try { if (path == "/aanmelden/extern" && await page.Locator("#sign-in-problem").CountAsync() > 0) break; }
            catch (PlaywrightException) { } // navigating meanwhile
            if (DateTime.UtcNow > deadline) Assert.Fail($"still at {page.Url}");
            await Task.Delay(100);
        }
        Assert.That(idp.Approved, Is.EqualTo(approved + 1), "the sign-in went through the provider");
        return (page, urls);
    }

    private async Task<JsonElement> Me(IPage page)
    {
        var response = await page.APIRequest.GetAsync(new Uri(Base, "/api/auth/me").ToString());
        Assert.That(response.Status, Is.EqualTo(200), "signed in");
        return JsonDocument.Parse(await response.TextAsync()).RootElement;
    }

    private Task<long> Count(string sql, params (string, object)[] args) => Sql.Scalar<long>(_host.ConnectionString, sql, args);

    private Task<long> Logins(string userId) => Count("SELECT count(*) FROM \"AspNetUserLogins\" WHERE user_id = @u", ("u", userId));

    private async Task<List<string>> AuditActions(string userId)
    {
        var actions = new List<string>();
        await using var conn = new Npgsql.NpgsqlConnection(_host.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT user_id, role, action FROM audit_entries WHERE subject_id = @s ORDER BY sequence", conn);
        cmd.Parameters.AddWithValue("s", Guid.Parse(userId));
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) actions.Add($"{reader.GetString(0) == userId} {reader.GetString(1)} {reader.GetString(2)}");
        return actions;
    }

    /// <summary>Neither the subject nor the address is in any address the browser asked for, nor in the app's logs.</summary>
    private void NothingPersonalIn(List<string> urls, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            var escaped = Uri.EscapeDataString(secret);
            Assert.That(urls.Where(u => u.Contains(secret, StringComparison.OrdinalIgnoreCase) || u.Contains(escaped, StringComparison.OrdinalIgnoreCase)), Is.Empty, "in a URL");
            Assert.That(_host.Logs.Lines.Where(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase)), Is.Empty, "in the logs");
        }
    }

    [Test]
    public async Task LinkedAccount_FirstByVerifiedEmailThenBySubject_LandsInThePortalWithItsRole()
    {
        var board = await Account(StaffRole.Board);
        var subject = NewSubject();

        // First sign-in: the provider's verified address finds the account the administrator made, and links the subject.
        var (page, urls) = await SignInWith(_surf, new TestIdpUser(subject, board.Email, true, null, "pwd", "mfa"));
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/portaal/taken"), "the board's first page");
        var me = await Me(page);
        Assert.That(me.GetProperty("id").GetString(), Is.EqualTo(board.Id));
        Assert.That(me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "Board" }));
        Assert.That(me.GetProperty("institutionId").GetString(), Is.EqualTo(_institution.ToString()));
        Assert.That(me.GetProperty("signedInWithTwoFactor").GetBoolean(), Is.True, "the provider's second factor counts");
        Assert.That(await Count("SELECT count(*) FROM \"AspNetUserLogins\" WHERE user_id = @u AND login_provider = @i AND provider_key = @s",
            ("u", board.Id), ("i", _surf.Issuer.AbsoluteUri), ("s", subject)), Is.EqualTo(1), "linked by issuer and subject");
        // The session is the local sign-in's: a role's page and the API under the board's policy.
        Assert.That((await page.APIRequest.GetAsync(new Uri(Base, "/api/cases").ToString())).Status, Is.EqualTo(200));
        NothingPersonalIn(urls, subject, board.Email);
        await page.Context.CloseAsync();

        // Second sign-in: the subject finds the account, whatever address the provider now gives (none known here).
        var otherAddress = $"nieuw-{Guid.NewGuid():N}@elders.example";
        (page, urls) = await SignInWith(_surf, new TestIdpUser(subject, otherAddress, true, null, "mfa"));
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/portaal/taken"));
        Assert.That((await Me(page)).GetProperty("id").GetString(), Is.EqualTo(board.Id));
        Assert.That(await Logins(board.Id), Is.EqualTo(1), "no second link");
        NothingPersonalIn(urls, subject, otherAddress);
        await page.Context.CloseAsync();

        // The audit trail: the administrator's creation, then the link once, each sign-in; the account and its role, not the
        // subject or the address.
        Assert.That(await AuditActions(board.Id), Is.EqualTo(new[]
        {
            "False Administrator account.created:Board", "True Board account.login_linked:surfconext", "True Board account.signed_in:surfconext", "True Board account.signed_in:surfconext",
        }));
    }

    [Test]
    public async Task UnknownIdentity_NoAccountWithItsAddress_RefusedAndNothingCreated()
    {
        var users = await Count("SELECT count(*) FROM \"AspNetUsers\"");
        var logins = await Count("SELECT count(*) FROM \"AspNetUserLogins\"");
        var audit = await Count("SELECT count(*) FROM audit_entries");
        var subject = NewSubject();
        var address = $"onbekend-{Guid.NewGuid():N}@test.casehandling.nl";

        var (page, urls) = await SignInWith(_surf, new TestIdpUser(subject, address, true, null, "mfa"));
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/aanmelden/extern"));
        Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Is.EqualTo("SURFconext heeft u herkend, maar er is hier geen account voor u."));
        Assert.That(await page.Locator("#sign-in-advice").InnerTextAsync(), Does.Contain("Vraag de beheerder om een account"));
        await Chromium.Screenshot(page, "sign-in-federated-refused.png");
        await NoSeriousAxeViolations(page, "refused");
        Assert.That(await Count("SELECT count(*) FROM \"AspNetUsers\""), Is.EqualTo(users), "no account made");
        Assert.That(await Count("SELECT count(*) FROM \"AspNetUserLogins\""), Is.EqualTo(logins), "nothing linked");
        Assert.That(await Count("SELECT count(*) FROM audit_entries"), Is.EqualTo(audit), "no sign-in recorded");
        Assert.That((await page.APIRequest.GetAsync(new Uri(Base, "/api/auth/me").ToString())).Status, Is.EqualTo(401), "not signed in");
        NothingPersonalIn(urls, subject, address);
        await page.Context.CloseAsync();

        // In English too.
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Base.ToString() });
        var en = await context.NewPageAsync();
        _surf.User = new TestIdpUser(NewSubject(), address, true, null, "mfa");
        await en.GotoAsync("/aanmelden?lang=en");
        await en.GetByRole(AriaRole.Link, new() { Name = "Sign in with SURFconext" }).ClickAsync();
        await en.Locator("#sign-in-problem").WaitForAsync();
        Assert.That(await en.Locator("#sign-in-problem").InnerTextAsync(), Is.EqualTo("SURFconext recognised you, but there is no account for you here."));
        await context.CloseAsync();
    }

    [Test]
    public async Task UnverifiedAddress_OfAnExistingAccount_LinksNothing()
    {
        var staff = await Account(StaffRole.StaffMember);
        var (page, _) = await SignInWith(_surf, new TestIdpUser(NewSubject(), staff.Email, EmailVerified: false, null, "mfa"));
        Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Does.Contain("geen account"));
        Assert.That(await Logins(staff.Id), Is.Zero);
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task SecondFactor_MissingWhereRequired_Refused_ShownByAmrOrAcr_Accepted()
    {
        var inspector = await Account(StaffRole.Vertrouwensinspecteur);
        var subject = NewSubject();

        // A password alone at the provider: refused before anything is linked.
        var (page, _) = await SignInWith(_inspectie, new TestIdpUser(subject, inspector.Email, true, null, "pwd"),
            "Aanmelden met Inspectie van het Onderwijs");
        Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Does.Contain("tweede factor").And.Contain("Inspectie van het Onderwijs"));
        Assert.That(_inspectie.LastAcrValues, Is.EqualTo(MfaAcr), "the app asked the provider for a second factor");
        Assert.That(await Logins(inspector.Id), Is.Zero, "not linked without the second factor");
        Assert.That((await page.APIRequest.GetAsync(new Uri(Base, "/api/auth/me").ToString())).Status, Is.EqualTo(401));
        await page.Context.CloseAsync();

        // The configured acr value: accepted, and the inspector lands on their own first page.
        (page, _) = await SignInWith(_inspectie, new TestIdpUser(subject, inspector.Email, true, MfaAcr, "pwd"), "Aanmelden met Inspectie van het Onderwijs");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/portaal/overleggen"));
        Assert.That((await Me(page)).GetProperty("signedInWithTwoFactor").GetBoolean(), Is.True);
        await page.Context.CloseAsync();

        // amr "mfa" (RFC 8176): accepted as well, now by the linked subject.
        (page, _) = await SignInWith(_inspectie, new TestIdpUser(subject, null, null, null, "pwd", "mfa"), "Aanmelden met Inspectie van het Onderwijs");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/portaal/overleggen"));
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task DisabledAccount_Refused_AlsoWhenLinked()
    {
        var handler = await Account(StaffRole.MeldpuntHandler);
        var subject = NewSubject();
        var (page, _) = await SignInWith(_surf, new TestIdpUser(subject, handler.Email, true, null, "mfa"));
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/portaal/meldingen"));
        await page.Context.CloseAsync();

        Assert.That((await _admin.Post($"/api/admin/users/{handler.Id}/disable", new { })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        (page, _) = await SignInWith(_surf, new TestIdpUser(subject, handler.Email, true, null, "mfa"));
        Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Is.EqualTo("Uw account is door de beheerder uitgeschakeld."));
        Assert.That((await page.APIRequest.GetAsync(new Uri(Base, "/api/auth/me").ToString())).Status, Is.EqualTo(401));
        await page.Context.CloseAsync();

        // Disabled before its first federated sign-in: refused, and not linked either.
        var other = await Account(StaffRole.Board);
        Assert.That((await _admin.Post($"/api/admin/users/{other.Id}/disable", new { })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        (page, _) = await SignInWith(_surf, new TestIdpUser(NewSubject(), other.Email, true, null, "mfa"));
        Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Is.EqualTo("Uw account is door de beheerder uitgeschakeld."));
        Assert.That(await Logins(other.Id), Is.Zero);
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task SignInPage_AButtonPerProvider_InDutchAndEnglish()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Base.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/aanmelden?ReturnUrl=%2Fportaal%2Fzaken");
        var buttons = page.Locator(".providers a.button");
        Assert.That(await buttons.AllInnerTextsAsync(), Is.EqualTo(new[] { "Aanmelden met Inspectie van het Onderwijs", "Aanmelden met SURFconext" }));
        Assert.That(await buttons.Last.GetAttributeAsync("href"), Is.EqualTo("/aanmelden/extern/surfconext?returnUrl=%2Fportaal%2Fzaken"));
        // The password form is still there, for local accounts.
        Assert.That(await page.GetByLabel("E-mailadres").CountAsync(), Is.EqualTo(1));
        await Chromium.Screenshot(page, "sign-in-federated.png");
        await NoSeriousAxeViolations(page, "sign-in with providers");

        await page.GotoAsync("/aanmelden?lang=en");
        Assert.That(await page.Locator(".providers a.button").AllInnerTextsAsync(), Is.EqualTo(new[] { "Sign in with Inspectie van het Onderwijs", "Sign in with SURFconext" }));
        Assert.That(await page.Locator("#providers-title").InnerTextAsync(), Is.EqualTo("Sign in through your organisation"));
        await context.CloseAsync();
    }

    private static async Task NoSeriousAxeViolations(IPage page, string what)
    {
        var result = await Chromium.Axe(page);
        var problems = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{what}: {v.Id} {v.Help}").ToList();
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    /// <summary>
    /// The session's check against its account (every minute) rebuilds its claims from the account; the provider's second
    /// factor (amr=mfa) must survive it, or Security:RequireTwoFactor's policies would refuse the person a minute later.
    /// </summary>
    [Test]
    public async Task SecondFactorSession_AfterTheMinutelyAccountCheck_KeepsItsAccess()
    {
        var board = await Account(StaffRole.Board);
        var (page, _) = await SignInWith(_surf, new TestIdpUser(NewSubject(), board.Email, true, null, "mfa"));
        Assert.That((await page.APIRequest.GetAsync(new Uri(Base, "/api/cases").ToString())).Status, Is.EqualTo(200));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await page.APIRequest.GetAsync(new Uri(Base, "/api/cases").ToString())).Status, Is.EqualTo(200), "after the account check");
        Assert.That((await Me(page)).GetProperty("signedInWithTwoFactor").GetBoolean(), Is.True);
        await page.GotoAsync("/portaal/zaken");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/portaal/zaken"));
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task ReturnUrl_KeptThroughTheProvider()
    {
        var board = await Account(StaffRole.Board);
        _surf.User = new TestIdpUser(NewSubject(), board.Email, true, null, "mfa");
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Base.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/portaal/zaken");
        Assert.That(new Uri(page.Url).PathAndQuery, Does.StartWith("/aanmelden?ReturnUrl=%2Fportaal%2Fzaken"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Aanmelden met SURFconext" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/portaal/zaken");
        Assert.That(await page.Locator("h1").InnerTextAsync(), Is.Not.Empty);
        await context.CloseAsync();
    }
}
