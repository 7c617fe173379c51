using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// Every change by anyone is in the audit trail, written in the transaction of the change (docs/AUDIT.md): the
/// administrator's changes to accounts, institutions, settings and keys, a board's registrar, a person's own two-factor
/// enrolment. A failure injected into the record leaves no change behind.
/// </summary>
public sealed class ChangeAuditTests
{
    private static Task<List<string>> Actions(TestHost host, Guid subject) =>
        Sql.Rows(host.ConnectionString, "SELECT action FROM audit_entries WHERE subject_id = @id ORDER BY sequence", ("id", subject));

    [Test]
    public async Task AdministrativeChanges_EachRecordedOnItsSubject()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);

        var institution = await World.Institution(w.Admin, $"Controle {Guid.NewGuid():N}"[..24], Sector.Vo);
        Assert.That(await Actions(host, institution.Id), Is.EqualTo(new[] { "institution.created" }));

        var email = $"audit-{Guid.NewGuid():N}"[..20] + "@test.casehandling.nl";
        var user = await (await w.Admin.Post("/api/admin/users", new CreateUser(email, "Gecontroleerd", World.Password, StaffRole.StaffMember, institution.Id)))
            .Read<UserView>(HttpStatusCode.Created);
        var id = Guid.Parse(user.Id);

        // The person's own enrolment: the key made, then two-factor on.
        var person = await World.SignIn(host, email, World.Password);
        var key = (await (await person.Post("/api/auth/2fa/setup", new { })).Read<JsonElement>()).GetProperty("sharedKey").GetString()!;
        Assert.That((await person.Post("/api/auth/2fa/enable", new { code = "000000" })).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await person.Post("/api/auth/2fa/enable", new { code = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) })).StatusCode,
            Is.EqualTo(HttpStatusCode.NoContent));

        await (await w.Admin.Post($"/api/admin/users/{id}/disable", new { })).Read<UserView>();
        await (await w.Admin.Post($"/api/admin/users/{id}/enable", new { })).Read<UserView>();
        await (await w.Admin.Post($"/api/admin/users/{id}/unlock", new { })).Read<UserView>();
        await (await w.Admin.Post($"/api/admin/users/{id}/reset-two-factor", new { })).Read<UserView>();
        Assert.That(await Actions(host, id), Is.EqualTo(new[]
        {
            "account.created:StaffMember", "account.signed_in:password", "account.authenticator_key_made", "account.two_factor_enabled",
            "account.disabled", "account.enabled", "account.unlocked", "account.two_factor_reset",
        }), "a wrong code changed nothing and recorded nothing");

        // A board authorises its staff member for the incident register, and withdraws it.
        var staffId = (await w.Board.GetJson<List<IncidentRegistrarView>>("/api/incident-registrars")).Single().UserId;
        await (await w.Board.Put($"/api/incident-registrars/{staffId}", new { authorised = true })).Read<IncidentRegistrarView>();
        await (await w.Board.Put($"/api/incident-registrars/{staffId}", new { authorised = false })).Read<IncidentRegistrarView>();
        Assert.That((await Actions(host, Guid.Parse(staffId)))[^2..],
            Is.EqualTo(new[] { "account.incident_registrar_authorised", "account.incident_registrar_withdrawn" }));

        // Settings: the keys that changed, never their values (set to what they are, so that no other test sees a change).
        var settings = await w.Admin.GetJson<SettingsView>("/api/admin/settings");
        var before = (await Actions(host, AuditSubjects.Settings)).Count;
        await (await w.Admin.Put("/api/admin/settings", new { extraHolidays = settings.ExtraHolidays })).Read<SettingsView>();
        Assert.That((await Actions(host, AuditSubjects.Settings)).Skip(before), Is.EqualTo(new[] { "settings.changed:Rules:ExtraHolidays" }));
    }

    /// <summary>
    /// Each attempt to sign in to an account changes it (Identity's count of failed attempts, the lockout; a success
    /// resets them), so each is recorded with it: failed, locked out, signed in. Before the password is proved the actor
    /// is anonymous. An address with no account changes nothing and records nothing.
    /// </summary>
    [Test]
    public async Task SignInAttempts_EachRecordedWithTheCountersChange()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        var email = $"pogingen-{Guid.NewGuid():N}"[..20] + "@test.casehandling.nl";
        var user = await (await w.Admin.Post("/api/admin/users", new CreateUser(email, "Pogingen", World.Password, StaffRole.StaffMember, w.InstitutionId)))
            .Read<UserView>(HttpStatusCode.Created);
        var id = Guid.Parse(user.Id);
        var client = host.CreateClient();
        async Task<HttpStatusCode> Login(string password) => (await client.Post("/api/auth/login", new { email, password })).StatusCode;

        Assert.That(await Login("Fout-wachtwoord-2026"), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Sql.Scalar<int>(host.ConnectionString, "SELECT access_failed_count FROM \"AspNetUsers\" WHERE id = @id", ("id", user.Id)), Is.EqualTo(1));
        Assert.That(await Login(World.Password), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Sql.Scalar<int>(host.ConnectionString, "SELECT access_failed_count FROM \"AspNetUsers\" WHERE id = @id", ("id", user.Id)), Is.Zero, "reset by the success");
        for (var i = 0; i < 5; i++) await Login("Fout-wachtwoord-2026");
        Assert.That(await Login(World.Password), Is.EqualTo(HttpStatusCode.Unauthorized), "locked out after five failures");

        var rows = await Sql.Rows(host.ConnectionString, "SELECT action || ' ' || role FROM audit_entries WHERE subject_id = @id ORDER BY sequence", ("id", id));
        Assert.That(rows, Is.EqualTo(new[]
        {
            "account.created:StaffMember Administrator", "account.sign_in_failed Anonymous", "account.signed_in:password StaffMember",
            "account.sign_in_failed Anonymous", "account.sign_in_failed Anonymous", "account.sign_in_failed Anonymous", "account.sign_in_failed Anonymous",
            "account.sign_in_locked_out Anonymous", "account.sign_in_locked_out Anonymous",
        }));

        var nobody = await (await client.Post("/api/auth/login", new { email = "niemand-" + email, password = "Fout-wachtwoord-2026" })).Content.ReadAsStringAsync();
        Assert.That(nobody, Does.Not.Contain("niemand-"), "the address is not echoed");
        Assert.That(await Sql.Rows(host.ConnectionString, "SELECT action FROM audit_entries WHERE action LIKE 'account.sign_in%' AND subject_id NOT IN (SELECT id::uuid FROM \"AspNetUsers\")"),
            Is.Empty, "no entry for an address without an account");
    }

    /// <summary>
    /// The record fails (a trigger refuses the entry, as a crash between the two statements would end the transaction): the
    /// change made through Identity's stores is gone with it, since both were in one transaction.
    /// </summary>
    [Test]
    public async Task RecordRefused_TheAccountChangeIsGoneWithIt()
    {
        var host = await TestHost.Get("audit-refused");
        var admin = await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword);
        var institution = await World.Institution(admin, "Weigerschool", Sector.Po);
        await Sql.Execute(host.ConnectionString, """
            CREATE FUNCTION refuse_marked_entry() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER refuse_marked_entry BEFORE INSERT ON audit_entries FOR EACH ROW
            WHEN (NEW.action IN ('account.disabled', 'account.created:Board')) EXECUTE FUNCTION refuse_marked_entry();
            """);

        var email = $"geweigerd-{Guid.NewGuid():N}"[..20] + "@test.casehandling.nl";
        var created = await admin.Post("/api/admin/users", new CreateUser(email, "Geweigerd", World.Password, StaffRole.Board, institution.Id));
        Assert.That((int)created.StatusCode, Is.EqualTo(500));
        Assert.That(await Sql.Scalar<long>(host.ConnectionString, "SELECT count(*) FROM \"AspNetUsers\" WHERE email = @e", ("e", email)), Is.Zero,
            "no account without its record");

        var kept = await (await admin.Post("/api/admin/users", new CreateUser("bewaard-" + email, "Bewaard", World.Password, StaffRole.StaffMember, institution.Id)))
            .Read<UserView>(HttpStatusCode.Created);
        Assert.That((int)(await admin.Post($"/api/admin/users/{kept.Id}/disable", new { })).StatusCode, Is.EqualTo(500));
        Assert.That(await Sql.Scalar<bool>(host.ConnectionString, "SELECT disabled_at IS NULL FROM \"AspNetUsers\" WHERE id = @id", ("id", kept.Id)),
            Is.True, "not disabled without its record");
        Assert.That(await Actions(host, Guid.Parse(kept.Id)), Is.EqualTo(new[] { "account.created:StaffMember" }));
    }

    /// <summary>The keys that sign cookies and tokens lie sealed in the case database: no key material in the clear.</summary>
    [Test]
    public async Task SigningKeys_StoredSealed_NoKeyMaterialInTheClear()
    {
        var host = await TestHost.Get();
        await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword); // a token: the key ring exists
        var rows = await Sql.Rows(host.ConnectionString, "SELECT xml FROM data_protection_keys");
        Assert.That(rows, Is.Not.Empty);
        var decryptor = new KekXmlDecryptor(host.Services);
        foreach (var xml in rows)
        {
            var key = XElement.Parse(xml);
            Assert.That(key.Descendants().Where(e => e.Name.LocalName == "masterKey"), Is.Empty, "no master key in the clear");
            var sealedSecret = key.Descendants(DataProtectionKeySealing.ElementName).Single();
            var secret = decryptor.Decrypt(sealedSecret).Descendants().Single(e => e.Name.LocalName == "value").Value;
            Assert.That(secret, Has.Length.GreaterThan(40));
            Assert.That(xml, Does.Not.Contain(secret), "the secret opens with the KEK, and is not stored as it is");
        }
    }

    /// <summary>A key written before sealing existed (in the clear) is sealed by the re-wrap, and sign-in goes on working.</summary>
    [Test]
    public async Task SigningKeyInTheClear_SealedByTheRewrap_TokensStillAccepted()
    {
        var host = await TestHost.Get("signing-keys-clear");
        var admin = await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword);
        var decryptor = new KekXmlDecryptor(host.Services);
        var (id, xml) = (await Sql.Pairs(host.ConnectionString, "SELECT id::text, xml FROM data_protection_keys")).First();
        var key = XElement.Parse(xml);
        var encrypted = key.Descendants().Single(e => e.Name.LocalName == "encryptedSecret");
        var plain = decryptor.Decrypt(encrypted.Elements().Single());
        var secret = plain.Descendants().Single(e => e.Name.LocalName == "value").Value;
        encrypted.ReplaceWith(plain);
        await Sql.Execute(host.ConnectionString, "UPDATE data_protection_keys SET xml = @x WHERE id = @id::int",
            ("x", key.ToString(SaveOptions.DisableFormatting)), ("id", id));
        Assert.That(await Sql.Scalar<long>(host.ConnectionString, "SELECT count(*) FROM data_protection_keys WHERE xml LIKE @s", ("s", $"%{secret}%")), Is.EqualTo(1));

        var status = await (await admin.Post("/api/admin/keys/rewrap", new { })).Read<KeyStatusView>();
        Assert.That(status.SigningKeysSealed, Is.EqualTo(1));
        Assert.That(await Sql.Scalar<long>(host.ConnectionString, "SELECT count(*) FROM data_protection_keys WHERE xml LIKE @s", ("s", $"%{secret}%")), Is.Zero);
        Assert.That((await admin.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Actions(host, AuditSubjects.Keys), Is.EqualTo(new[] { "keys.rewrapped:test-1" }));
    }
}
