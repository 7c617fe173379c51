using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>The statutory chain end to end through the HTTP API on real PostgreSQL (extended regime on, the default).</summary>
public sealed class ChainTests
{
    private World _w = null!;

    [SetUp]
    public async Task SetUp() => _w = await World.Create(await TestHost.Get());

    private static async Task<CaseRef> Ok(Task<HttpResponseMessage> step) => await (await step).Read<CaseRef>();

    [Test]
    public async Task Chain_MinorVictimZedenmisdrijf_RunsStepsOneToSevenAndMeetsEveryDuty()
    {
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        Assert.That(c.State, Is.EqualTo(CaseState.Registered));
        Assert.That(c.Coverage, Is.EqualTo(Coverage.Full));

        Assert.That((await Ok(_w.Consult(c.Id))).State, Is.EqualTo(CaseState.OverlegStarted));
        Assert.That((await Ok(_w.Outcome(c.Id, OverlegOutcome.ReasonableSuspicion))).State, Is.EqualTo(CaseState.ReasonableSuspicion));

        // WHW art. 1.20 lid 2: inform BEFORE the aangifte; the aangifte first is refused with the state and the allowed steps.
        var early = await (await _w.Aangifte(c.Id)).Problem(HttpStatusCode.Conflict);
        Assert.That(early.GetProperty("currentState").GetString(), Is.EqualTo("ReasonableSuspicion"));
        Assert.That(early.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()),
            Is.EquivalentTo(new[] { "InformParties", "RecordInformingImpossible" }));

        Assert.That((await Ok(_w.Inform(c.Id))).State, Is.EqualTo(CaseState.PartiesInformed));
        Assert.That((await Ok(_w.Aangifte(c.Id))).State, Is.EqualTo(CaseState.AangifteFiled));
        Assert.That((await Ok(_w.NotifyInspector(c.Id))).State, Is.EqualTo(CaseState.InspectorNotified));
        Assert.That((await Ok(_w.FollowUp(c.Id))).State, Is.EqualTo(CaseState.Closed));

        var detail = await _w.Board.Case(c.Id);
        Assert.That(detail.Timeline.Select(t => t.Step), Is.EqualTo(new[]
        {
            "Opened", "StartConsultation", "ConcludeReasonableSuspicion", "InformParties", "FileAangifte", "NotifyInspectorOfAangifte", "RecordFollowUp",
        }));
        Assert.That(detail.Timeline.Select(t => t.ActorRole).Distinct(), Is.EquivalentTo(new[] { StaffRole.Board, StaffRole.Vertrouwensinspecteur }));
        Assert.That(detail.Timeline.All(t => t.ActorName.Length > 0), "every step names who took it");
        Assert.That(detail.Duties.Select(d => d.Kind), Is.EquivalentTo(new[]
        {
            DutyKind.StartOverleg, DutyKind.ConcludeOverleg, DutyKind.InformParties, DutyKind.Aangifte, DutyKind.NotifyInspectorOfAangifte,
        }));
        Assert.That(detail.Duties.All(d => d.Status == DutyStatus.Met), string.Join(", ", detail.Duties.Select(d => $"{d.Kind}:{d.Status}")));
        Assert.That(detail.Duties.All(d => d.LegalBasis.StartsWith("WHW art. 1.20 lid")), "each duty cites the sector's article");
        Assert.That(detail.CoverageReason, Does.Contain("minderjarige"));
        Assert.That(detail.RegimeId, Is.EqualTo(Regimes.ExtendedId));
    }

    [Test]
    public async Task Chain_AdultVictimZedenmisdrijfExtendedRegimeOn_OpensFullChainWithAfhankelijkheidsrelatie()
    {
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Adult, afhankelijkheidsrelatie: true);
        Assert.That(c.Coverage, Is.EqualTo(Coverage.Full));
        await Ok(_w.Consult(c.Id));
        await Ok(_w.Outcome(c.Id, OverlegOutcome.ReasonableSuspicion));
        await Ok(_w.Inform(c.Id, InformedParty.Student));
        await Ok(_w.Aangifte(c.Id));
        var detail = await _w.Board.Case(c.Id);
        Assert.That(detail.Afhankelijkheidsrelatie, Is.True);
        Assert.That(detail.RegimeId, Is.EqualTo(Regimes.ExtendedId));
        Assert.That(detail.Duties.Single(d => d.Kind == DutyKind.Aangifte).LegalBasis, Does.Contain("36 777"));
        Assert.That(detail.Duties.Single(d => d.Kind == DutyKind.NotifyInspectorOfAangifte).Status, Is.EqualTo(DutyStatus.Open));
    }

    [Test]
    public async Task Chain_AdultVictimLearnedBeforeExtendedRegimeDate_HasNoStatutoryDuty()
    {
        // The regime is chosen by the date the board learned of the matter: before 2024-01-01 today's law applies.
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Adult, learnedAt: new DateTimeOffset(2023, 6, 1, 10, 0, 0, TimeSpan.Zero));
        var detail = await _w.Board.Case(c.Id);
        Assert.That(detail.State, Is.EqualTo(CaseState.OutsideChain));
        Assert.That(detail.RegimeId, Is.EqualTo(Regimes.CurrentLawId));
        Assert.That(detail.Duties, Is.Empty);
    }

    [Test]
    public async Task Chain_SeksueleIntimidatieWithoutReclassification_MeldEnOverlegOnlyThenClosed()
    {
        var c = await _w.Register(IncidentType.SeksueleIntimidatie, VictimAge.Adult);
        Assert.That(c.Coverage, Is.EqualTo(Coverage.MeldEnOverleg));
        await Ok(_w.Consult(c.Id));
        Assert.That((await Ok(_w.Outcome(c.Id, OverlegOutcome.SexualHarassment))).State, Is.EqualTo(CaseState.SexualHarassmentFound));
        await (await _w.Aangifte(c.Id)).Problem(HttpStatusCode.Conflict);
        Assert.That((await Ok(_w.FollowUp(c.Id, FollowUp.ComplaintsProcedure))).State, Is.EqualTo(CaseState.Closed));

        var detail = await _w.Board.Case(c.Id);
        Assert.That(detail.Duties.Select(d => d.Kind), Is.EquivalentTo(new[] { DutyKind.StartOverleg, DutyKind.ConcludeOverleg }));
        Assert.That(detail.IncidentType, Is.EqualTo(IncidentType.SeksueleIntimidatie));
        Assert.That(detail.FollowUp, Is.EqualTo(FollowUp.ComplaintsProcedure));
    }

    [Test]
    public async Task Chain_SeksueleIntimidatieReclassifiedAsZedenmisdrijf_OpensAangifteDuties()
    {
        var c = await _w.Register(IncidentType.SeksueleIntimidatie, VictimAge.Minor);
        await Ok(_w.Consult(c.Id));
        await Ok(_w.Outcome(c.Id, OverlegOutcome.SexualHarassment));
        // The inspector later concludes it is a zedenmisdrijf after all.
        var after = await Ok(_w.Outcome(c.Id, OverlegOutcome.ReasonableSuspicion));
        Assert.That(after.State, Is.EqualTo(CaseState.ReasonableSuspicion));
        Assert.That(after.Coverage, Is.EqualTo(Coverage.Full));

        var detail = await _w.Board.Case(c.Id);
        Assert.That(detail.IncidentType, Is.EqualTo(IncidentType.Zedenmisdrijf));
        Assert.That(detail.ReportedIncidentType, Is.EqualTo(IncidentType.SeksueleIntimidatie));
        Assert.That(detail.Timeline.Select(t => t.Step), Does.Contain("Reclassified"));
        Assert.That(detail.Duties.Where(d => d.MetAt is null).Select(d => d.Kind),
            Is.EquivalentTo(new[] { DutyKind.InformParties, DutyKind.Aangifte }));

        await Ok(_w.Inform(c.Id));
        await Ok(_w.Aangifte(c.Id));
        Assert.That((await Ok(_w.NotifyInspector(c.Id))).State, Is.EqualTo(CaseState.InspectorNotified));
    }

    [Test]
    public async Task Chain_NoReasonableSuspicion_FollowUpClosesWithoutAangifteDuty()
    {
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await Ok(_w.Consult(c.Id));
        Assert.That((await Ok(_w.Outcome(c.Id, OverlegOutcome.NoReasonableSuspicion))).AllowedNext, Is.EqualTo(new[] { Domain.Workflow.CaseTrigger.RecordFollowUp }));
        await (await _w.Inform(c.Id)).Problem(HttpStatusCode.Conflict);
        Assert.That((await Ok(_w.FollowUp(c.Id, FollowUp.None))).State, Is.EqualTo(CaseState.Closed));
        var detail = await _w.Board.Case(c.Id);
        Assert.That(detail.Duties.Select(d => d.Kind), Has.None.EqualTo(DutyKind.Aangifte));
        Assert.That(detail.Timeline.Last().Details.GetProperty("reasoning").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Chain_CaseOutsideMatrix_OpensWithoutDutiesAndSaysWhy()
    {
        var c = await _w.Register(IncidentType.Bullying, VictimAge.Minor, AccusedRole.FellowStudent);
        var detail = await _w.Board.Case(c.Id);
        Assert.That(detail.State, Is.EqualTo(CaseState.OutsideChain));
        Assert.That(detail.Coverage, Is.EqualTo(Coverage.None));
        Assert.That(detail.Duties, Is.Empty);
        Assert.That(detail.CoverageReason, Does.Contain("geen plicht").IgnoreCase.Or.Contain("Buiten de matrix"));
        Assert.That((await Ok(_w.FollowUp(c.Id, FollowUp.ComplaintsProcedure))).State, Is.EqualTo(CaseState.Closed));
    }

    [Test]
    public async Task Chain_InformingImpossibleWithReason_AllowsAangifteAndFlagsInspector()
    {
        var c = await _w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        await Ok(_w.Consult(c.Id));
        await Ok(_w.Outcome(c.Id, OverlegOutcome.ReasonableSuspicion));
        var noReason = await (await _w.Board.Post($"/api/cases/{c.Id}/informing-impossible", new { reason = "" })).Problem(HttpStatusCode.BadRequest);
        Assert.That(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        await Ok(_w.Board.Post($"/api/cases/{c.Id}/informing-impossible", new { reason = "Op advies van de politie" }));
        await Ok(_w.Aangifte(c.Id));

        var seenByInspector = await _w.Inspector.Case(c.Id);
        Assert.That(seenByInspector.InformingImpossibleReason, Is.EqualTo("Op advies van de politie"));
        Assert.That(seenByInspector.Duties.Single(d => d.Kind == DutyKind.InformParties).Status, Is.EqualTo(DutyStatus.Met));
    }

    [Test]
    public async Task StaffNotification_FiledByStaffMember_OpensBoardCaseWithStepOneMet()
    {
        var learned = DateTimeOffset.UtcNow.AddHours(-1);
        var r = await (await _w.Staff.Post("/api/staff-notifications", new NotifyBoard(IncidentType.Zedenmisdrijf,
            new VictimInput(VictimKind.Student, VictimAge.Minor, false), AccusedRole.MetTakenBelastPersoon, learned, "Wat ik zag")))
            .Read<NotificationReceipt>(HttpStatusCode.Created);
        Assert.That(r.Number, Does.StartWith("CH-"));

        var list = await _w.Board.GetJson<List<CaseListItem>>("/api/cases");
        var item = list.Single(x => x.Number == r.Number);
        var detail = await _w.Board.Case(item.Id);
        Assert.That(detail.OpenedVia, Is.EqualTo(OpenedVia.StaffNotification));
        var step1 = detail.Duties.Single(d => d.Kind == DutyKind.StaffNotification);
        Assert.That(step1.Status, Is.EqualTo(DutyStatus.Met), "filed within 4 hours of learning");
        Assert.That(step1.LegalBasis, Does.EndWith("lid 3"));
        Assert.That(detail.Duties.Single(d => d.Kind == DutyKind.StartOverleg).Status, Is.EqualTo(DutyStatus.Open));
    }

    [Test]
    public async Task StaffNotification_FiledLate_StepOneMetLate()
    {
        var r = await (await _w.Staff.Post("/api/staff-notifications", new NotifyBoard(IncidentType.Zedenmisdrijf,
            new VictimInput(VictimKind.Student, VictimAge.Minor, false), AccusedRole.MetTakenBelastPersoon, DateTimeOffset.UtcNow.AddDays(-2), "Laat gemeld")))
            .Read<NotificationReceipt>(HttpStatusCode.Created);
        var item = (await _w.Board.GetJson<List<CaseListItem>>("/api/cases")).Single(x => x.Number == r.Number);
        var detail = await _w.Board.Case(item.Id);
        Assert.That(detail.Duties.Single(d => d.Kind == DutyKind.StaffNotification).Status, Is.EqualTo(DutyStatus.MetLate));
    }
}

/// <summary>The same chain with the extended regime switched off in configuration (today's law only).</summary>
public sealed class ChainWithoutExtendedRegimeTests
{
    [Test]
    public async Task Chain_AdultVictimZedenmisdrijfExtendedRegimeOff_OutsideChain()
    {
        var w = await World.Create(await TestHost.Get("current-law", new() { ["Rules:ExtendedRegimeEffectiveFrom"] = "" }));
        var c = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Adult, afhankelijkheidsrelatie: true);
        var detail = await w.Board.Case(c.Id);
        Assert.That(detail.State, Is.EqualTo(CaseState.OutsideChain));
        Assert.That(detail.RegimeId, Is.EqualTo(Regimes.CurrentLawId));
        Assert.That(detail.Duties, Is.Empty);
        Assert.That(detail.CoverageReason, Does.Contain("Meerderjarige"));

        // Seksuele intimidatie carries no duty under today's law either...
        var si = await w.Register(IncidentType.SeksueleIntimidatie, VictimAge.Minor);
        Assert.That(si.Coverage, Is.EqualTo(Coverage.None));
        // ...while a minor victim of a zedenmisdrijf still opens the full chain.
        var minor = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor);
        Assert.That(minor.Coverage, Is.EqualTo(Coverage.Full));
        Assert.That((await w.Board.Case(minor.Id)).RegimeId, Is.EqualTo(Regimes.CurrentLawId));
    }
}
