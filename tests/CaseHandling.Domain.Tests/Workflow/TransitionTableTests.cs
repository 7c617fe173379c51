using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Workflow;
using static CaseHandling.Domain.Cases.CaseState;
using static CaseHandling.Domain.Cases.StaffRole;
using static CaseHandling.Domain.Workflow.CaseTrigger;

namespace CaseHandling.Domain.Tests.Workflow;

/// <summary>
/// The transition table as WORKFLOW.md describes it, written out independently of the production table,
/// so that any change to <see cref="Transitions.Table"/> fails a test here. Shared with the case tests.
/// </summary>
internal static class ExpectedWorkflow
{
    public static readonly (CaseState From, CaseTrigger Trigger, StaffRole By, CaseState To)[] Table =
    [
        (Registered,            StartOverleg,             Board,                 OverlegStarted),
        (OutsideChain,          StartOverleg,             Board,                 OverlegStarted),
        (OutsideChain,          RecordFollowUp,                Board,                 Closed),
        (OverlegStarted,   ConcludeReasonableSuspicion,   Vertrouwensinspecteur, ReasonableSuspicion),
        (OverlegStarted,   ConcludeSexualHarassment,      Vertrouwensinspecteur, SexualHarassmentFound),
        (OverlegStarted,   ConcludeNoReasonableSuspicion, Vertrouwensinspecteur, NoReasonableSuspicion),
        (OverlegStarted,   RequestMoreInformation,        Vertrouwensinspecteur, MoreInformationNeeded),
        (MoreInformationNeeded, ConcludeReasonableSuspicion,   Vertrouwensinspecteur, ReasonableSuspicion),
        (MoreInformationNeeded, ConcludeSexualHarassment,      Vertrouwensinspecteur, SexualHarassmentFound),
        (MoreInformationNeeded, ConcludeNoReasonableSuspicion, Vertrouwensinspecteur, NoReasonableSuspicion),
        (MoreInformationNeeded, RequestMoreInformation,        Vertrouwensinspecteur, MoreInformationNeeded),
        (SexualHarassmentFound, ConcludeReasonableSuspicion,   Vertrouwensinspecteur, ReasonableSuspicion),
        (SexualHarassmentFound, RecordFollowUp,                Board,                 Closed),
        (ReasonableSuspicion,   InformParties,                 Board,                 PartiesInformed),
        (ReasonableSuspicion,   RecordInformingImpossible,     Board,                 InformingImpossible),
        (ReasonableSuspicion,   RecordFollowUp,                Board,                 Closed), // guarded: only without aangifte duty
        (PartiesInformed,       FileAangifte,                  Board,                 AangifteFiled),
        (InformingImpossible,   FileAangifte,                  Board,                 AangifteFiled),
        (AangifteFiled,         NotifyInspectorOfAangifte,     Board,                 InspectorNotified),
        (InspectorNotified,     RecordFollowUp,                Board,                 Closed),
        (NoReasonableSuspicion, RecordFollowUp,                Board,                 Closed),
    ];

    /// <summary>The one role of each trigger.</summary>
    public static readonly IReadOnlyDictionary<CaseTrigger, StaffRole> RoleOf = new Dictionary<CaseTrigger, StaffRole>
    {
        [StartOverleg] = Board,
        [ConcludeReasonableSuspicion] = Vertrouwensinspecteur,
        [ConcludeSexualHarassment] = Vertrouwensinspecteur,
        [ConcludeNoReasonableSuspicion] = Vertrouwensinspecteur,
        [RequestMoreInformation] = Vertrouwensinspecteur,
        [InformParties] = Board,
        [RecordInformingImpossible] = Board,
        [FileAangifte] = Board,
        [NotifyInspectorOfAangifte] = Board,
        [RecordFollowUp] = Board,
    };

    public static (StaffRole By, CaseState To)? Find(CaseState from, CaseTrigger trigger) =>
        Table.Where(t => t.From == from && t.Trigger == trigger).Select(t => ((StaffRole, CaseState)?)(t.By, t.To)).SingleOrDefault();

    public static CaseTrigger[] AllowedFrom(CaseState from) =>
        [.. Table.Where(t => t.From == from).Select(t => t.Trigger)];

    /// <summary>Rows that apply only when the case has no aangifte duty (coverage below Full).</summary>
    public static readonly HashSet<(CaseState From, CaseTrigger Trigger)> OnlyWithoutAangifteDuty = [(ReasonableSuspicion, RecordFollowUp)];

    /// <summary>What a case allows in a state: the table, minus guarded rows when the case carries the aangifte duty.</summary>
    public static CaseTrigger[] AllowedFrom(CaseState from, bool hasAangifteDuty) =>
        [.. AllowedFrom(from).Where(t => !hasAangifteDuty || !OnlyWithoutAangifteDuty.Contains((from, t)))];

    public static IEnumerable<(CaseState State, CaseTrigger Trigger)> AllPairs() =>
        from state in Enum.GetValues<CaseState>()
        from trigger in Enum.GetValues<CaseTrigger>()
        select (state, trigger);
}

public class TransitionTableTests
{
    private static IEnumerable<TestCaseData> LegalPairs() =>
        ExpectedWorkflow.AllPairs()
            .Where(p => ExpectedWorkflow.Find(p.State, p.Trigger) is not null)
            .Select(p =>
            {
                var (by, to) = ExpectedWorkflow.Find(p.State, p.Trigger)!.Value;
                return new TestCaseData(p.State, p.Trigger, by, to).SetName($"Find_{p.State}With{p.Trigger}_GoesTo{to}By{by}");
            });

    private static IEnumerable<TestCaseData> IllegalPairs() =>
        ExpectedWorkflow.AllPairs()
            .Where(p => ExpectedWorkflow.Find(p.State, p.Trigger) is null)
            .Select(p => new TestCaseData(p.State, p.Trigger).SetName($"Find_{p.State}With{p.Trigger}_IsNull"));

    [TestCaseSource(nameof(LegalPairs))]
    public void Find_PairInTable_GivesExpectedTransition(CaseState from, CaseTrigger trigger, StaffRole by, CaseState to)
    {
        var transition = Transitions.Find(from, trigger);
        Assert.That(transition, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition!.From, Is.EqualTo(from));
            Assert.That(transition.Trigger, Is.EqualTo(trigger));
            Assert.That(transition.By, Is.EqualTo(by));
            Assert.That(transition.To, Is.EqualTo(to));
            Assert.That(Transitions.AllowedFrom(from), Does.Contain(trigger));
        }
    }

    [TestCaseSource(nameof(IllegalPairs))]
    public void Find_PairNotInTable_ReturnsNullAndIsNotAllowed(CaseState from, CaseTrigger trigger)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Transitions.Find(from, trigger), Is.Null);
            Assert.That(Transitions.AllowedFrom(from), Does.Not.Contain(trigger));
        }
    }

    [Test]
    public void Table_ComparedWithExpected_HasSameRowsAndNoDuplicateKeys()
    {
        var actual = Transitions.Table.Select(t => (t.From, t.Trigger, t.By, t.To)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual, Is.EquivalentTo(ExpectedWorkflow.Table));
            Assert.That(actual.Select(t => (t.From, t.Trigger)), Is.Unique);
        }
    }

    private static IEnumerable<TestCaseData> StatesForAllowed() =>
        Enum.GetValues<CaseState>().Select(s => new TestCaseData(s).SetName($"AllowedFrom_{s}_EqualsExpectedTriggers"));

    [TestCaseSource(nameof(StatesForAllowed))]
    public void AllowedFrom_EachState_EqualsExpectedTriggers(CaseState state) =>
        Assert.That(Transitions.AllowedFrom(state), Is.EquivalentTo(ExpectedWorkflow.AllowedFrom(state)));

    [Test]
    public void AllowedFrom_Closed_IsEmpty()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Transitions.AllowedFrom(Closed), Is.Empty);
            Assert.That(Transitions.Table.Where(t => t.From == Closed), Is.Empty);
        }
    }

    private static IEnumerable<TestCaseData> NonFinalStates() =>
        Enum.GetValues<CaseState>().Where(s => s != Closed)
            .Select(s => new TestCaseData(s).SetName($"AllowedFrom_{s}_HasAWayOut"));

    [TestCaseSource(nameof(NonFinalStates))]
    public void AllowedFrom_NonFinalState_HasAWayOut(CaseState state) =>
        Assert.That(Transitions.AllowedFrom(state), Is.Not.Empty);

    private static IEnumerable<TestCaseData> AllStates() =>
        Enum.GetValues<CaseState>().Select(s => new TestCaseData(s).SetName($"Table_{s}_IsReachableFromAnOpeningState"));

    [TestCaseSource(nameof(AllStates))]
    public void Table_EveryState_IsReachableFromRegisteredOrOutsideChain(CaseState state)
    {
        var reached = new HashSet<CaseState> { Registered, OutsideChain };
        var queue = new Queue<CaseState>(reached);
        while (queue.TryDequeue(out var from))
            foreach (var t in Transitions.Table.Where(t => t.From == from))
                if (reached.Add(t.To))
                    queue.Enqueue(t.To);

        Assert.That(reached, Does.Contain(state));
    }

    [Test]
    public void Table_EveryStateButTheOpeningStates_IsTheTargetOfSomeRow()
    {
        var targets = Transitions.Table.Select(t => t.To).ToHashSet();
        Assert.That(Enum.GetValues<CaseState>().Where(s => s is not (Registered or OutsideChain)), Is.SubsetOf(targets));
    }

    private static IEnumerable<TestCaseData> AllTriggers() =>
        Enum.GetValues<CaseTrigger>().Select(t => new TestCaseData(t, ExpectedWorkflow.RoleOf[t]).SetName($"RoleOf_{t}_Is{ExpectedWorkflow.RoleOf[t]}"));

    [TestCaseSource(nameof(AllTriggers))]
    public void RoleOf_EachTrigger_IsTheOneRoleOfAllItsRows(CaseTrigger trigger, StaffRole expected)
    {
        var rolesInTable = Transitions.Table.Where(t => t.Trigger == trigger).Select(t => t.By).Distinct().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rolesInTable, Is.EqualTo(new[] { expected }), "every row of a trigger names the same, single role");
            Assert.That(Transitions.RoleOf(trigger), Is.EqualTo(expected));
        }
    }

    [Test]
    public void FileAangifte_FromReasonableSuspicion_IsNotAllowed()
    {
        // WHW art. 1.20 lid 2 and counterparts: the parties are informed *before* ("voordat") the aangifte.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Transitions.Find(ReasonableSuspicion, FileAangifte), Is.Null);
            Assert.That(Transitions.AllowedFrom(ReasonableSuspicion), Does.Not.Contain(FileAangifte));
        }
    }

    [Test]
    public void FileAangifte_OnlyFrom_PartiesInformedOrInformingImpossible()
    {
        var from = Transitions.Table.Where(t => t.Trigger == FileAangifte).Select(t => t.From);
        Assert.That(from, Is.EquivalentTo(new[] { PartiesInformed, InformingImpossible }));
    }
}
