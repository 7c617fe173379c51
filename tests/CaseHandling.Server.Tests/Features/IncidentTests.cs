using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Incidents;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>The incident register through the API (bill 36 777): registration, the report duty, recurrence, the chain case, the Inspectorate's view.</summary>
public sealed class IncidentTests
{
    /// <summary>A host on which the register's duties are in force (they are off by default, as the bill is not law yet).</summary>
    public static Task<TestHost> InForce() => TestHost.Get("incidents", new() { ["Rules:IncidentRegisterEffectiveFrom"] = "2024-01-01" });

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static RegisterIncident Incident(IncidentCategory category, bool serious = false, string? pupil = null, string what = "Gesprek met ouders",
        bool staff = false, HarmedParty harmed = HarmedParty.Pupil, DateOnly? on = null, bool seriousInjury = false) =>
        new(category, on ?? Today, PlaceType.Schoolyard, harmed, what, serious, seriousInjury, false, staff, pupil, null, false, staff ? VictimAge.Minor : null);

    private static async Task<IncidentRef> Register(HttpClient who, RegisterIncident incident) =>
        await (await who.Post("/api/incidents", incident)).Read<IncidentRef>(HttpStatusCode.Created);

    [Test]
    public async Task Vo_SeriousIncident_OpensTheReportDuty_NotSerious_DoesNot()
    {
        var w = await World.Create(await InForce(), Sector.Vo);
        var serious = await Register(w.Board, Incident(IncidentCategory.PhysicalOrMentalHarm, seriousInjury: true));
        var minor = await Register(w.Board, Incident(IncidentCategory.VandalismOrTheft));
        Assert.That((serious.ReportDutyOpened, minor.ReportDutyOpened), Is.EqualTo((true, false)));

        var detail = await w.Board.GetJson<IncidentView>($"/api/incidents/{serious.Id}");
        Assert.That(detail.ReportReason, Is.EqualTo(ReportReason.Serious));
        Assert.That(detail.ReportDuty!.Kind, Is.EqualTo(DutyKind.ReportIncidentToInspectorate));
        Assert.That(detail.ReportDuty.LegalBasis, Does.Contain("36 777").And.Contain("WVO 2020"));
        Assert.That(detail.ReportDuty.DueAt, Is.GreaterThan(DateTimeOffset.UtcNow));
        var duties = await w.Board.GetJson<List<IncidentDutyView>>("/api/incidents/duties");
        Assert.That(duties.Select(d => d.IncidentNumber), Is.EqualTo(new[] { serious.Number }));

        // The systematic bullying of the memo's examples is serious in itself.
        Assert.That((await Register(w.Board, Incident(IncidentCategory.SystematicBullying))).ReportDutyOpened, Is.True);
    }

    [Test]
    public async Task Ho_SeriousIncident_OpensNoDuty()
    {
        var w = await World.Create(await InForce(), Sector.Ho);
        var r = await Register(w.Board, Incident(IncidentCategory.WeaponPossession, serious: true));
        Assert.That(r.ReportDutyOpened, Is.False);
        var detail = await w.Board.GetJson<IncidentView>($"/api/incidents/{r.Id}");
        Assert.That((detail.DutyApplies, detail.Serious), Is.EqualTo((false, true)));
        Assert.That(detail.DecisionWhy, Does.Contain("Geen registratie- en meldplicht in deze sector"));
    }

    [Test]
    public async Task BeforeAnEffectiveDateIsConfigured_NoDutyOpens()
    {
        var w = await World.Create(await TestHost.Get(), Sector.Vo);
        var r = await Register(w.Board, Incident(IncidentCategory.SystematicBullying));
        Assert.That(r.ReportDutyOpened, Is.False);
        Assert.That((await w.Board.GetJson<IncidentView>($"/api/incidents/{r.Id}")).DecisionWhy, Does.Contain("niet in werking"));
    }

    [Test]
    public async Task RecurringIncidents_SamePupil_OpenTheDutyOnTheThird_NumberStoredOnlyAsKeyedHash()
    {
        var w = await World.Create(await InForce(), Sector.Po);
        var pupil = "LL-" + Guid.NewGuid().ToString("N")[..8];
        var first = await Register(w.Board, Incident(IncidentCategory.Threat, pupil: pupil, on: Today.AddDays(-60)));
        var other = await Register(w.Board, Incident(IncidentCategory.Threat, pupil: "ANDER-" + pupil, on: Today.AddDays(-30)));
        // The same number written differently is the same pupil.
        var second = await Register(w.Board, Incident(IncidentCategory.Discrimination, pupil: pupil.ToLowerInvariant().Replace("-", " "), on: Today.AddDays(-20)));
        Assert.That(new[] { first, other, second }.Select(r => r.ReportDutyOpened), Is.All.False);
        var third = await Register(w.Board, Incident(IncidentCategory.Threat, pupil: pupil));
        Assert.That(third.ReportDutyOpened, Is.True);
        Assert.That((await w.Board.GetJson<IncidentView>($"/api/incidents/{third.Id}")).ReportReason, Is.EqualTo(ReportReason.Recurring));

        // Another school's pupil with the same number is not the same pupil.
        var elsewhere = await World.Create(w.Host, Sector.Po);
        for (var i = 0; i < 2; i++) await Register(elsewhere.Board, Incident(IncidentCategory.Threat, pupil: "X" + i));
        Assert.That((await Register(elsewhere.Board, Incident(IncidentCategory.Threat, pupil: pupil))).ReportDutyOpened, Is.False);

        // The number is nowhere in the database, only its keyed hash.
        Assert.That(await DatabaseScan.ColumnsContaining(w.Host.ConnectionString, pupil.Replace("-", "")), Is.Empty);
        Assert.That(await DatabaseScan.ColumnsContaining(w.Host.ConnectionString, pupil), Is.Empty);
        Assert.That(await Sql.Scalar<long>(w.Host.ConnectionString, "SELECT count(*) FROM incidents WHERE id = @id AND length(pupil_hash) = 32", third.Id), Is.EqualTo(1));
    }

    [Test]
    public async Task SexualIncidentByStaff_OpensAChainCase_OrLinksToTheOneNamed()
    {
        var w = await World.Create(await InForce(), Sector.Vo);
        var r = await Register(w.Board, Incident(IncidentCategory.SexualHarassmentOrAbuse, staff: true));
        Assert.That(r.LinkedCaseId, Is.Not.Null);
        var c = await w.Board.Case(r.LinkedCaseId!.Value);
        Assert.That((c.IncidentType, c.AccusedRole, c.VictimKind, c.Coverage), Is.EqualTo((IncidentType.SeksueleIntimidatie, AccusedRole.MetTakenBelastPersoon,
            VictimKind.Student, Coverage.MeldEnOverleg)));
        Assert.That(c.Duties.Select(d => d.Kind), Does.Contain(DutyKind.StartOverleg), "the chain's own duty: the overleg with the vertrouwensinspecteur");

        // A second registration names that case: it links, and opens no second case.
        var again = await Register(w.Board, Incident(IncidentCategory.SexualHarassmentOrAbuse, staff: true) with { LinkedCaseNumber = c.Number });
        Assert.That((again.LinkedCaseId, again.LinkedCaseNumber), Is.EqualTo((c.Id, c.Number)));
        // Another school's case number does not link.
        var other = await w.OtherBoard.Post("/api/incidents", Incident(IncidentCategory.SexualHarassmentOrAbuse, staff: true) with { LinkedCaseNumber = c.Number });
        Assert.That((await other.Problem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("linkedCaseNumber", out _));

        // Sexual harassment by a fellow pupil stays in the register.
        Assert.That((await Register(w.Board, Incident(IncidentCategory.SexualHarassmentOrAbuse))).LinkedCaseId, Is.Null);
    }

    [Test]
    public async Task StaffMember_OnlyWhenTheBoardAuthorisedThem_AndTheirSexualIncidentReportIsTheirNotification()
    {
        var w = await World.Create(await InForce(), Sector.So);
        Assert.That((await w.Staff.Post("/api/incidents", Incident(IncidentCategory.Drugs))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var staff = (await w.Board.GetJson<List<IncidentRegistrarView>>("/api/incident-registrars")).Single();
        Assert.That(staff.Authorised, Is.False);
        // Another board cannot authorise this school's staff member.
        Assert.That((await w.OtherBoard.SendAsync(Put($"/api/incident-registrars/{staff.UserId}", new { authorised = true }))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        (await w.Board.SendAsync(Put($"/api/incident-registrars/{staff.UserId}", new { authorised = true }))).EnsureSuccessStatusCode();

        var r = await Register(w.Staff, Incident(IncidentCategory.SexualHarassmentOrAbuse, staff: true));
        var c = await w.Board.Case(r.LinkedCaseId!.Value);
        Assert.That(c.OpenedVia, Is.EqualTo(OpenedVia.StaffNotification));
        // Reporting to the Inspectorate is the board's act.
        var serious = await Register(w.Staff, Incident(IncidentCategory.WeaponPossession, serious: true));
        Assert.That((await w.Staff.Post($"/api/incidents/{serious.Id}/report", new { reportedOn = Today })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private static HttpRequestMessage Put(string url, object body) =>
        new(HttpMethod.Put, url) { Content = System.Net.Http.Json.JsonContent.Create(body, options: CaseHandling.Server.Tests.Infrastructure.Api.Json) };

    [Test]
    public async Task Report_MeetsTheDuty_TheInspectieSeesTheMinimum_TheVertrouwensinspecteurDoesNot()
    {
        var w = await World.Create(await InForce(), Sector.Vo);
        var what = "Geheim-" + Guid.NewGuid().ToString("N")[..10];
        var r = await Register(w.Board, Incident(IncidentCategory.WeaponPossession, serious: true, what: what, pupil: "P123"));
        Assert.That((await w.OtherBoard.GetAsync($"/api/incidents/{r.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await w.OtherBoard.Post($"/api/incidents/{r.Id}/report", new { reportedOn = Today })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        await (await w.Board.Post($"/api/incidents/{r.Id}/report", new { reportedOn = Today })).Read<IncidentRef>();
        var detail = await w.Board.GetJson<IncidentView>($"/api/incidents/{r.Id}");
        Assert.That((detail.ReportedOn, detail.ReportDelivery, detail.ReportDuty!.Status), Is.EqualTo((Today, ReportDelivery.RecordOnly, DutyStatus.Met)));
        Assert.That((await w.Board.GetJson<List<IncidentDutyView>>("/api/incidents/duties")).Select(d => d.IncidentId), Does.Not.Contain(r.Id));
        // Twice is refused, naming the state.
        Assert.That((await (await w.Board.Post($"/api/incidents/{r.Id}/report", new { reportedOn = Today })).Problem(HttpStatusCode.Conflict)).ToString(), Does.Contain("Reported"));

        var inspectie = await World.NewUser(w.Host, w.Admin, StaffRole.Inspectie, null);
        var text = await (await inspectie.GetAsync("/api/inspectie/incident-reports")).Content.ReadAsStringAsync();
        var received = System.Text.Json.JsonSerializer.Deserialize<List<IncidentReportView>>(text, CaseHandling.Server.Tests.Infrastructure.Api.Json)!;
        var mine = received.Single(x => x.Id == r.Id);
        Assert.That((mine.Category, mine.Reason, mine.Sector, mine.ReportedOn), Is.EqualTo((IncidentCategory.WeaponPossession, ReportReason.Serious, Sector.Vo, Today)));
        Assert.That(text, Does.Not.Contain(what).And.Not.Contain("P123"), "the minimum: no content, no pupil number");
        Assert.That(await Sql.Scalar<long>(w.Host.ConnectionString, "SELECT count(*) FROM audit_entries WHERE subject_id = @id AND action = 'read:IncidentReport'", r.Id),
            Is.GreaterThanOrEqualTo(1));

        // The vertrouwensinspecteur is not the Inspectorate's intake, nor the Inspectie a reader of the register or the cases.
        Assert.That((await w.Inspector.GetAsync("/api/inspectie/incident-reports")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await inspectie.GetAsync("/api/incidents")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await inspectie.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task NoContentMarker_InTheLogs_OrTheRawTables_OrADump_ButReadsBack()
    {
        var host = await InForce();
        var w = await World.Create(host, Sector.Vo);
        var m = "INCMARK" + Guid.NewGuid().ToString("N")[..12];
        var r = await Register(w.Board, Incident(IncidentCategory.SexualHarassmentOrAbuse, staff: true, what: m + "-gedaan", pupil: m + "PUPIL") with { Serious = true });
        await (await w.Board.Post($"/api/incidents/{r.Id}/report", new { reportedOn = Today })).Read<IncidentRef>();
        Assert.That((await w.Board.GetJson<IncidentView>($"/api/incidents/{r.Id}")).WhatWasDone, Is.EqualTo(m + "-gedaan"));
        Assert.That(await Sql.Scalar<string>(host.ConnectionString, "SELECT what_was_done FROM incidents WHERE id = @id", r.Id), Does.StartWith("ch1:"));

        Assert.That(await DatabaseScan.ColumnsContaining(host.ConnectionString, m), Is.Empty, "no marker in any table, the chain case's too");
        Assert.That(await DatabaseScan.ColumnsContaining(host.KeyStoreConnectionString, m), Is.Empty);
        var dump = Path.Combine(Path.GetTempPath(), $"incidents-{Guid.NewGuid():N}.sql");
        try
        {
            await PgTools.DumpAsync(host.ConnectionString, dump);
            Assert.That(await File.ReadAllTextAsync(dump), Does.Not.Contain(m).And.Contain("incidents"));
        }
        finally { File.Delete(dump); }
        Assert.That(host.Logs.Lines.Where(l => l.Contains(m)), Is.Empty);
    }

    [Test]
    public async Task MailToIntake_Setting_QueuesAContentFreeMailToTheInspectorate()
    {
        var host = await TestHost.Get("incidents-mail", new()
        {
            ["Rules:IncidentRegisterEffectiveFrom"] = "2024-01-01",
            ["Rules:IncidentReportDelivery"] = "MailToIntake",
            ["Notifications:InspectieIntakeEmail"] = "intake@test.casehandling.nl",
        });
        var w = await World.Create(host, Sector.Po);
        var r = await Register(w.Board, Incident(IncidentCategory.WeaponPossession, serious: true, what: "Wapen ingenomen XQZ"));
        await (await w.Board.Post($"/api/incidents/{r.Id}/report", new { reportedOn = Today })).Read<IncidentRef>();
        Assert.That((await w.Board.GetJson<IncidentView>($"/api/incidents/{r.Id}")).ReportDelivery, Is.EqualTo(ReportDelivery.MailToIntake));
        var body = await Sql.Scalar<string>(host.ConnectionString, "SELECT to_address || ' ' || subject || ' ' || body FROM outbox_messages WHERE reference = @r", ("r", r.Number));
        Assert.That(body, Does.StartWith("intake@test.casehandling.nl").And.Contain(r.Number).And.Contain("/portaal/inspectie/meldingen")
            .And.Not.Contain("XQZ").And.Not.Contain("wapen").IgnoreCase);
    }

    [Test]
    public async Task Settings_TheAdministratorSwitchesTheDutyOnAtRunTime()
    {
        var host = await TestHost.Get("incidents-settings");
        var w = await World.Create(host, Sector.Vo);
        Assert.That((await Register(w.Board, Incident(IncidentCategory.SystematicBullying))).ReportDutyOpened, Is.False);
        var view = await (await w.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/admin/settings")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { incidentRegisterEffectiveFrom = "2025-01-01" }, options: CaseHandling.Server.Tests.Infrastructure.Api.Json),
        })).Read<SettingsView>();
        Assert.That(view.IncidentRegisterEffectiveFrom, Is.EqualTo("2025-01-01"));
        Assert.That((await Register(w.Board, Incident(IncidentCategory.SystematicBullying))).ReportDutyOpened, Is.True);
        Assert.That((await Register(w.Board, Incident(IncidentCategory.SystematicBullying, on: new DateOnly(2024, 12, 31)))).ReportDutyOpened, Is.False,
            "an incident before the effective date carries no duty");
    }

    [Test]
    public async Task Figures_TheRegistersCounts_ByCategorySectorSeriousAndReported_WithTheSameSuppression()
    {
        var host = await TestHost.Get("incidents-figures", new() { ["Rules:IncidentRegisterEffectiveFrom"] = "2024-01-01" });
        var w = await World.Create(host, Sector.Vo);
        for (var i = 0; i < 6; i++)
        {
            var r = await Register(w.Board, Incident(IncidentCategory.SystematicBullying));
            if (i < 5) await (await w.Board.Post($"/api/incidents/{r.Id}/report", new { reportedOn = Today })).Read<IncidentRef>();
        }
        await Register(w.Board, Incident(IncidentCategory.Threat));

        var f = await w.Admin.GetJson<CaseHandling.Server.Features.Statistics.MonitoringFigures>("/api/figures");
        string Text(string table, string row) => f.Tables.Single(t => t.Id == table).Rows.Single(r => r.Key == row).Cells[0].Text;
        Assert.That(Text("incident-category", "incidents"), Is.EqualTo("7"));
        Assert.That(Text("incident-category", "icat:Threat"), Is.EqualTo("<5"));
        Assert.That(Text("incident-category", "icat:SystematicBullying"), Is.EqualTo("x"), "6 = 7 − 1 would give the small cell away");
        Assert.That(Text("incident-category", "icat:Drugs"), Is.EqualTo("0"));
        Assert.That(Text("incident-sector", "isector:Vo"), Is.EqualTo("7"));
        Assert.That((Text("incident-serious", "iserious:Yes"), Text("incident-serious", "iserious:No")), Is.EqualTo(("x", "<5")));
        Assert.That((Text("incident-reported", "ireported:Yes"), Text("incident-reported", "ireported:No")), Is.EqualTo(("5", "<5")).Or.EqualTo(("x", "<5")));
        var csv = await w.Admin.GetStringAsync("/api/figures/export.csv");
        Assert.That(csv, Does.Contain("incident-category,icat:Threat").And.Not.Contain("icat:SystematicBullying,Item,all,6"));

        // A board sees its own school's register beside nothing else (no second school with incidents in its sector here).
        var mine = await w.Board.GetJson<CaseHandling.Server.Features.Statistics.MonitoringFigures>("/api/figures");
        Assert.That(mine.Tables.Select(t => t.Id), Does.Contain("incident-category").And.Not.Contain("incident-sector"));
    }
}
