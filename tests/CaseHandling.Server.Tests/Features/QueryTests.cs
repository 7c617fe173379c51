using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

public sealed class QueryTests
{
    private World _w = null!;

    [SetUp]
    public async Task SetUp() => _w = await World.Create(await TestHost.Get());

    [Test]
    public async Task OpenDuties_Board_OwnOpenDutiesOrderedByDueTime()
    {
        var older = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: DateTimeOffset.UtcNow.AddDays(-10));
        var newer = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: DateTimeOffset.UtcNow.AddHours(-1));
        var consulted = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await _w.Consult(consulted.Id)).Read<CaseRef>();

        var duties = await _w.Board.GetJson<List<OpenDutyView>>("/api/duties");
        Assert.That(duties.Select(d => d.DueAt), Is.Ordered);
        // Step 2 is met on the consulted case; its open duty is the overleg's conclusion (step 3), which the board follows too.
        Assert.That(duties.Select(d => (d.CaseId, d.Kind)), Is.EquivalentTo(new[]
        {
            (older.Id, DutyKind.StartOverleg), (newer.Id, DutyKind.StartOverleg), (consulted.Id, DutyKind.ConcludeOverleg),
        }));
        Assert.That(duties.First().CaseId, Is.EqualTo(older.Id));
        Assert.That(duties.First().Status, Is.EqualTo(DutyStatus.Overdue));
        Assert.That(duties.All(d => d.LegalBasis.Length > 0));
    }

    [Test]
    public async Task Consultations_Inspector_OnlyOwnAwaitingOutcome()
    {
        var awaiting = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await _w.Consult(awaiting.Id)).Read<CaseRef>();
        var concluded = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await _w.Consult(concluded.Id)).Read<CaseRef>();
        await (await _w.Outcome(concluded.Id, OverlegOutcome.NoReasonableSuspicion)).Read<CaseRef>();

        var mine = await _w.Inspector.GetJson<List<OverlegView>>("/api/consultations");
        Assert.That(mine.Select(c => c.CaseId), Is.EquivalentTo(new[] { awaiting.Id }));
        Assert.That(mine.Single().ConclusionDueAt, Is.Not.Null);
        var theirs = await _w.OtherInspector.GetJson<List<OverlegView>>("/api/consultations");
        Assert.That(theirs.Select(c => c.CaseId), Has.None.EqualTo(awaiting.Id));
    }

    [Test]
    public async Task Consultations_VoluntaryOverlegOutsideMatrix_InQueueWithoutDueTime()
    {
        var voluntary = await _w.Register(IncidentType.Bullying, VictimAge.Minor, AccusedRole.FellowStudent);
        await (await _w.Consult(voluntary.Id)).Read<CaseRef>();
        var mine = await _w.Inspector.GetJson<List<OverlegView>>("/api/consultations");
        var item = mine.Single(c => c.CaseId == voluntary.Id);
        Assert.That(item.ConclusionDueAt, Is.Null, "no statutory step 3 duty outside the matrix");
    }

    [Test]
    public async Task Timeline_DutyDueTimes_FollowPolicyOnWorkingDayCalendar()
    {
        // Learned on Thursday 24 December 2026, 10:00 Amsterdam: Christmas and the weekend follow;
        // step 2 (next working day 12:00) is due Monday 28 December 12:00 Amsterdam = 11:00 UTC.
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: new DateTimeOffset(2025, 12, 24, 9, 0, 0, TimeSpan.Zero));
        var detail = await _w.Board.Case(c.Id);
        var step2 = detail.Duties.Single(d => d.Kind == DutyKind.StartOverleg);
        Assert.That(step2.DueAt.UtcDateTime, Is.EqualTo(new DateTime(2025, 12, 29, 11, 0, 0, DateTimeKind.Utc)));
        Assert.That(step2.Status, Is.EqualTo(DutyStatus.Overdue));
    }

    [Test]
    public async Task Inspectors_Board_ListsInspectorsToName()
    {
        var list = await _w.Board.GetJson<List<InspectorView>>("/api/inspectors");
        Assert.That(list.Select(i => i.Id), Does.Contain(_w.InspectorId));
    }
}
