using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseHandling.Data;
using CaseHandling.Server.Infrastructure.Security;
using CaseHandling.Server.Tests.Infrastructure;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace CaseHandling.Server.Tests.Browser;

/// <summary>
/// The staff member's own account in real Chromium: TOTP enrolment and sign-in with the code or a recovery code (each
/// good once), sign-out, forgotten password by mail, change of password, lockout, Security:RequireTwoFactor sending
/// people to enrol, the session's idle and absolute limits, anti-forgery on every form, and accessibility in both
/// languages. Every test makes its own account: the shared administrator is signed in with by other tests at the same time.
/// </summary>
public sealed class AccountPagesTests
{
    private const string Password = World.Password;
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

    private async Task<(IBrowserContext Context, IPage Page)> NewPage(bool javaScript = true, Uri? baseAddress = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, BaseURL = (baseAddress ?? Base).ToString() });
        return (context, await context.NewPageAsync());
    }

    /// <summary>A fresh account with no role, made through Identity as the administrator would.</summary>
    private static async Task<string> NewAccount(TestHost host, string who = "account")
    {
        var email = $"{who}-{Guid.NewGuid():N}"[..30] + "@test.casehandling.nl";
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var created = await users.CreateAsync(new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Account " + who }, Password);
        Assert.That(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        return email;
    }

    private static async Task SignIn(IPage page, string email, string password, string? code = null)
    {
        await page.GotoAsync("/aanmelden?lang=nl"); // Dutch labels, whatever language the portal remembers
        await page.GetByLabel("E-mailadres").FillAsync(email);
        await page.GetByLabel("Wachtwoord").FillAsync(password);
        if (code is not null) await page.GetByLabel("Code uit uw authenticator-app").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
    }

    private static string PathOf(IPage page) => new Uri(page.Url).AbsolutePath;

    private static async Task<bool> HasSignInCookie(IBrowserContext context) =>
        (await context.CookiesAsync()).Any(c => c.Name == ".AspNetCore.Identity.Application");

    /// <summary>Enrols the signed-in page's account; returns the key (as read from the page) and the recovery codes.</summary>
    private static async Task<(string Key, IReadOnlyList<string> Codes)> Enrol(IPage page)
    {
        var key = (await page.Locator("#key").InnerTextAsync()).Replace(" ", "");
        await page.GetByLabel("Vul de code van 6 cijfers in die de app nu toont.").FillAsync(Totp(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Tweestapsverificatie aanzetten" }).ClickAsync();
        return (key, await page.Locator(".recovery-codes li").AllInnerTextsAsync());
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Enrolment_QrKeyAndCode_ThenSignInWithCodeOrRecoveryCode_EachRecoveryCodeOnce(bool javaScript)
    {
        var email = await NewAccount(_host, "totp");
        var (context, page) = await NewPage(javaScript);
        await SignIn(page, email, Password);
        await page.GotoAsync("/account");
        Assert.That(await page.Locator("#two-factor-state").InnerTextAsync(), Does.StartWith("Staat uit"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Tweestapsverificatie instellen" }).ClickAsync();

        Assert.That(PathOf(page), Is.EqualTo("/account/tweestapsverificatie"));
        Assert.That(await page.Locator(".qr[role=img] svg path").CountAsync(), Is.EqualTo(1), "the QR code, drawn inline");
        Assert.That(await page.Locator(".qr").GetAttributeAsync("aria-label"), Does.Contain("QR-code"));
        var grouped = await page.Locator("#key").InnerTextAsync();
        Assert.That(grouped, Does.Match("^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$"), "the key in groups of four");
        if (!javaScript) await Chromium.Screenshot(page, "account-enrolment.png");

        // A wrong code: said at the field and in the summary, and two-factor stays off.
        await page.GetByLabel("Vul de code van 6 cijfers in die de app nu toont.").FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tweestapsverificatie aanzetten" }).ClickAsync();
        Assert.That(await page.Locator("#code-error").InnerTextAsync(), Does.Contain("klopt niet"));
        Assert.That(await page.Locator(".summary a[href='#code']").CountAsync(), Is.EqualTo(1));
        Assert.That(await page.Locator("#code").GetAttributeAsync("aria-describedby"), Is.EqualTo("code-hint code-error"));

        var (key, codes) = await Enrol(page);
        Assert.That(key, Is.EqualTo(grouped.Replace(" ", "")), "the same key after a wrong code");
        Assert.That(await page.Locator("#two-factor-done").InnerTextAsync(), Is.EqualTo("Tweestapsverificatie staat aan."));
        Assert.That(codes, Has.Count.EqualTo(10).And.Unique);
        Assert.That(await page.Locator("main").InnerTextAsync(), Does.Contain("alleen nu"), "advice to store them, seen once");
        await page.GetByRole(AriaRole.Link, new() { Name = "Verder naar mijn account" }).ClickAsync();
        Assert.That(await page.Locator("#two-factor-state").InnerTextAsync(), Does.StartWith("Staat aan"));
        Assert.That(await page.Locator("main").InnerTextAsync(), Does.Contain(email));
        if (!javaScript) await Chromium.Screenshot(page, "account.png");

        // Sign out from the header: a post, after which the account page wants a sign-in again.
        await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "Afmelden" }).ClickAsync();
        Assert.That(await page.Locator("#signed-out").InnerTextAsync(), Is.EqualTo("U bent afgemeld."));
        Assert.That(await HasSignInCookie(context), Is.False);
        await page.GotoAsync("/account");
        Assert.That(new Uri(page.Url).PathAndQuery, Is.EqualTo("/aanmelden?ReturnUrl=%2Faccount"));

        // The password alone is no longer enough; with the code (the app's next one) it is.
        await SignIn(page, email, Password);
        Assert.That(await page.Locator("#code-error").InnerTextAsync(), Is.EqualTo("Vul de code uit uw authenticator-app in."));
        Assert.That(await HasSignInCookie(context), Is.False);
        await SignIn(page, email, Password, Totp(key, DateTimeOffset.UtcNow.AddSeconds(30)));
        Assert.That(await HasSignInCookie(context), Is.True);
        await page.GotoAsync("/account");
        Assert.That(PathOf(page), Is.EqualTo("/account"));
        await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "Afmelden" }).ClickAsync();

        // Phone lost: a recovery code instead, from the sign-in page's link; to the account page afterwards.
        await page.GotoAsync("/aanmelden");
        await page.GetByRole(AriaRole.Link, new() { Name = "Telefoon kwijt? Meld u aan met een herstelcode." }).ClickAsync();
        Assert.That(codes, Is.All.Match("^[A-Z0-9]{5}-[A-Z0-9]{5}$"));
        await RecoverySignIn(page, email, codes[0].ToLowerInvariant()); // as someone may type it
        Assert.That(PathOf(page), Is.EqualTo("/account"));
        Assert.That(await HasSignInCookie(context), Is.True);
        await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "Afmelden" }).ClickAsync();

        // The same recovery code a second time: refused.
        await page.GotoAsync("/aanmelden/herstelcode");
        await RecoverySignIn(page, email, codes[0]);
        Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Does.Contain("herstelcode klopt niet"));
        Assert.That(await page.GetByLabel("Herstelcode").InputValueAsync(), Is.Empty, "the code is not sent back");
        Assert.That(await HasSignInCookie(context), Is.False);
        await context.CloseAsync();
    }

    private static async Task RecoverySignIn(IPage page, string email, string code)
    {
        await page.GetByLabel("E-mailadres").FillAsync(email);
        await page.GetByLabel("Wachtwoord").FillAsync(Password);
        await page.GetByLabel("Herstelcode").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aanmelden" }).ClickAsync();
    }

    [Test]
    public async Task ForgottenPassword_SameAnswerForAnyAddress_MailedLinkSetsANewPasswordOnce()
    {
        await using var jobs = await JobHost.Start("account-mail", DateTimeOffset.UtcNow, kestrel: true);
        var email = await NewAccount(jobs.Host, "vergeten");
        var unknown = $"niemand-{Guid.NewGuid():N}@test.casehandling.nl";
        var (context, page) = await NewPage(baseAddress: jobs.Host.KestrelAddress);

        async Task<string> Ask(string address)
        {
            await page.GotoAsync("/aanmelden");
            await page.GetByRole(AriaRole.Link, new() { Name = "Wachtwoord vergeten?" }).ClickAsync();
            await page.GetByLabel("E-mailadres").FillAsync(address);
            await page.GetByRole(AriaRole.Button, new() { Name = "Stuur de link" }).ClickAsync();
            return await page.Locator("main").InnerTextAsync();
        }
        var forUnknown = await Ask(unknown);
        var forKnown = await Ask(email);
        Assert.That(forKnown, Does.Contain("Als er een account bij dit e-mailadres hoort"));
        Assert.That(forUnknown, Is.EqualTo(forKnown), "the answer tells nobody whether the address has an account");
        Assert.That(await jobs.Scalar<long>("SELECT count(*) FROM outbox_messages WHERE kind = 'PasswordReset' AND to_address = @a", ("a", email)), Is.EqualTo(1));
        Assert.That(await jobs.Scalar<long>("SELECT count(*) FROM outbox_messages WHERE to_address = @a", ("a", unknown)), Is.Zero);

        Assert.That(await jobs.Deliver(), Is.EqualTo("Succeeded"));
        var mail = await MailTo(jobs, email);
        var body = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(mail.Data))).TextBody ?? "";
        var link = new Uri(Regex.Match(body, @"https?://\S+").Value);
        Assert.That(link.AbsolutePath, Is.EqualTo("/wachtwoord-herstellen"));
        Assert.That(body, Does.Not.Contain(email), "the mail carries the link, not the address");
        var token = Uri.UnescapeDataString(Regex.Match(link.Query, "token=([^&]+)").Groups[1].Value);

        // Identity's rules, said at the field; then a mismatch; then a good password.
        await page.GotoAsync(link.PathAndQuery);
        await page.GetByLabel("Nieuw wachtwoord").FillAsync("kort");
        await page.GetByLabel("Herhaal het nieuwe wachtwoord").FillAsync("kort");
        await page.GetByRole(AriaRole.Button, new() { Name = "Wachtwoord instellen" }).ClickAsync();
        Assert.That(await page.Locator("#newPassword-error").InnerTextAsync(), Does.Contain("minstens 10 tekens").And.Contain("hoofdletter"));
        Assert.That(await page.Locator(".summary a[href='#newPassword']").CountAsync(), Is.EqualTo(1));
        const string newPassword = "Nieuw-wachtwoord-2026";
        await page.GetByLabel("Nieuw wachtwoord").FillAsync(newPassword);
        await page.GetByLabel("Herhaal het nieuwe wachtwoord").FillAsync(newPassword + "x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Wachtwoord instellen" }).ClickAsync();
        Assert.That(await page.Locator("#confirmPassword-error").InnerTextAsync(), Is.EqualTo("De twee wachtwoorden zijn niet gelijk."));
        await page.GetByLabel("Nieuw wachtwoord").FillAsync(newPassword);
        await page.GetByLabel("Herhaal het nieuwe wachtwoord").FillAsync(newPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Wachtwoord instellen" }).ClickAsync();
        Assert.That(await page.Locator("#reset-done").InnerTextAsync(), Does.Contain("ingesteld"));

        // The link works once; the old password no longer, the new one does.
        await page.GotoAsync(link.PathAndQuery);
        Assert.That(await page.Locator("#reset-invalid").InnerTextAsync(), Does.Contain("werkt niet"));
        await SignIn(page, email, Password);
        Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Does.Contain("klopt niet"));
        await SignIn(page, email, newPassword);
        Assert.That(await HasSignInCookie(context), Is.True);

        // Neither the address nor the token is in the logs.
        Assert.That(jobs.Host.Logs.Lines.Where(l => l.Contains(email, StringComparison.OrdinalIgnoreCase) || l.Contains(token) || l.Contains(Uri.EscapeDataString(token))), Is.Empty);
        await context.CloseAsync();
    }

    private static async Task<netDumbster.smtp.SmtpMessage> MailTo(JobHost jobs, string address)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (jobs.Mails.FirstOrDefault(m => m.ToAddresses.Any(a => a.Address.Equals(address, StringComparison.OrdinalIgnoreCase))) is { } mail) return mail;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no mail to {address}");
    }

    [Test]
    public async Task ChangePassword_CurrentFirst_RulesAtTheField_ThenTheNewOneSignsIn()
    {
        var email = await NewAccount(_host, "wijzig");
        var (context, page) = await NewPage(javaScript: false);
        await SignIn(page, email, Password);
        await page.GotoAsync("/account");
        await page.GetByRole(AriaRole.Link, new() { Name = "Wachtwoord wijzigen" }).ClickAsync();
        const string newPassword = "Ander-wachtwoord-2026";

        async Task Change(string current, string next, string repeat)
        {
            await page.GetByLabel("Huidig wachtwoord").FillAsync(current);
            await page.GetByLabel("Nieuw wachtwoord", new() { Exact = true }).FillAsync(next);
            await page.GetByLabel("Herhaal het nieuwe wachtwoord").FillAsync(repeat);
            await page.GetByRole(AriaRole.Button, new() { Name = "Wachtwoord wijzigen" }).ClickAsync();
        }
        await Change("niet-het-wachtwoord", newPassword, newPassword);
        Assert.That(await page.Locator("#currentPassword-error").InnerTextAsync(), Is.EqualTo("Dit is niet uw huidige wachtwoord."));
        Assert.That(await page.GetByLabel("Huidig wachtwoord").InputValueAsync(), Is.Empty, "passwords are never sent back");
        await Change(Password, "alleenkleineletters", "alleenkleineletters");
        Assert.That(await page.Locator("#newPassword-error").InnerTextAsync(), Does.Contain("hoofdletter").And.Contain("cijfer"));
        Assert.That(await page.Locator(".summary a[href='#newPassword']").CountAsync(), Is.EqualTo(1));
        await Change(Password, newPassword, newPassword);
        Assert.That(await page.Locator("#password-changed").InnerTextAsync(), Is.EqualTo("Uw wachtwoord is gewijzigd."));
        await page.GotoAsync("/account");
        Assert.That(PathOf(page), Is.EqualTo("/account"), "this session goes on after the change");

        var (other, second) = await NewPage(javaScript: false);
        await SignIn(second, email, Password);
        Assert.That(await second.Locator("#sign-in-problem").InnerTextAsync(), Does.Contain("klopt niet"));
        await SignIn(second, email, newPassword);
        Assert.That(await HasSignInCookie(other), Is.True);
        await other.CloseAsync();
        await context.CloseAsync();
    }

    [Test]
    public async Task Lockout_TooManyWrongPasswords_SaidOnThePage_EvenTheRightPasswordThen()
    {
        var email = await NewAccount(_host, "blokkade");
        var (context, page) = await NewPage(javaScript: false);
        for (var i = 0; i < 4; i++)
        {
            await SignIn(page, email, "niet-het-wachtwoord-" + i);
            Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Does.Contain("klopt niet"));
        }
        await SignIn(page, email, "niet-het-wachtwoord-5");
        Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Does.Contain("geblokkeerd"));
        await SignIn(page, email, Password);
        Assert.That(await page.Locator("#sign-in-problem").InnerTextAsync(), Is.EqualTo(
            "Er is te vaak een verkeerd wachtwoord gegeven. Uw account is 15 minuten geblokkeerd; probeer het daarna opnieuw."));
        Assert.That(await HasSignInCookie(context), Is.False);
        await context.CloseAsync();
    }

    [Test]
    public async Task RequireTwoFactor_AccountWithoutTotp_SentToEnrolFromStaffPages_UntilEnrolled()
    {
        var host = await TestHost.Get("account-require-2fa", new() { ["Security:RequireTwoFactor"] = "true" }, kestrel: true);
        var email = await NewAccount(host, "verplicht");
        var (context, page) = await NewPage(baseAddress: host.KestrelAddress);
        await SignIn(page, email, Password);
        foreach (var path in new[] { "/account", "/account/wachtwoord-wijzigen" })
        {
            await page.GotoAsync(path);
            Assert.That(PathOf(page), Is.EqualTo("/account/tweestapsverificatie"), path);
        }
        Assert.That(await page.Locator("#two-factor-required").InnerTextAsync(), Does.Contain("verplicht"));
        await page.GotoAsync("/afmelden");
        Assert.That(PathOf(page), Is.EqualTo("/afmelden"), "signing out stays possible");
        await page.GotoAsync("/account/tweestapsverificatie");

        await Enrol(page);
        await page.GotoAsync("/account");
        Assert.That(PathOf(page), Is.EqualTo("/account"));
        Assert.That(await page.Locator("#two-factor-state").InnerTextAsync(), Does.StartWith("Staat aan"));
        // Enrolling counts as a sign-in with two factors, which the role policies ask for under this setting.
        var me = await (await page.APIRequest.GetAsync("/api/auth/me")).JsonAsync();
        Assert.That(me!.Value.GetProperty("signedInWithTwoFactor").GetBoolean(), Is.True);
        await context.CloseAsync();
    }

    /// <summary>
    /// A host whose clock the tests move (the cookie handler reads the container's TimeProvider). One clock with the host:
    /// the tests of this fixture run one after another, and it only moves forward.
    /// </summary>
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);

    private static async Task<(TestHost Host, FakeTimeProvider Clock)> ClockHost()
    {
        var host = await TestHost.Get("account-clock", new() { ["Security:IdleTimeoutMinutes"] = "30", ["Security:AbsoluteSessionHours"] = "1" },
            kestrel: true, services: s => s.AddSingleton<TimeProvider>(Clock));
        return (host, Clock);
    }

    [Test]
    public async Task Session_IdleForLongerThanTheTimeout_SignInAgain()
    {
        var (host, clock) = await ClockHost();
        var email = await NewAccount(host, "stil");
        var (context, page) = await NewPage(javaScript: false, baseAddress: host.KestrelAddress);
        await SignIn(page, email, Password);
        clock.Advance(TimeSpan.FromMinutes(20));
        await page.GotoAsync("/account");
        Assert.That(PathOf(page), Is.EqualTo("/account"), "20 minutes idle: still signed in");
        clock.Advance(TimeSpan.FromMinutes(31));
        await page.GotoAsync("/account");
        Assert.That(PathOf(page), Is.EqualTo("/aanmelden"), "31 minutes idle: signed out");
        await context.CloseAsync();
    }

    [Test]
    public async Task Session_ActiveThroughout_EndsAtTheAbsoluteLimit()
    {
        var (host, clock) = await ClockHost();
        var email = await NewAccount(host, "actief");
        var (context, page) = await NewPage(javaScript: false, baseAddress: host.KestrelAddress);
        await SignIn(page, email, Password);
        // Every 20 minutes a page: the idle timeout (30) never strikes, and the cookie renews each time.
        for (var minutes = 20; minutes <= 60; minutes += 20)
        {
            clock.Advance(TimeSpan.FromMinutes(20));
            await page.GotoAsync("/account");
            Assert.That(PathOf(page), Is.EqualTo("/account"), $"{minutes} minutes after sign-in");
        }
        clock.Advance(TimeSpan.FromMinutes(20));
        await page.GotoAsync("/account");
        Assert.That(PathOf(page), Is.EqualTo("/aanmelden"), "80 minutes after sign-in, past the hour's limit, however active");
        Assert.That(await HasSignInCookie(context), Is.False, "the rejected cookie is removed");
        await context.CloseAsync();
    }

    [Test]
    public void SessionLimits_AbsoluteLimit_CountsFromSignIn()
    {
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var limit = TimeSpan.FromHours(8);
        Assert.Multiple(() =>
        {
            Assert.That(SessionLimits.IsPastAbsoluteLimit(start, start.AddHours(8), limit), Is.False);
            Assert.That(SessionLimits.IsPastAbsoluteLimit(start, start.AddHours(8).AddSeconds(1), limit), Is.True);
            Assert.That(SessionLimits.IsPastAbsoluteLimit(null, start, limit), Is.True, "a session of unknown age is over");
        });
        // The start survives renewals: it is read from the ticket's own property, not from IssuedUtc (which renewal resets).
        var props = new Microsoft.AspNetCore.Authentication.AuthenticationProperties { IssuedUtc = start.AddHours(7) };
        props.Items[SessionLimits.SignedInAtKey] = start.ToString("O");
        Assert.That(SessionLimits.SignedInAt(props), Is.EqualTo(start));
    }

    [Test]
    public async Task Forms_PostedWithoutTheirAntiForgeryToken_ChangeNothing()
    {
        var email = await NewAccount(_host, "csrf");
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = Base };
        var login = await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email, password = Password });
        Assert.That(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync());

        async Task<HttpStatusCode> Post(string path, Dictionary<string, string> form) =>
            (await client.PostAsync(path, new FormUrlEncodedContent(form))).StatusCode;
        Assert.That(await Post("/account/wachtwoord-wijzigen", new() { ["currentPassword"] = Password, ["newPassword"] = "Gekaapt-wachtwoord-2026", ["confirmPassword"] = "Gekaapt-wachtwoord-2026" }),
            Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Post("/account/tweestapsverificatie", new() { ["code"] = "123456" }), Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Post("/afmelden", new()), Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Post("/wachtwoord-vergeten", new() { ["email"] = email }), Is.EqualTo(HttpStatusCode.BadRequest));

        var me = await (await client.GetAsync("/api/auth/me")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(me.GetProperty("email").GetString(), Is.EqualTo(email), "still signed in");
        Assert.That(me.GetProperty("twoFactorEnabled").GetBoolean(), Is.False);
        var again = await new HttpClient { BaseAddress = Base }.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the password is unchanged");
    }

    [Test]
    public async Task Accessibility_AccountPages_DutchAndEnglish_NoSeriousOrCriticalAxeViolations()
    {
        var email = await NewAccount(_host, "axe");
        // A fresh token each time: setting up the authenticator renews the account's security stamp, which voids older ones.
        async Task<string> ResetLink()
        {
            await using var scope = _host.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            return $"/wachtwoord-herstellen?id={user.Id}&token={Uri.EscapeDataString(await users.GeneratePasswordResetTokenAsync(user))}";
        }
        var (context, page) = await NewPage();
        var problems = new List<string>();
        async Task Check(string what)
        {
            var result = await Chromium.Axe(page);
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}"));
        }
        async Task Submit(string what)
        {
            await page.Locator("main button[type=submit]").First.ClickAsync();
            await Check(what);
        }
        foreach (var lang in new[] { "nl", "en" })
        {
            var q = "?lang=" + lang;
            await page.GotoAsync("/wachtwoord-vergeten" + q); await Check($"forgot {lang}");
            await Submit($"forgot with errors {lang}");
            await page.GotoAsync(await ResetLink() + "&lang=" + lang); await Check($"reset {lang}");
            Assert.That(await page.Locator("#newPassword").CountAsync(), Is.EqualTo(1), "the reset form, not the bad link's message");
            await Submit($"reset with errors {lang}");
            await page.GotoAsync("/wachtwoord-herstellen" + q); await Check($"reset, bad link {lang}");
            await page.GotoAsync("/aanmelden/herstelcode" + q); await Check($"recovery sign-in {lang}");
            await Submit($"recovery sign-in with errors {lang}");
            await page.GotoAsync("/afmelden" + q); await Check($"signed out {lang}");

            await SignIn(page, email, Password);
            await page.GotoAsync("/account" + q); await Check($"account {lang}");
            await page.GotoAsync("/account/tweestapsverificatie" + q); await Check($"enrolment {lang}");
            await Submit($"enrolment with errors {lang}");
            await page.GotoAsync("/account/wachtwoord-wijzigen" + q); await Check($"change password {lang}");
            await Submit($"change password with errors {lang}");
            await page.GotoAsync("/afmelden" + q); await Check($"sign out {lang}");
            await page.Locator("header button").ClickAsync();
        }
        // The English pages are English.
        await page.GotoAsync("/account/tweestapsverificatie?lang=en");
        Assert.That(await page.TitleAsync(), Does.StartWith("Sign in"), "signed out: the English sign-in page");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        await context.CloseAsync();
    }

    /// <summary>RFC 6238 TOTP (SHA-1, 30 s, 6 digits) over a base32 key, as an authenticator app computes it.</summary>
    private static string Totp(string base32Key, DateTimeOffset at)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        int bits = 0, value = 0;
        var key = new List<byte>();
        foreach (var ch in base32Key.TrimEnd('=').ToUpperInvariant())
        {
            value = (value << 5) | alphabet.IndexOf(ch);
            bits += 5;
            if (bits >= 8) { key.Add((byte)(value >> (bits - 8))); bits -= 8; }
        }
        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian) Array.Reverse(counter);
        var hash = HMACSHA1.HashData(key.ToArray(), counter);
        var offset = hash[^1] & 0x0f;
        var code = ((hash[offset] & 0x7f) << 24 | hash[offset + 1] << 16 | hash[offset + 2] << 8 | hash[offset + 3]) % 1_000_000;
        return code.ToString("D6");
    }

}
