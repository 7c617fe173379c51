using CaseHandling.Domain.Cases;
using static CaseHandling.Domain.Cases.CaseState;
using static CaseHandling.Domain.Workflow.CaseTrigger;
using Role = CaseHandling.Domain.Cases.StaffRole;

namespace CaseHandling.Domain.Workflow;

/// <summary>A condition on the case, beyond its state, for a move to be legal.</summary>
public enum TransitionGuard
{
    None,
    /// <summary>Only when the matrix puts no aangifte duty on the case (coverage below Full).</summary>
    NoAangifteDuty,
}

/// <summary>One legal move: in state <see cref="From"/>, <see cref="By"/> may fire <see cref="Trigger"/> (when <see cref="Guard"/> holds), and the case goes to <see cref="To"/>.</summary>
public sealed record Transition(CaseState From, CaseTrigger Trigger, StaffRole By, CaseState To, TransitionGuard Guard = TransitionGuard.None);

/// <summary>
/// Every legal move of a case, on one screen. Anything not in this table is refused (409).
/// Case.Fire is the only place a case changes state, and it reads only this table.
/// </summary>
public static class Transitions
{
    public static readonly IReadOnlyList<Transition> Table =
    [
        // Step 2 (lid 1): the board consults the vertrouwensinspecteur "onverwijld".
        new(Registered,            StartOverleg,             Role.Board,                 OverlegStarted),
        // Outside the matrix a board may still consult voluntarily, or just record its follow-up.
        new(OutsideChain,          StartOverleg,             Role.Board,                 OverlegStarted),
        new(OutsideChain,          RecordFollowUp,                Role.Board,                 Closed),

        // Step 3 (lid 2): the overleg concludes whether there is a redelijk vermoeden.
        new(OverlegStarted,   ConcludeReasonableSuspicion,   Role.Vertrouwensinspecteur, ReasonableSuspicion),
        new(OverlegStarted,   ConcludeSexualHarassment,      Role.Vertrouwensinspecteur, SexualHarassmentFound),
        new(OverlegStarted,   ConcludeNoReasonableSuspicion, Role.Vertrouwensinspecteur, NoReasonableSuspicion),
        new(OverlegStarted,   RequestMoreInformation,        Role.Vertrouwensinspecteur, MoreInformationNeeded),
        new(MoreInformationNeeded, ConcludeReasonableSuspicion,   Role.Vertrouwensinspecteur, ReasonableSuspicion),
        new(MoreInformationNeeded, ConcludeSexualHarassment,      Role.Vertrouwensinspecteur, SexualHarassmentFound),
        new(MoreInformationNeeded, ConcludeNoReasonableSuspicion, Role.Vertrouwensinspecteur, NoReasonableSuspicion),
        new(MoreInformationNeeded, RequestMoreInformation,        Role.Vertrouwensinspecteur, MoreInformationNeeded),

        // Extended regime: seksuele intimidatie reclassified as a zedenmisdrijf opens steps 4–7.
        new(SexualHarassmentFound, ConcludeReasonableSuspicion,   Role.Vertrouwensinspecteur, ReasonableSuspicion),
        new(SexualHarassmentFound, RecordFollowUp,                Role.Board,                 Closed),

        // Step 4 (lid 2, "voordat"): inform parents (minor) or student (adult) and the accused BEFORE the aangifte.
        new(ReasonableSuspicion,   InformParties,                 Role.Board,                 PartiesInformed),
        // ...or record, with a written reason shown to the inspector, why that was not possible.
        new(ReasonableSuspicion,   RecordInformingImpossible,     Role.Board,                 InformingImpossible),
        // A voluntary overleg outside the matrix (e.g. a staff victim) may find a redelijk vermoeden without any
        // aangifte duty under these articles: the board may then close with its follow-up (or file voluntarily).
        new(ReasonableSuspicion,   RecordFollowUp,                Role.Board,                 Closed, TransitionGuard.NoAangifteDuty),

        // Step 5 (lid 2): aangifte with the police, only after step 4.
        new(PartiesInformed,       FileAangifte,                  Role.Board,                 AangifteFiled),
        new(InformingImpossible,   FileAangifte,                  Role.Board,                 AangifteFiled),

        // Step 6 (lid 2): notify the vertrouwensinspecteur of the aangifte.
        new(AangifteFiled,         NotifyInspectorOfAangifte,     Role.Board,                 InspectorNotified),

        // Step 7 and the end of the chain: the board records the follow-up and closes the case.
        new(InspectorNotified,     RecordFollowUp,                Role.Board,                 Closed),
        new(NoReasonableSuspicion, RecordFollowUp,                Role.Board,                 Closed),
    ];

    private static readonly Dictionary<(CaseState, CaseTrigger), Transition> ByKey =
        Table.ToDictionary(t => (t.From, t.Trigger));

    public static Transition? Find(CaseState from, CaseTrigger trigger) =>
        ByKey.GetValueOrDefault((from, trigger));

    /// <summary>Whether a guard holds for a case with this coverage.</summary>
    public static bool Holds(TransitionGuard guard, Duties.Coverage coverage) => guard switch
    {
        TransitionGuard.None => true,
        TransitionGuard.NoAangifteDuty => coverage != Duties.Coverage.Full,
    };

    /// <summary>The triggers allowed in a state for a case with this coverage (for 409 answers and the UI).</summary>
    public static IReadOnlyList<CaseTrigger> AllowedFrom(CaseState state, Duties.Coverage coverage) =>
        Table.Where(t => t.From == state && Holds(t.Guard, coverage)).Select(t => t.Trigger).ToList();

    /// <summary>The triggers the table allows in a state, before guards.</summary>
    public static IReadOnlyList<CaseTrigger> AllowedFrom(CaseState state) =>
        Table.Where(t => t.From == state).Select(t => t.Trigger).ToList();

    /// <summary>The role that fires a trigger. Every trigger belongs to exactly one role.</summary>
    public static StaffRole RoleOf(CaseTrigger trigger) =>
        Table.First(t => t.Trigger == trigger).By;
}
