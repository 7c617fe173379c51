using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Tests.Infrastructure;
using CaseHandling.Server.Features.Auth;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>The portal's case list: filters, and keyset pages that neither skip nor repeat a case.</summary>
    [Test]
    public async Task CaseList_FiltersAndKeysetPages_NoGapsNoRepeats()
    {
        var overdue = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: DateTimeOffset.UtcNow.AddDays(-10));
        var mine = new List<CaseRef> { overdue };
        for (var i = 0; i < 3; i++) mine.Add(await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor));
        var consulted = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await (await _w.Consult(consulted.Id)).Read<CaseRef>();
        mine.Add(consulted);
        await _w.OtherBoard.Post("/api/cases", new RegisterCase(IncidentType.Zedenmisdrijf, new VictimInput(VictimKind.Student, VictimAge.Minor, false),
            AccusedRole.MetTakenBelastPersoon, DateTimeOffset.UtcNow.AddDays(-10), "Andere instelling"));
        var me = await _w.Board.GetJson<Me.MeResponse>("/api/auth/me");

        async Task<List<CaseListItem>> List(ListCases q)
        {
            await using var scope = _w.Host.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUserAccessor>().Set(new CurrentUser(me.Id, StaffRole.Board, _w.InstitutionId));
            return (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(q)).Value!.ToList();
        }

        var all = new List<CaseListItem>();
        CaseCursor? after = null;
        do
        {
            var page = await List(new ListCases(2, After: after));
            all.AddRange(page);
            after = page.Count == 2 ? new CaseCursor(page[^1].OpenedAt, page[^1].Id) : null;
        } while (after is not null);
        Assert.That(all.Select(c => c.Id), Is.EquivalentTo(mine.Select(c => c.Id)), "every case of the institution once, none of another's");
        Assert.That(all.Select(c => c.OpenedAt), Is.Ordered.Descending);
        Assert.That(CaseCursor.Parse(new CaseCursor(all[2].OpenedAt, all[2].Id).ToString()), Is.EqualTo(new CaseCursor(all[2].OpenedAt, all[2].Id)));
        Assert.That(CaseCursor.Parse("nonsense"), Is.Null);

        Assert.That((await List(new ListCases(State: CaseState.OverlegStarted))).Select(c => c.Id), Is.EqualTo(new[] { consulted.Id }));
        Assert.That((await List(new ListCases(OverdueOnly: true))).Select(c => c.Id), Is.EqualTo(new[] { overdue.Id }));
        Assert.That((await List(new ListCases(Number: " " + consulted.Number.ToLowerInvariant()))).Select(c => c.Id), Is.EqualTo(new[] { consulted.Id }));
        Assert.That(await List(new ListCases(Coverage: Coverage.None)), Is.Empty);
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
