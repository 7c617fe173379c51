using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseHandling.Server.Tests.Features;

public sealed class OpenApiTests
{
    [Test]
    public async Task OpenApi_Document_ListsEveryChainEndpoint()
    {
        var host = await TestHost.Get();
        var doc = await (await host.CreateClient().GetAsync("/openapi/v1.json")).Read<JsonElement>();
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(paths, Is.SupersetOf(new[]
        {
            "/api/staff-notifications", "/api/cases", "/api/cases/{id}", "/api/cases/{id}/consultation", "/api/cases/{id}/outcome",
            "/api/cases/{id}/parties-informed", "/api/cases/{id}/informing-impossible", "/api/cases/{id}/aangifte",
            "/api/cases/{id}/aangifte-notification", "/api/cases/{id}/follow-up", "/api/duties", "/api/consultations",
            "/api/reports", "/api/reports/status", "/api/reports/messages", "/api/reports/consent", "/api/reports/consent/withdraw",
            "/api/meldpunt/reports", "/api/meldpunt/reports/{id}", "/api/meldpunt/reports/{id}/forward",
        }));
    }
}

/// <summary>The production setting: every role must sign in with TOTP.</summary>
public sealed class TwoFactorTests
{
    [Test]
    public async Task RequireTwoFactor_UserWithoutTotp_ForbiddenUntilEnrolledAndSignedInWithCode()
    {
        var host = await TestHost.Get("two-factor", new() { ["Security:RequireTwoFactor"] = "true" });
        var admin = await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword);
        // The bootstrap administrator has no TOTP yet: admin endpoints refuse until it enrols.
        Assert.That((await admin.GetAsync("/api/admin/institutions")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        admin = await Enrol(host, admin, TestHost.AdminEmail, TestHost.AdminPassword);
        Assert.That((await admin.GetAsync("/api/admin/institutions")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var inst = await World.Institution(admin, "2FA-instelling " + Guid.NewGuid().ToString("N")[..6], Sector.Vo);
        var email = $"bestuur-{Guid.NewGuid():N}@test.casehandling.nl";
        await (await admin.Post("/api/admin/users", new CreateUser(email, "Bestuur", World.Password, StaffRole.Board, inst.Id))).Read<UserView>(HttpStatusCode.Created);

        var board = await World.SignIn(host, email, World.Password);
        Assert.That((await board.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        board = await Enrol(host, board, email, World.Password);
        Assert.That((await board.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Without the code, sign-in no longer succeeds.
        var noCode = await host.CreateClient().Post("/api/auth/login", new { email, password = World.Password });
        Assert.That(noCode.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var wrongCode = await host.CreateClient().Post("/api/auth/login", new { email, password = World.Password, twoFactorCode = "000000" });
        Assert.That(wrongCode.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private static async Task<HttpClient> Enrol(TestHost host, HttpClient client, string email, string password)
    {
        var setup = await (await client.Post("/api/auth/2fa/setup", new { })).Read<JsonElement>();
        var key = setup.GetProperty("sharedKey").GetString()!;
        var enable = await client.Post("/api/auth/2fa/enable", new { code = Totp(key, DateTimeOffset.UtcNow) });
        Assert.That(enable.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await enable.Content.ReadAsStringAsync());
        var signedIn = await World.SignIn(host, email, password, Totp(key, DateTimeOffset.UtcNow));
        var me = await (await signedIn.GetAsync("/api/auth/me")).Read<JsonElement>();
        Assert.That(me.GetProperty("signedInWithTwoFactor").GetBoolean(), Is.True);
        return signedIn;
    }

    /// <summary>RFC 6238 TOTP (SHA-1, 30 s, 6 digits) over a base32 key, as an authenticator app computes it.</summary>
    internal static string Totp(string base32Key, DateTimeOffset at)
    {
        var key = Base32(base32Key);
        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian) Array.Reverse(counter);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var code = ((hash[offset] & 0x7f) << 24 | hash[offset + 1] << 16 | hash[offset + 2] << 8 | hash[offset + 3]) % 1_000_000;
        return code.ToString("D6");
    }

    private static byte[] Base32(string s)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0; var value = 0; var output = new List<byte>();
        foreach (var ch in s.TrimEnd('=').ToUpperInvariant())
        {
            value = (value << 5) | alphabet.IndexOf(ch);
            bits += 5;
            if (bits >= 8) { output.Add((byte)(value >> (bits - 8))); bits -= 8; }
        }
        return output.ToArray();
    }
}

/// <summary>deploy/run.sh's first run: demo data in every state of the chain, through the real handlers.</summary>
public sealed class DemoSeedTests
{
    [Test]
    public async Task DemoSeed_FirstRun_InstitutionPerSectorAccountPerRoleCaseInEveryState()
    {
        var host = await TestHost.Get("demo", ownDatabase: true);
        // As src/CaseHandling.Demo does before deploy/run.sh starts the app: the seeder over the app's own services.
        await using (var scope = host.Services.CreateAsyncScope())
            await ActivatorUtilities.CreateInstance<CaseHandling.Demo.DemoSeeder>(scope.ServiceProvider).SeedIfEmptyAsync(CancellationToken.None);
        var admin = await World.SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword);
        var institutions = await admin.GetJson<List<InstitutionView>>("/api/admin/institutions");
        Assert.That(institutions.Select(i => i.Sector).Distinct(), Is.EquivalentTo(Enum.GetValues<Sector>()));
        var users = await admin.GetJson<List<UserView>>("/api/admin/users");
        Assert.That(users.Select(u => u.Role).Distinct(), Is.EquivalentTo(Enum.GetValues<StaffRole>()));

        var states = new HashSet<CaseState>();
        foreach (var sector in Enum.GetValues<Sector>())
        {
            var board = await World.SignIn(host, $"bestuur-{sector.ToString().ToLowerInvariant()}@demo.casehandling.nl",
                CaseHandling.Demo.DemoSeeder.Password);
            foreach (var c in await board.GetJson<List<CaseListItem>>("/api/cases")) states.Add(c.State);
        }
        Assert.That(states, Is.EquivalentTo(Enum.GetValues<CaseState>()));

        // The meldpunt's inbox has reports at each stage: received, in the dialogue with consent, forwarded at once, answered.
        var handler = await World.SignIn(host, "meldpunt@demo.casehandling.nl", CaseHandling.Demo.DemoSeeder.Password);
        var inbox = await handler.GetJson<List<CaseHandling.Server.Features.Meldpunt.ReportInboxItem>>("/api/meldpunt/reports");
        Assert.That(inbox.Select(r => r.Status).Distinct(), Is.EquivalentTo(new[] { CaseHandling.Domain.Reports.ReportStatus.Received,
            CaseHandling.Domain.Reports.ReportStatus.InProgress, CaseHandling.Domain.Reports.ReportStatus.Forwarded }));
        Assert.That(inbox.Count(r => r.ConsentGiven && r.Status == CaseHandling.Domain.Reports.ReportStatus.InProgress), Is.EqualTo(1), "one ready to forward");

        // The incident register: two reports received by the Inspectie, report duties open in po and vo, a chain case from the register.
        var inspectie = await World.SignIn(host, "inspectie@demo.casehandling.nl", CaseHandling.Demo.DemoSeeder.Password);
        Assert.That(await inspectie.GetJson<List<CaseHandling.Server.Features.Incidents.IncidentReportView>>("/api/inspectie/incident-reports"), Has.Count.EqualTo(2));
        foreach (var sector in new[] { "po", "vo" })
        {
            var board = await World.SignIn(host, $"bestuur-{sector}@demo.casehandling.nl", CaseHandling.Demo.DemoSeeder.Password);
            Assert.That(await board.GetJson<List<CaseHandling.Server.Features.Incidents.IncidentDutyView>>("/api/incidents/duties"), Has.Count.EqualTo(1), sector);
        }
        Assert.That(await Sql.Scalar<long>(host.ConnectionString, "SELECT count(*) FROM incidents WHERE linked_case_id IS NOT NULL"), Is.EqualTo(1));
    }
}

/// <summary>No report content or personal data in the application's log output.</summary>
public sealed class LogConfidentialityTests
{
    [Test]
    public async Task Chain_MarkerInEveryFreeTextField_NeverAppearsInLogs()
    {
        var host = await TestHost.Get();
        var w = await World.Create(host);
        const string marker = "MARKER-7f3a9c";
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, facts: marker + " feiten");
        await w.Board.Post($"/api/cases/{c.Id}/consultation", new { inspectorId = w.InspectorId, factsGiven = marker + " gedeeld" });
        await w.Inspector.Post($"/api/cases/{c.Id}/outcome", new { outcome = "ReasonableSuspicion", reasoning = marker + " reden" });
        await w.Board.Post($"/api/cases/{c.Id}/informing-impossible", new { reason = marker + " politie" });
        await w.Board.Post($"/api/cases/{c.Id}/aangifte", new { filedOn = "2026-01-05", policeUnit = marker, registrationNumber = marker });
        // A bad request with the marker too.
        await w.Board.Post("/api/cases", new { incidentType = marker, facts = marker });

        var detail = await w.Board.Case(c.Id);
        Assert.That(detail.Timeline.ToString() + JsonSerializer.Serialize(detail.Timeline), Does.Contain(marker), "the marker was stored");
        Assert.That(host.Logs.Lines, Is.Not.Empty);
        Assert.That(host.Logs.Lines.Where(l => l.Contains(marker)), Is.Empty);
    }
}
