using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Incidents;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Server.Tests.Infrastructure;
using System.Net;

namespace CaseHandling.Server.Tests.Features;

/// <summary>The report duty of a serious incident, reminded and escalated by the real sweep (real Hangfire, SMTP and PostgreSQL, a controlled clock).</summary>
public sealed class IncidentJobsTests
{
    private const string Intake = "intake-inspectie@test.casehandling.nl";

    [Test]
    public async Task ReportDuty_RemindedThenEscalatedToBoardAndInspectieIntake_ThenMetByTheReport()
    {
        await using var j = await JobHost.Start($"incjobs-{Guid.NewGuid():N}"[..14], DateTimeOffset.UtcNow, settings: new()
        {
            ["Rules:IncidentRegisterEffectiveFrom"] = "2024-01-01",
            ["Notifications:InspectieIntakeEmail"] = Intake,
        });
        var w = await World.Create(j.Host, Sector.Vo);
        var r = await (await w.Board.Post("/api/incidents", IncidentTests.Incident(IncidentCategory.WeaponPossession, serious: true, what: "Vertrouwelijk XYZ")))
            .Read<IncidentRef>(HttpStatusCode.Created);
        var (due, reminders) = await j.Duty(r.Id, "ReportIncidentToInspectorate");
        Assert.That(reminders, Is.Not.Empty);

        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(r.Number), Is.Empty, "nothing before the first reminder");

        j.Clock.SetUtcNow(reminders[0].AddMinutes(1));
        await j.SweepAndDeliver();
        var reminder = j.MailsAbout(r.Number).Single();
        Assert.That((reminder.Subject.Contains("herinnering"), reminder.ToAddresses.Single().Address), Is.EqualTo((true, World.BoardEmail)));

        j.Clock.SetUtcNow(due.AddMinutes(1));
        await j.SweepAndDeliver();
        var escalations = j.MailsAbout(r.Number).Where(m => m.Subject.Contains("verstreken")).ToList();
        Assert.That(escalations.SelectMany(m => m.ToAddresses).Select(a => a.Address), Is.EquivalentTo(new[] { World.BoardEmail, Intake }),
            "the board and the Inspectorate's own intake, not the vertrouwensinspectie");
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM audit_entries WHERE subject_id = @s AND action = 'change:DutyEscalated' AND role = 'System'", ("s", r.Id)),
            Is.EqualTo(1));
        foreach (var m in j.MailsAbout(r.Number))
        {
            var text = m.Subject + m.MessageParts[0].BodyData;
            Assert.That(text, Does.Not.Contain("XYZ").And.Not.Contain("wapen").IgnoreCase.And.Not.Contain("Instelling"));
            Assert.That(text, Does.Contain($"/portaal/incidenten/{r.Id}"));
        }

        // The same interval again: never twice; the next interval escalates again.
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(r.Number).Count(m => m.Subject.Contains("verstreken")), Is.EqualTo(2));
        var next = await j.Scalar<DateTime>("SELECT next_action_at FROM duties WHERE incident_id = @s", ("s", r.Id));
        j.Clock.SetUtcNow(new DateTimeOffset(next, TimeSpan.Zero).AddMinutes(1));
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(r.Number).Count(m => m.Subject.Contains("verstreken")), Is.EqualTo(4));

        // The report, late, meets the duty: the sweep leaves it alone from then on.
        // Signed in again on the moved clock (the first tokens have expired by now).
        var admin = await World.SignIn(j.Host, TestHost.AdminEmail, TestHost.AdminPassword);
        var board = await World.NewUser(j.Host, admin, StaffRole.Board, w.InstitutionId);
        await (await board.Post($"/api/incidents/{r.Id}/report", new { reportedOn = DateOnly.FromDateTime(j.Clock.GetUtcNow().UtcDateTime) })).Read<IncidentRef>();
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM duties WHERE incident_id = @s AND met_at > due_at", ("s", r.Id)), Is.EqualTo(1), "met late");
        j.Clock.Advance(TimeSpan.FromDays(3));
        await j.SweepAndDeliver();
        Assert.That(j.MailsAbout(r.Number).Count(m => m.Subject.Contains("verstreken")), Is.EqualTo(4));
    }
}

/// <summary>The register's own retention period (24 months by default): erasure by key destruction, the counts kept.</summary>
public sealed class IncidentRetentionTests
{
    [Test]
    public async Task RetentionJob_After24Months_ErasesWhatWasDoneAndThePupilHash_DestroysTheKey_KeepsTheCounts_SparesAnOpenReportDuty()
    {
        await using var j = await JobHost.Start($"incret-{Guid.NewGuid():N}"[..14], DateTimeOffset.UtcNow, settings: new()
        {
            ["Rules:IncidentRegisterEffectiveFrom"] = "2024-01-01",
        });
        var w = await World.Create(j.Host, Sector.Po);
        var m = "RETMARK" + Guid.NewGuid().ToString("N")[..10];
        var done = await (await w.Board.Post("/api/incidents", IncidentTests.Incident(IncidentCategory.Threat, what: m, pupil: "77"))).Read<IncidentRef>(HttpStatusCode.Created);
        var owed = await (await w.Board.Post("/api/incidents", IncidentTests.Incident(IncidentCategory.SystematicBullying, what: m + "-open"))).Read<IncidentRef>(HttpStatusCode.Created);
        var figuresBefore = await w.Admin.GetStringAsync("/api/figures");

        j.Clock.Advance(TimeSpan.FromDays(23 * 30));
        Assert.That(await j.Run<CaseHandling.Server.Infrastructure.Jobs.RetentionJob>(x => x.Run(CancellationToken.None)), Is.EqualTo("Succeeded"));
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM incidents WHERE erased_at IS NOT NULL AND institution_id = @i", ("i", w.InstitutionId)), Is.Zero,
            "not before the period ends");

        j.Clock.Advance(TimeSpan.FromDays(3 * 30));
        Assert.That(await j.Run<CaseHandling.Server.Infrastructure.Jobs.RetentionJob>(x => x.Run(CancellationToken.None)), Is.EqualTo("Succeeded"));
        Assert.That(await j.Scalar<string>("SELECT what_was_done FROM incidents WHERE id = @s", ("s", done.Id)), Is.EqualTo(""));
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM incidents WHERE id = @s AND erased_at IS NOT NULL AND pupil_hash IS NULL", ("s", done.Id)), Is.EqualTo(1));
        Assert.That(await Sql.Scalar<long>(j.Host.KeyStoreConnectionString,
            "SELECT count(*) FROM data_keys WHERE subject_id = @id AND wrapped_key IS NULL AND destroyed_at IS NOT NULL", done.Id), Is.EqualTo(1), "the key is destroyed");
        // The incident whose report is still owed is kept, and readable.
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM incidents WHERE id = @s AND erased_at IS NULL AND what_was_done LIKE 'ch1:%'", ("s", owed.Id)), Is.EqualTo(1));
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM audit_entries WHERE subject_id = @s AND action = 'erase:retention'", ("s", done.Id)), Is.EqualTo(1));

        // The counts stay: the figures read the same codes as before.
        var admin = await World.SignIn(j.Host, TestHost.AdminEmail, TestHost.AdminPassword);
        Assert.That(await admin.GetStringAsync("/api/figures"), Is.EqualTo(figuresBefore));
    }

    [Test]
    public async Task LegalHold_KeepsAnIncidentFromErasureUntilTheBoardLiftsIt_TheBoardsStepOnly_Audited()
    {
        await using var j = await JobHost.Start($"inchold-{Guid.NewGuid():N}"[..15], DateTimeOffset.UtcNow, settings: new()
        {
            ["Rules:IncidentRegisterEffectiveFrom"] = "2024-01-01",
        });
        var w = await World.Create(j.Host, Sector.Vo);
        var m = "HOLDMARK" + Guid.NewGuid().ToString("N")[..10];
        var held = await (await w.Board.Post("/api/incidents", IncidentTests.Incident(IncidentCategory.Threat, what: m))).Read<IncidentRef>(HttpStatusCode.Created);
        var free = await (await w.Board.Post("/api/incidents", IncidentTests.Incident(IncidentCategory.Drugs, what: m + "-free"))).Read<IncidentRef>(HttpStatusCode.Created);

        // Who may: the board of the school only; the field is required.
        await (await w.Board.Post($"/api/incidents/{held.Id}/legal-hold", new { })).Problem(HttpStatusCode.BadRequest);
        Assert.That((await w.Staff.Post($"/api/incidents/{held.Id}/legal-hold", new { hold = true })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await w.OtherBoard.Post($"/api/incidents/{held.Id}/legal-hold", new { hold = true })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await (await w.Board.Post($"/api/incidents/{held.Id}/legal-hold", new { hold = true })).Read<IncidentRef>();
        Assert.That((await w.Board.GetJson<IncidentView>($"/api/incidents/{held.Id}")).LegalHold, Is.True);
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM audit_entries WHERE subject_id = @s AND action = 'change:LegalHoldPlaced'", ("s", held.Id)), Is.EqualTo(1));

        // Past the register's retention period: the held incident stays, sealed and readable; the other one goes.
        j.Clock.Advance(TimeSpan.FromDays(26 * 30));
        Assert.That(await j.Run<CaseHandling.Server.Infrastructure.Jobs.RetentionJob>(x => x.Run(CancellationToken.None)), Is.EqualTo("Succeeded"));
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM incidents WHERE id = @s AND erased_at IS NULL AND what_was_done LIKE 'ch1:%'", ("s", held.Id)), Is.EqualTo(1),
            "a legal hold keeps the incident");
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM incidents WHERE id = @s AND erased_at IS NOT NULL", ("s", free.Id)), Is.EqualTo(1));
        Assert.That(await Sql.Scalar<long>(j.Host.KeyStoreConnectionString,
            "SELECT count(*) FROM data_keys WHERE subject_id = @id AND wrapped_key IS NOT NULL AND destroyed_at IS NULL", held.Id), Is.EqualTo(1), "its key lives");

        // Lifted, the next run erases it; an erased incident takes no hold.
        var admin = await World.SignIn(j.Host, TestHost.AdminEmail, TestHost.AdminPassword);
        var board = await World.NewUser(j.Host, admin, StaffRole.Board, w.InstitutionId);
        await (await board.Post($"/api/incidents/{held.Id}/legal-hold", new { hold = false })).Read<IncidentRef>();
        Assert.That(await j.Scalar<long>("SELECT count(*) FROM audit_entries WHERE subject_id = @s AND action = 'change:LegalHoldLifted'", ("s", held.Id)), Is.EqualTo(1));
        Assert.That(await j.Run<CaseHandling.Server.Infrastructure.Jobs.RetentionJob>(x => x.Run(CancellationToken.None)), Is.EqualTo("Succeeded"));
        Assert.That(await j.Scalar<string>("SELECT what_was_done FROM incidents WHERE id = @s AND erased_at IS NOT NULL", ("s", held.Id)), Is.EqualTo(""));
        await (await board.Post($"/api/incidents/{held.Id}/legal-hold", new { hold = true })).Problem(HttpStatusCode.Conflict);
    }
}
