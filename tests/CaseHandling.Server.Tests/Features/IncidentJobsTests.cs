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
