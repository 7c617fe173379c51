using CaseHandling.Domain.Cases.Timeline;
using System.Text.Json;
using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Tests.Workflow;
using CaseHandling.Domain.Workflow;

namespace CaseHandling.Domain.Tests.Cases;

public class CaseFireTests
{
    private static readonly DutyRules Rules =
        new(DutyMatrix.Create(new DateOnly(2024, 1, 1)), DeadlinePolicy.Default, WorkingDayCalendar.Default);

    private static readonly DutyRules CurrentLawOnly =
        new(DutyMatrix.Create(null), DeadlinePolicy.Default, WorkingDayCalendar.Default);

    /// <summary>Monday 2 March 2026, 10:00 in Amsterdam (CET, UTC+1).</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly Guid InstitutionId = Guid.Parse("0190f1a2-0000-7000-8000-000000000001");
    private static readonly TimelineDetails NoDetails = TimelineDetails.None;

    /// <summary>Zedenmisdrijf by a met taken belast persoon against a minor student in ho: the full chain.</summary>
    private static CaseFacts FullFacts(DateTimeOffset learned) =>
        new(Sector.Ho, IncidentType.Zedenmisdrijf, VictimKind.Student, VictimAge.Minor, false, AccusedRole.MetTakenBelastPersoon, learned);

    /// <summary>Bullying: outside the matrix in every regime.</summary>
    private static CaseFacts OutsideFacts(DateTimeOffset learned) =>
        new(Sector.Ho, IncidentType.Bullying, VictimKind.Student, VictimAge.Minor, false, AccusedRole.MetTakenBelastPersoon, learned);

    /// <summary>Seksuele intimidatie by a met taken belast persoon against an adult student in mbo.</summary>
    private static CaseFacts SexualHarassmentFacts(DateTimeOffset learned) =>
        new(Sector.Mbo, IncidentType.SeksueleIntimidatie, VictimKind.Student, VictimAge.Adult, true, AccusedRole.MetTakenBelastPersoon, learned);

    private static Actor ActorFor(StaffRole role) => new($"{role.ToString().ToLowerInvariant()}-user", role);

    private static Case Open(CaseFacts facts, DutyRules? rules = null) =>
        Case.Open(InstitutionId, facts, OpenedVia.BoardRegistration, ActorFor(StaffRole.Board), null, NoDetails, rules ?? Rules, Now);

    /// <summary>How each state is reached from an opened case, written out literally.</summary>
    private static readonly IReadOnlyDictionary<CaseState, (bool InChain, CaseTrigger[] Path)> PathTo =
        new Dictionary<CaseState, (bool, CaseTrigger[])>
        {
            [CaseState.Registered] = (true, []),
            [CaseState.OutsideChain] = (false, []),
            [CaseState.OverlegStarted] = (true, [CaseTrigger.StartOverleg]),
            [CaseState.MoreInformationNeeded] = (true, [CaseTrigger.StartOverleg, CaseTrigger.RequestMoreInformation]),
            [CaseState.ReasonableSuspicion] = (true, [CaseTrigger.StartOverleg, CaseTrigger.ConcludeReasonableSuspicion]),
            [CaseState.PartiesInformed] = (true, [CaseTrigger.StartOverleg, CaseTrigger.ConcludeReasonableSuspicion, CaseTrigger.InformParties]),
            [CaseState.InformingImpossible] = (true, [CaseTrigger.StartOverleg, CaseTrigger.ConcludeReasonableSuspicion, CaseTrigger.RecordInformingImpossible]),
            [CaseState.AangifteFiled] = (true, [CaseTrigger.StartOverleg, CaseTrigger.ConcludeReasonableSuspicion, CaseTrigger.InformParties, CaseTrigger.FileAangifte]),
            [CaseState.InspectorNotified] = (true, [CaseTrigger.StartOverleg, CaseTrigger.ConcludeReasonableSuspicion, CaseTrigger.InformParties, CaseTrigger.FileAangifte, CaseTrigger.NotifyInspectorOfAangifte]),
            [CaseState.SexualHarassmentFound] = (true, [CaseTrigger.StartOverleg, CaseTrigger.ConcludeSexualHarassment]),
            [CaseState.NoReasonableSuspicion] = (true, [CaseTrigger.StartOverleg, CaseTrigger.ConcludeNoReasonableSuspicion]),
            [CaseState.Closed] = (true, [CaseTrigger.StartOverleg, CaseTrigger.ConcludeNoReasonableSuspicion, CaseTrigger.RecordFollowUp]),
        };

    /// <summary>Opens a case and fires the literal path to <paramref name="state"/>, one hour apart; returns the case and the next free instant.</summary>
    private static (Case Case, DateTimeOffset Next) DriveTo(CaseState state)
    {
        var (inChain, path) = PathTo[state];
        var c = Open(inChain ? FullFacts(Now) : OutsideFacts(Now));
        var at = Now;
        foreach (var trigger in path)
        {
            at = at.AddHours(1);
            var result = c.Fire(trigger, ActorFor(ExpectedWorkflow.RoleOf[trigger]), at, NoDetails, Rules);
            Assert.That(result.IsSuccess, Is.True, $"driving to {state}: {trigger} failed with {result.Error}");
        }
        Assert.That(c.State, Is.EqualTo(state), "the literal path must reach the state");
        return (c, at.AddHours(1));
    }

    private static Duty DutyOf(Case c, DutyKind kind) => c.Duties.Single(d => d.Kind == kind);

    // ---- every (state, trigger) pair ------------------------------------------------------------

    private static IEnumerable<TestCaseData> LegalPairs() =>
        ExpectedWorkflow.Table.Where(t => !ExpectedWorkflow.OnlyWithoutAangifteDuty.Contains((t.From, t.Trigger))).Select(t =>
            new TestCaseData(t.From, t.Trigger, t.By, t.To).SetName($"Fire_{t.From}With{t.Trigger}By{t.By}_MovesTo{t.To}"));

    private static IEnumerable<TestCaseData> IllegalPairs() =>
        ExpectedWorkflow.AllPairs()
            .Where(p => ExpectedWorkflow.Find(p.State, p.Trigger) is null)
            .Select(p => new TestCaseData(p.State, p.Trigger).SetName($"Fire_{p.State}With{p.Trigger}_IsInvalidTransition"));

    private static IEnumerable<TestCaseData> WrongRolePairs() =>
        from t in ExpectedWorkflow.Table
        where !ExpectedWorkflow.OnlyWithoutAangifteDuty.Contains((t.From, t.Trigger))
        from role in Enum.GetValues<StaffRole>()
        where role != t.By
        select new TestCaseData(t.From, t.Trigger, role).SetName($"Fire_{t.From}With{t.Trigger}By{role}_IsForbidden");

    [TestCaseSource(nameof(LegalPairs))]
    public void Fire_LegalPairWithRightRole_MovesToNextState(CaseState from, CaseTrigger trigger, StaffRole by, CaseState to)
    {
        var (c, at) = DriveTo(from);
        var actor = ActorFor(by);

        var result = c.Fire(trigger, actor, at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.True, $"{result.Error}");
            Assert.That(c.State, Is.EqualTo(to));
            Assert.That(c.LastChangedAt, Is.EqualTo(at));
            // A reclassification is recorded right after the step that caused it.
            var last = c.Events.Last(e => e.Kind != "Reclassified");
            Assert.That(last.Kind, Is.EqualTo(WireName.Of(trigger)), "the timeline says the step by its published name");
            Assert.That(last.FromState, Is.EqualTo(from));
            Assert.That(last.ToState, Is.EqualTo(to));
            Assert.That(last.ActorUserId, Is.EqualTo(actor.UserId));
            Assert.That(last.ActorRole, Is.EqualTo(by));
            Assert.That(last.At, Is.EqualTo(at));
        }
    }

    [TestCaseSource(nameof(IllegalPairs))]
    public void Fire_IllegalPair_ReturnsInvalidTransitionAndLeavesStateUnchanged(CaseState state, CaseTrigger trigger)
    {
        var (c, at) = DriveTo(state);
        var events = c.Events.Count;
        var duties = c.Duties.Count;
        var lastChanged = c.LastChangedAt;

        var result = c.Fire(trigger, ActorFor(ExpectedWorkflow.RoleOf[trigger]), at, NoDetails, Rules);

        Assert.That(result.Error, Is.TypeOf<InvalidTransition>());
        var error = (InvalidTransition)result.Error!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(error.Code, Is.EqualTo("invalid_transition"));
            Assert.That(error.Current, Is.EqualTo(state));
            Assert.That(error.Attempted, Is.EqualTo(trigger));
            Assert.That(error.Allowed, Is.EquivalentTo(ExpectedWorkflow.AllowedFrom(state, hasAangifteDuty: PathTo[state].InChain)));
            Assert.That(error.Message, Does.Contain(WireName.Of(state)).And.Contain(WireName.Of(trigger)));
            Assert.That(c.State, Is.EqualTo(state));
            Assert.That(c.Events, Has.Count.EqualTo(events));
            Assert.That(c.Duties, Has.Count.EqualTo(duties));
            Assert.That(c.LastChangedAt, Is.EqualTo(lastChanged));
        }
    }

    [TestCaseSource(nameof(WrongRolePairs))]
    public void Fire_RightTriggerWrongRole_ReturnsForbiddenAndLeavesStateUnchanged(CaseState state, CaseTrigger trigger, StaffRole wrongRole)
    {
        var (c, at) = DriveTo(state);
        var events = c.Events.Count;
        var duties = c.Duties.Select(d => (d.Kind, d.MetAt)).ToList();
        var incident = c.IncidentType;
        var coverage = c.Coverage;

        var result = c.Fire(trigger, ActorFor(wrongRole), at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Error, Is.TypeOf<Forbidden>());
            Assert.That(result.Error?.Code, Is.EqualTo("forbidden"));
            Assert.That(c.State, Is.EqualTo(state));
            Assert.That(c.Events, Has.Count.EqualTo(events));
            Assert.That(c.Duties.Select(d => (d.Kind, d.MetAt)), Is.EqualTo(duties));
            Assert.That(c.IncidentType, Is.EqualTo(incident));
            Assert.That(c.Coverage, Is.EqualTo(coverage));
        }
    }

    // ---- duties ---------------------------------------------------------------------------------

    [Test]
    public void Open_FullCoverageCase_OpensStartOverlegDueNextWorkingDayNoonAmsterdam()
    {
        var c = Open(FullFacts(Now));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.State, Is.EqualTo(CaseState.Registered));
            Assert.That(c.Coverage, Is.EqualTo(Coverage.Full));
            Assert.That(c.Duties.Select(d => d.Kind), Is.EqualTo(new[] { DutyKind.StartOverleg }));
            var duty = DutyOf(c, DutyKind.StartOverleg);
            // Tuesday 3 March 2026, 12:00 CET = 11:00 UTC.
            Assert.That(duty.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 3, 11, 0, 0, TimeSpan.Zero)));
            Assert.That(DutchTime.ToLocal(duty.DueAt), Is.EqualTo(new DateTime(2026, 3, 3, 12, 0, 0)));
            Assert.That(duty.OpenedAt, Is.EqualTo(Now));
            Assert.That(duty.Step, Is.EqualTo(2));
            Assert.That(duty.Responsible, Is.EqualTo(StaffRole.Board));
            Assert.That(duty.CaseId, Is.EqualTo(c.Id));
            Assert.That(duty.InstitutionId, Is.EqualTo(InstitutionId));
            Assert.That(duty.LegalBasis, Is.EqualTo("WHW art. 1.20 lid 1"));
            Assert.That(duty.RegimeId, Is.EqualTo(Regimes.ExtendedId));
            Assert.That(duty.StatusAt(Now), Is.EqualTo(DutyStatus.Open));
            Assert.That(duty.StatusAt(duty.DueAt.AddMinutes(1)), Is.EqualTo(DutyStatus.Overdue));
        }
    }

    [Test]
    public void Open_FridayAfternoon_StartOverlegDueMondayNoon()
    {
        // Friday 6 March 2026, 16:00 Amsterdam.
        var friday = new DateTimeOffset(2026, 3, 6, 15, 0, 0, TimeSpan.Zero);
        var c = Case.Open(InstitutionId, FullFacts(friday), OpenedVia.BoardRegistration, ActorFor(StaffRole.Board), null, NoDetails, Rules, friday);

        Assert.That(DutyOf(c, DutyKind.StartOverleg).DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 9, 11, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void StartConsultation_OnRegisteredCase_MeetsStartOverlegAndOpensConcludeOverleg()
    {
        var c = Open(FullFacts(Now));
        var at = Now.AddHours(1);

        var result = c.StartOverleg(ActorFor(StaffRole.Board), "inspector-7", at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(c.InspectorUserId, Is.EqualTo("inspector-7"));
            Assert.That(DutyOf(c, DutyKind.StartOverleg).MetAt, Is.EqualTo(at));
            Assert.That(DutyOf(c, DutyKind.StartOverleg).StatusAt(at), Is.EqualTo(DutyStatus.Met));
            var conclude = DutyOf(c, DutyKind.ConcludeOverleg);
            Assert.That(conclude.OpenedAt, Is.EqualTo(at));
            Assert.That(conclude.MetAt, Is.Null);
            Assert.That(conclude.Responsible, Is.EqualTo(StaffRole.Vertrouwensinspecteur));
            // 2 working days after Monday 11:00 Amsterdam: Wednesday 4 March, 11:00 CET = 10:00 UTC.
            Assert.That(conclude.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero)));
            Assert.That(conclude.LegalBasis, Is.EqualTo("WHW art. 1.20 lid 2"));
        }
    }

    [Test]
    public void StartConsultation_ByWrongRole_DoesNotRecordInspector()
    {
        var c = Open(FullFacts(Now));

        var result = c.StartOverleg(ActorFor(StaffRole.MeldpuntHandler), "inspector-7", Now.AddHours(1), NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Error, Is.TypeOf<Forbidden>());
            Assert.That(c.InspectorUserId, Is.Null);
            Assert.That(DutyOf(c, DutyKind.StartOverleg).MetAt, Is.Null);
        }
    }

    [Test]
    public void ConcludeReasonableSuspicion_AfterConsultation_MeetsConcludeOverlegAndOpensInformPartiesAndAangifte()
    {
        var (c, at) = DriveTo(CaseState.OverlegStarted);

        var result = c.Fire(CaseTrigger.ConcludeReasonableSuspicion, ActorFor(StaffRole.Vertrouwensinspecteur), at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(DutyOf(c, DutyKind.ConcludeOverleg).MetAt, Is.EqualTo(at));
            Assert.That(c.Duties.Where(d => d.MetAt is null).Select(d => d.Kind),
                Is.EquivalentTo(new[] { DutyKind.InformParties, DutyKind.Aangifte }));
            Assert.That(DutyOf(c, DutyKind.InformParties).Step, Is.EqualTo(4));
            Assert.That(DutyOf(c, DutyKind.Aangifte).Step, Is.EqualTo(5));
            Assert.That(DutyOf(c, DutyKind.Aangifte).OpenedAt, Is.EqualTo(at));
            // 1 working day after Monday 12:00 Amsterdam: Tuesday 3 March 12:00 CET = 11:00 UTC.
            Assert.That(DutyOf(c, DutyKind.Aangifte).DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 3, 11, 0, 0, TimeSpan.Zero)));
        }
    }

    [Test]
    public void ConcludeNoReasonableSuspicion_AfterConsultation_OpensNoAangifteDuties()
    {
        var (c, at) = DriveTo(CaseState.OverlegStarted);

        c.Fire(CaseTrigger.ConcludeNoReasonableSuspicion, ActorFor(StaffRole.Vertrouwensinspecteur), at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(DutyOf(c, DutyKind.ConcludeOverleg).MetAt, Is.EqualTo(at));
            Assert.That(c.Duties.Select(d => d.Kind), Is.EquivalentTo(new[] { DutyKind.StartOverleg, DutyKind.ConcludeOverleg }));
        }
    }

    [Test]
    public void FileAangifte_AfterPartiesInformed_MeetsAangifteAndOpensNotifyInspector()
    {
        var (c, at) = DriveTo(CaseState.PartiesInformed);

        var result = c.Fire(CaseTrigger.FileAangifte, ActorFor(StaffRole.Board), at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(DutyOf(c, DutyKind.InformParties).MetAt, Is.Not.Null);
            Assert.That(DutyOf(c, DutyKind.Aangifte).MetAt, Is.EqualTo(at));
            var notify = DutyOf(c, DutyKind.NotifyInspectorOfAangifte);
            Assert.That(notify.Step, Is.EqualTo(6));
            Assert.That(notify.MetAt, Is.Null);
            Assert.That(notify.OpenedAt, Is.EqualTo(at));
            // End of the next working day: Tuesday 3 March 23:59 CET = 22:59 UTC.
            Assert.That(notify.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 3, 22, 59, 0, TimeSpan.Zero)));
        }
    }

    [Test]
    public void NotifyInspectorOfAangifte_AfterAangifte_MeetsLastDuty()
    {
        var (c, at) = DriveTo(CaseState.AangifteFiled);

        c.Fire(CaseTrigger.NotifyInspectorOfAangifte, ActorFor(StaffRole.Board), at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(DutyOf(c, DutyKind.NotifyInspectorOfAangifte).MetAt, Is.EqualTo(at));
            Assert.That(c.Duties.Where(d => d.MetAt is null), Is.Empty);
        }
    }

    [Test]
    public void RecordInformingImpossible_WithReason_MeetsInformPartiesAndKeepsReason()
    {
        var (c, at) = DriveTo(CaseState.ReasonableSuspicion);

        var result = c.RecordInformingImpossible(ActorFor(StaffRole.Board), "Politie adviseert niet te informeren", at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(c.State, Is.EqualTo(CaseState.InformingImpossible));
            Assert.That(c.InformingImpossibleReason, Is.EqualTo("Politie adviseert niet te informeren"));
            Assert.That(DutyOf(c, DutyKind.InformParties).MetAt, Is.EqualTo(at));
            Assert.That(DutyOf(c, DutyKind.Aangifte).MetAt, Is.Null);
        }
    }

    [Test]
    public void RecordFollowUp_FromNoReasonableSuspicion_ClosesAndKeepsFollowUp()
    {
        var (c, at) = DriveTo(CaseState.NoReasonableSuspicion);

        var result = c.RecordFollowUp(ActorFor(StaffRole.Board), FollowUp.EmploymentMeasures, at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(c.State, Is.EqualTo(CaseState.Closed));
            Assert.That(c.FollowUp, Is.EqualTo(FollowUp.EmploymentMeasures));
        }
    }

    [Test]
    public void RecordFollowUp_FromReasonableSuspicion_IsRefusedAndKeepsNoFollowUp()
    {
        var (c, at) = DriveTo(CaseState.ReasonableSuspicion);

        var result = c.RecordFollowUp(ActorFor(StaffRole.Board), FollowUp.None, at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Error, Is.TypeOf<InvalidTransition>());
            Assert.That(c.FollowUp, Is.Null);
            Assert.That(c.State, Is.EqualTo(CaseState.ReasonableSuspicion));
        }
    }

    [Test]
    public void Fire_DutyMetAfterDueAt_IsMetLate()
    {
        var c = Open(FullFacts(Now));
        var late = new DateTimeOffset(2026, 3, 3, 11, 1, 0, TimeSpan.Zero); // one minute after Tuesday 12:00 Amsterdam

        c.Fire(CaseTrigger.StartOverleg, ActorFor(StaffRole.Board), late, NoDetails, Rules);

        var duty = DutyOf(c, DutyKind.StartOverleg);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(duty.MetAt, Is.EqualTo(late));
            Assert.That(duty.StatusAt(late), Is.EqualTo(DutyStatus.MetLate));
            Assert.That(duty.StatusAt(late.AddDays(30)), Is.EqualTo(DutyStatus.MetLate));
        }
    }

    [Test]
    public void Fire_DutyMetExactlyAtDueAt_IsMet()
    {
        var c = Open(FullFacts(Now));
        var due = DutyOf(c, DutyKind.StartOverleg).DueAt;

        c.Fire(CaseTrigger.StartOverleg, ActorFor(StaffRole.Board), due, NoDetails, Rules);

        Assert.That(DutyOf(c, DutyKind.StartOverleg).StatusAt(due.AddDays(1)), Is.EqualTo(DutyStatus.Met));
    }

    [TestCase(6, DutyStatus.MetLate, TestName = "Open_StaffNotificationLearned6HoursBefore_StaffNotificationMetLate")]
    [TestCase(4, DutyStatus.Met, TestName = "Open_StaffNotificationLearnedExactly4HoursBefore_StaffNotificationMet")]
    [TestCase(1, DutyStatus.Met, TestName = "Open_StaffNotificationLearned1HourBefore_StaffNotificationMet")]
    public void Open_StaffNotification_StaffNotificationDutyMetAtOpening(int hoursBefore, DutyStatus expected)
    {
        var learned = Now.AddHours(-hoursBefore);
        var c = Case.Open(InstitutionId, FullFacts(Now), OpenedVia.StaffNotification, ActorFor(StaffRole.StaffMember),
            learned, NoDetails, Rules, Now);

        var duty = DutyOf(c, DutyKind.StaffNotification);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(duty.Step, Is.EqualTo(1));
            Assert.That(duty.Responsible, Is.EqualTo(StaffRole.StaffMember));
            Assert.That(duty.OpenedAt, Is.EqualTo(learned));
            Assert.That(duty.DueAt, Is.EqualTo(learned.AddHours(4)));
            Assert.That(duty.MetAt, Is.EqualTo(Now));
            Assert.That(duty.StatusAt(Now), Is.EqualTo(expected));
            Assert.That(duty.LegalBasis, Is.EqualTo("WHW art. 1.20 lid 3"));
            Assert.That(c.OpenedVia, Is.EqualTo(OpenedVia.StaffNotification));
            Assert.That(c.Duties.Select(d => d.Kind), Is.EquivalentTo(new[] { DutyKind.StaffNotification, DutyKind.StartOverleg }));
        }
    }

    [Test]
    public void Open_BoardRegistration_HasNoStaffNotificationDuty() =>
        Assert.That(Open(FullFacts(Now)).Duties.Select(d => d.Kind), Does.Not.Contain(DutyKind.StaffNotification));

    [Test]
    public void Open_StaffNotificationOutsideMatrix_HasNoDuties()
    {
        var c = Case.Open(InstitutionId, OutsideFacts(Now), OpenedVia.StaffNotification, ActorFor(StaffRole.StaffMember),
            Now.AddHours(-6), NoDetails, Rules, Now);

        Assert.That(c.Duties, Is.Empty);
    }

    [Test]
    public void Open_CaseOutsideMatrix_IsOutsideChainWithNoDuties()
    {
        var c = Open(OutsideFacts(Now));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.State, Is.EqualTo(CaseState.OutsideChain));
            Assert.That(c.Coverage, Is.EqualTo(Coverage.None));
            Assert.That(c.Duties, Is.Empty);
            Assert.That(c.CoverageReason, Is.Not.Empty);
        }
    }

    [Test]
    public void StartConsultation_OutsideChain_OpensNoDuties()
    {
        var (c, _) = DriveTo(CaseState.OutsideChain);

        c.Fire(CaseTrigger.StartOverleg, ActorFor(StaffRole.Board), Now.AddHours(1), NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.State, Is.EqualTo(CaseState.OverlegStarted));
            Assert.That(c.Duties, Is.Empty);
        }
    }

    [Test]
    public void Open_SexualHarassmentUnderExtendedRegime_CoverageMeldEnOverleg()
    {
        var c = Open(SexualHarassmentFacts(Now));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.State, Is.EqualTo(CaseState.Registered));
            Assert.That(c.Coverage, Is.EqualTo(Coverage.MeldEnOverleg));
            Assert.That(c.RegimeId, Is.EqualTo(Regimes.ExtendedId));
            Assert.That(c.Duties.Select(d => d.Kind), Is.EqualTo(new[] { DutyKind.StartOverleg }));
            Assert.That(DutyOf(c, DutyKind.StartOverleg).LegalBasis, Does.Contain("36 777"));
        }
    }

    [Test]
    public void ConcludeReasonableSuspicion_OnSexualHarassmentCase_ReclassifiesToZedenmisdrijfAndOpensAangifteDuties()
    {
        var c = Open(SexualHarassmentFacts(Now));
        c.Fire(CaseTrigger.StartOverleg, ActorFor(StaffRole.Board), Now.AddHours(1), NoDetails, Rules);
        var at = Now.AddHours(2);

        var result = c.Fire(CaseTrigger.ConcludeReasonableSuspicion, ActorFor(StaffRole.Vertrouwensinspecteur), at, NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(c.State, Is.EqualTo(CaseState.ReasonableSuspicion));
            Assert.That(c.IncidentType, Is.EqualTo(IncidentType.Zedenmisdrijf));
            Assert.That(c.ReportedIncidentType, Is.EqualTo(IncidentType.SeksueleIntimidatie));
            Assert.That(c.Coverage, Is.EqualTo(Coverage.Full));
            Assert.That(c.RegimeId, Is.EqualTo(Regimes.ExtendedId));
            Assert.That(DutyOf(c, DutyKind.ConcludeOverleg).MetAt, Is.EqualTo(at));
            Assert.That(c.Duties.Where(d => d.MetAt is null).Select(d => d.Kind),
                Is.EquivalentTo(new[] { DutyKind.InformParties, DutyKind.Aangifte }));
            Assert.That(DutyOf(c, DutyKind.Aangifte).LegalBasis, Is.EqualTo("Wetsvoorstel 36 777 jo WEB art. 1.3.8 lid 2"));

            var reclassified = c.Events.SingleOrDefault(e => e.Kind == "Reclassified");
            Assert.That(reclassified, Is.Not.Null);
            var details = JsonSerializer.Deserialize<Dictionary<string, string?>>(reclassified!.DetailsJson)!;
            Assert.That(details["from"], Is.EqualTo(nameof(IncidentType.SeksueleIntimidatie)));
            Assert.That(details["to"], Is.EqualTo(nameof(IncidentType.Zedenmisdrijf)));
            Assert.That(details["coverage"], Is.EqualTo(nameof(Coverage.Full)));
            Assert.That(reclassified.ActorRole, Is.EqualTo(StaffRole.Vertrouwensinspecteur));
            Assert.That(reclassified.At, Is.EqualTo(at));
        }
    }

    [Test]
    public void ConcludeReasonableSuspicion_AfterSexualHarassmentFound_ReclassifiesAndOpensAangifteDuties()
    {
        var c = Open(SexualHarassmentFacts(Now));
        c.Fire(CaseTrigger.StartOverleg, ActorFor(StaffRole.Board), Now.AddHours(1), NoDetails, Rules);
        c.Fire(CaseTrigger.ConcludeSexualHarassment, ActorFor(StaffRole.Vertrouwensinspecteur), Now.AddHours(2), NoDetails, Rules);
        Assert.That(c.Duties.Select(d => d.Kind), Is.EquivalentTo(new[] { DutyKind.StartOverleg, DutyKind.ConcludeOverleg }),
            "a finding of seksuele intimidatie opens no aangifte duty");

        c.Fire(CaseTrigger.ConcludeReasonableSuspicion, ActorFor(StaffRole.Vertrouwensinspecteur), Now.AddHours(3), NoDetails, Rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.IncidentType, Is.EqualTo(IncidentType.Zedenmisdrijf));
            Assert.That(c.Coverage, Is.EqualTo(Coverage.Full));
            Assert.That(c.Duties.Where(d => d.MetAt is null).Select(d => d.Kind),
                Is.EquivalentTo(new[] { DutyKind.InformParties, DutyKind.Aangifte }));
        }
    }

    [Test]
    public void Open_SexualHarassmentUnderCurrentLawOnly_IsOutsideChain()
    {
        var c = Open(SexualHarassmentFacts(Now), CurrentLawOnly);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.State, Is.EqualTo(CaseState.OutsideChain));
            Assert.That(c.Coverage, Is.EqualTo(Coverage.None));
            Assert.That(c.RegimeId, Is.EqualTo(Regimes.CurrentLawId));
            Assert.That(c.Duties, Is.Empty);
        }
    }

    // ---- timeline ------------------------------------------------------------------------------

    [Test]
    public void Open_AnyCase_RecordsOpenedEventAsSequenceOne()
    {
        var c = Open(FullFacts(Now));

        var opened = c.Events.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(opened.Sequence, Is.EqualTo(1));
            Assert.That(opened.Kind, Is.EqualTo("Opened"));
            Assert.That(opened.FromState, Is.Null);
            Assert.That(opened.ToState, Is.EqualTo(CaseState.Registered));
            Assert.That(opened.ActorUserId, Is.EqualTo(ActorFor(StaffRole.Board).UserId));
            Assert.That(opened.ActorRole, Is.EqualTo(StaffRole.Board));
            Assert.That(opened.At, Is.EqualTo(Now));
            Assert.That(opened.CaseId, Is.EqualTo(c.Id));
        }
    }

    [Test]
    public void Fire_EachStepOfTheFullChain_AddsOneEventWithIncreasingSequence()
    {
        var c = Open(FullFacts(Now));
        CaseTrigger[] chain =
        [
            CaseTrigger.StartOverleg, CaseTrigger.ConcludeReasonableSuspicion, CaseTrigger.InformParties,
            CaseTrigger.FileAangifte, CaseTrigger.NotifyInspectorOfAangifte, CaseTrigger.RecordFollowUp,
        ];
        var details = new FollowUpRecorded("stap", null);

        var at = Now;
        foreach (var trigger in chain)
        {
            at = at.AddMinutes(30);
            var from = c.State;
            var before = c.Events.Count;
            var actor = ActorFor(ExpectedWorkflow.RoleOf[trigger]);

            var result = c.Fire(trigger, actor, at, details, Rules);

            Assert.That(result.IsSuccess, Is.True, $"{trigger}: {result.Error}");
            Assert.That(c.Events, Has.Count.EqualTo(before + 1), $"{trigger} adds exactly one event");
            var e = c.Events[^1];
            using (Assert.EnterMultipleScope())
            {
                Assert.That(e.Sequence, Is.EqualTo(before + 1));
                Assert.That(e.Sequence, Is.GreaterThan(c.Events[^2].Sequence));
                Assert.That(e.Kind, Is.EqualTo(WireName.Of(trigger)));
                Assert.That(e.FromState, Is.EqualTo(from));
                Assert.That(e.ToState, Is.EqualTo(c.State));
                Assert.That(e.ToState, Is.EqualTo(ExpectedWorkflow.Find(from, trigger)!.Value.To));
                Assert.That(e.ActorUserId, Is.EqualTo(actor.UserId));
                Assert.That(e.ActorRole, Is.EqualTo(actor.Role));
                Assert.That(e.At, Is.EqualTo(at));
                Assert.That(e.CaseId, Is.EqualTo(c.Id));
                Assert.That(JsonSerializer.Deserialize<Dictionary<string, string?>>(e.DetailsJson)!["followUp"], Is.EqualTo("stap"), "the details as given");
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.State, Is.EqualTo(CaseState.Closed));
            Assert.That(c.Events.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, chain.Length + 1)));
            Assert.That(c.Events.Select(e => e.Id), Is.Unique);
            Assert.That(c.Duties.Where(d => d.MetAt is null), Is.Empty);
            Assert.That(c.Duties.Select(d => d.StatusAt(at)), Is.All.EqualTo(DutyStatus.Met));
        }
    }
    // ---- the guarded row: closing after a redelijk vermoeden only without an aangifte duty ------------------

    [Test]
    public void Fire_FollowUpAfterReasonableSuspicionWithAangifteDuty_IsInvalidTransition()
    {
        var (c, at) = DriveTo(CaseState.ReasonableSuspicion);
        var result = c.Fire(CaseTrigger.RecordFollowUp, ActorFor(StaffRole.Board), at, NoDetails, Rules);
        Assert.That(result.Error, Is.TypeOf<InvalidTransition>());
        Assert.That(((InvalidTransition)result.Error!).Allowed,
            Is.EquivalentTo(new[] { CaseTrigger.InformParties, CaseTrigger.RecordInformingImpossible }));
        Assert.That(c.State, Is.EqualTo(CaseState.ReasonableSuspicion));
    }

    [Test]
    public void Fire_FollowUpAfterVoluntaryOverlegOutsideMatrix_ClosesWithoutAangifte()
    {
        // A staff member as the victim: no duty under these articles, whatever the overleg concludes.
        var c = Open(new CaseFacts(Sector.Ho, IncidentType.Zedenmisdrijf, VictimKind.StaffMember, VictimAge.Adult, false, AccusedRole.MetTakenBelastPersoon, Now));
        Assert.That(c.State, Is.EqualTo(CaseState.OutsideChain));
        Assert.That(c.Fire(CaseTrigger.StartOverleg, ActorFor(StaffRole.Board), Now.AddHours(1), NoDetails, Rules).IsSuccess);
        Assert.That(c.Fire(CaseTrigger.ConcludeReasonableSuspicion, ActorFor(StaffRole.Vertrouwensinspecteur), Now.AddHours(2), NoDetails, Rules).IsSuccess);
        Assert.That(c.Coverage, Is.Not.EqualTo(Coverage.Full));
        Assert.That(c.AllowedNext, Does.Contain(CaseTrigger.RecordFollowUp));
        Assert.That(c.Fire(CaseTrigger.RecordFollowUp, ActorFor(StaffRole.Vertrouwensinspecteur), Now.AddHours(3), NoDetails, Rules).Error, Is.TypeOf<Forbidden>());
        Assert.That(c.Fire(CaseTrigger.RecordFollowUp, ActorFor(StaffRole.Board), Now.AddHours(3), NoDetails, Rules).IsSuccess);
        Assert.That(c.State, Is.EqualTo(CaseState.Closed));
        Assert.That(c.Duties.Where(d => d.Kind == DutyKind.Aangifte), Is.Empty);
    }

    [TestCase(StaffRole.Vertrouwensinspecteur)]
    [TestCase(StaffRole.StaffMember)]
    [TestCase(StaffRole.MeldpuntHandler)]
    public void LegalHold_OnlyTheBoardSetsIt(StaffRole role)
    {
        var c = Open(FullFacts(Now));
        Assert.That(c.SetLegalHold(ActorFor(role), true, Now).Error, Is.TypeOf<Forbidden>());
        Assert.That(c.LegalHold, Is.False);
        Assert.That(c.SetLegalHold(ActorFor(StaffRole.Board), true, Now).IsSuccess, Is.True);
        Assert.That(c.LegalHold, Is.True);
    }
}
