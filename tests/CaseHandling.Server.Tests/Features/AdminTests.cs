using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// The administrator's commands through the API: an institution's contact address; disabling, enabling and unlocking an
/// account; resetting its two-factor enrolment. Real PostgreSQL, real Identity.
/// </summary>
public sealed class AdminTests
{
    /// <summary>A host whose clock the tests move, so that the minute-by-minute session check can be seen to strike.</summary>
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);

    private static Task<TestHost> ClockHost() =>
        TestHost.Get("admin-clock", services: s => s.AddSingleton<TimeProvider>(Clock));

    private static async Task<(TestHost Host, HttpClient Admin)> Admin()
    {
        var host = await TestHost.Get("admin");
        return (host, await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword));
    }

    private static async Task<UserView> NewAccount(HttpClient admin, StaffRole role = StaffRole.Vertrouwensinspecteur, Guid? institution = null)
    {
        var email = $"account-{Guid.NewGuid():N}"[..24] + "@test.casehandling.nl";
        return await (await admin.Post("/api/admin/users", new CreateUser(email, "Iemand", World.Password, role, institution))).Read<UserView>(HttpStatusCode.Created);
    }

    private static Task<HttpResponseMessage> Put(HttpClient c, string url, object body) =>
        c.SendAsync(new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) });

    private static async Task<UserView> Account(HttpClient admin, string id) =>
        (await admin.GetJson<List<UserView>>("/api/admin/users")).Single(u => u.Id == id);

    private static Task<HttpResponseMessage> Login(TestHost host, string email, string password = World.Password, string? code = null) =>
        host.CreateClient().Post("/api/auth/login", new { email, password, twoFactorCode = code });

    [Test]
    public async Task UpdateInstitutionContact_PlausibleAddress_ChangedAndListed()
    {
        var (_, admin) = await Admin();
        var inst = await World.Institution(admin, $"School {Guid.NewGuid():N}"[..20], Sector.Vo);
        var changed = await (await Put(admin, $"/api/admin/institutions/{inst.Id}", new { contactEmail = " nieuw-bestuur@example.org " })).Read<InstitutionView>();
        Assert.That(changed.ContactEmail, Is.EqualTo("nieuw-bestuur@example.org"), "trimmed");
        Assert.That(changed.Name, Is.EqualTo(inst.Name));
        var listed = (await admin.GetJson<List<InstitutionView>>("/api/admin/institutions")).Single(i => i.Id == inst.Id);
        Assert.That(listed.ContactEmail, Is.EqualTo("nieuw-bestuur@example.org"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("geen-adres")]
    [TestCase("bestuur@localhost")]
    [TestCase("twee woorden@example.org")]
    [TestCase("Bestuur <bestuur@example.org>")]
    [TestCase("a@example.org, b@example.org")]
    public async Task UpdateInstitutionContact_MissingOrImplausible_400NamingTheField_Unchanged(string? address)
    {
        var (_, admin) = await Admin();
        var inst = await World.Institution(admin, $"School {Guid.NewGuid():N}"[..20], Sector.Po);
        var problem = await (await Put(admin, $"/api/admin/institutions/{inst.Id}", new { contactEmail = address })).Problem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("contactEmail", out _), Is.True, problem.ToString());
        var listed = (await admin.GetJson<List<InstitutionView>>("/api/admin/institutions")).Single(i => i.Id == inst.Id);
        Assert.That(listed.ContactEmail, Is.EqualTo(World.BoardEmail));
    }

    [Test]
    public async Task UpdateInstitutionContact_UnknownInstitution_404()
    {
        var (_, admin) = await Admin();
        var response = await Put(admin, $"/api/admin/institutions/{Guid.NewGuid()}", new { contactEmail = "bestuur@example.org" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task CreateInstitution_ImplausibleContact_400()
    {
        var (_, admin) = await Admin();
        var problem = await (await admin.Post("/api/admin/institutions", new CreateInstitution("School", Sector.Vo, "bestuur@localhost"))).Problem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("contactEmail", out _), Is.True);
    }

    [Test]
    public async Task ListUsers_ShowsInstitutionNameAndState()
    {
        var (_, admin) = await Admin();
        var inst = await World.Institution(admin, $"School {Guid.NewGuid():N}"[..20], Sector.Ho);
        var board = await NewAccount(admin, StaffRole.Board, inst.Id);
        var listed = await Account(admin, board.Id);
        // LinkedProviders is a list (compared by reference in a record's equality): compared on its own.
        Assert.That(listed with { LinkedProviders = null }, Is.EqualTo(board with { InstitutionName = inst.Name, LinkedProviders = null }));
        Assert.That(listed.LinkedProviders, Is.Empty, "no federated identity linked");
        Assert.That((listed.Disabled, listed.LockedOut, listed.TwoFactorEnabled), Is.EqualTo((false, false, false)));
    }

    [Test]
    public async Task DisableAccount_CannotSignIn_OpenSessionEndsWithinAMinute_EnableLetsItBackIn()
    {
        var host = await ClockHost();
        var admin = await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword);
        var account = await NewAccount(admin);
        // A browser's session: the sign-in cookie.
        var session = host.CreateClient();
        (await session.Post("/api/auth/login?useCookies=true", new { email = account.Email, password = World.Password })).EnsureSuccessStatusCode();
        Assert.That((await session.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var disabled = await (await admin.PostAsync($"/api/admin/users/{account.Id}/disable", null)).Read<UserView>();
        Assert.That(disabled.Disabled, Is.True);
        Assert.That((await Account(admin, account.Id)).Disabled, Is.True);

        // The right password is answered as a wrong one: the sign-in does not tell whether an account exists or is disabled.
        var refused = await (await Login(host, account.Email)).Problem(HttpStatusCode.Unauthorized);
        Assert.That(refused.GetProperty("type").GetString(), Is.EqualTo("urn:casehandling:error:sign_in_failed"));
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await session.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the open session has ended");

        var enabled = await (await admin.PostAsync($"/api/admin/users/{account.Id}/enable", null)).Read<UserView>();
        Assert.That(enabled.Disabled, Is.False);
        Assert.That((await Login(host, account.Email)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task DisableAccount_OwnAccount_Refused_StillEnabled()
    {
        var (_, admin) = await Admin();
        var me = await (await admin.GetAsync("/api/auth/me")).Read<JsonElement>();
        var id = me.GetProperty("id").GetString()!;
        var response = await admin.PostAsync($"/api/admin/users/{id}/disable", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Account(admin, id)).Disabled, Is.False);
        Assert.That((await admin.GetAsync("/api/admin/users")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "still signed in");
    }

    [TestCase("disable")]
    [TestCase("enable")]
    [TestCase("unlock")]
    [TestCase("reset-two-factor")]
    public async Task AccountChange_UnknownAccount_404(string change)
    {
        var (_, admin) = await Admin();
        Assert.That((await admin.PostAsync($"/api/admin/users/{Guid.NewGuid()}/{change}", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task UnlockAccount_LockedAfterFailedAttempts_CanSignInAgainAtOnce()
    {
        var (host, admin) = await Admin();
        var account = await NewAccount(admin);
        for (var i = 0; i < 5; i++) await Login(host, account.Email, "Verkeerd-wachtwoord-1");
        var locked = await (await Login(host, account.Email)).Problem(HttpStatusCode.Unauthorized);
        Assert.That(locked.GetProperty("type").GetString(), Is.EqualTo("urn:casehandling:error:locked_out"));
        Assert.That((await Account(admin, account.Id)).LockedOut, Is.True);

        var unlocked = await (await admin.PostAsync($"/api/admin/users/{account.Id}/unlock", null)).Read<UserView>();
        Assert.That(unlocked.LockedOut, Is.False);
        Assert.That((await Login(host, account.Email)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UnlockAccount_DisabledAccount_StaysDisabled()
    {
        var (host, admin) = await Admin();
        var account = await NewAccount(admin);
        await (await admin.PostAsync($"/api/admin/users/{account.Id}/disable", null)).Read<UserView>();
        var after = await (await admin.PostAsync($"/api/admin/users/{account.Id}/unlock", null)).Read<UserView>();
        Assert.That(after.Disabled, Is.True);
        Assert.That((await Login(host, account.Email)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ResetTwoFactor_EnrolledAccount_OffNewKeyNoRecoveryCodes_SignsInWithPasswordAndEnrolsAgain()
    {
        var (host, admin) = await Admin();
        var account = await NewAccount(admin);
        var client = await World.SignIn(host, account.Email, World.Password);
        var key = (await (await client.Post("/api/auth/2fa/setup", new { })).Read<JsonElement>()).GetProperty("sharedKey").GetString()!;
        Assert.That((await client.Post("/api/auth/2fa/enable", new { code = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) })).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(account.Id))!, 10);
        }
        Assert.That((await Account(admin, account.Id)).TwoFactorEnabled, Is.True);
        Assert.That((await (await Login(host, account.Email)).Problem(HttpStatusCode.Unauthorized)).GetProperty("type").GetString(),
            Is.EqualTo("urn:casehandling:error:two_factor_required"));

        var reset = await (await admin.PostAsync($"/api/admin/users/{account.Id}/reset-two-factor", null)).Read<UserView>();
        Assert.That(reset.TwoFactorEnabled, Is.False);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByIdAsync(account.Id))!;
            Assert.That(await users.CountRecoveryCodesAsync(user), Is.Zero, "the old recovery codes are gone");
            Assert.That(await users.GetAuthenticatorKeyAsync(user), Is.Not.EqualTo(key), "the old app's codes no longer fit");
        }
        // The password alone signs in now; the person enrols again.
        var again = await World.SignIn(host, account.Email, World.Password);
        var setup = await (await again.Post("/api/auth/2fa/setup", new { })).Read<JsonElement>();
        Assert.That(setup.GetProperty("enabled").GetBoolean(), Is.False);
    }
}
