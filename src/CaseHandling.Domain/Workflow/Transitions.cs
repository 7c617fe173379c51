using CaseHandling.Domain.Cases;
using static CaseHandling.Domain.Cases.CaseState;
using static CaseHandling.Domain.Workflow.CaseTrigger;
using Role = CaseHandling.Domain.Cases.StaffRole;

namespace CaseHandling.Domain.Workflow;

/// <summary>One legal move: in state <see cref="From"/>, <see cref="By"/> may fire <see cref="Trigger"/>, and the case goes to <see cref="To"/>.</summary>
public sealed record Transition(CaseState From, CaseTrigger Trigger, StaffRole By, CaseState To);

/// <summary>
/// Every legal move of a case, on one screen. Anything not in this table is refused (409).
/// Case.Fire is the only place a case changes state, and it reads only this table.
/// </summary>
public static class Transitions
{
    public static readonly IReadOnlyList<Transition> Table =
    [
        // Step 2 (lid 1): the board consults the vertrouwensinspecteur "onverwijld".
        new(Registered,            StartConsultation,             Role.Board,                 ConsultationStarted),
        // Outside the matrix a board may still consult voluntarily, or just record its follow-up.
        new(OutsideChain,          StartConsultation,             Role.Board,                 ConsultationStarted),
        new(OutsideChain,          RecordFollowUp,                Role.Board,                 Closed),

        // Step 3 (lid 2): the overleg concludes whether there is a redelijk vermoeden.
        new(ConsultationStarted,   ConcludeReasonableSuspicion,   Role.Vertrouwensinspecteur, ReasonableSuspicion),
        new(ConsultationStarted,   ConcludeSexualHarassment,      Role.Vertrouwensinspecteur, SexualHarassmentFound),
        new(ConsultationStarted,   ConcludeNoReasonableSuspicion, Role.Vertrouwensinspecteur, NoReasonableSuspicion),
        new(ConsultationStarted,   RequestMoreInformation,        Role.Vertrouwensinspecteur, MoreInformationNeeded),
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

    /// <summary>The triggers allowed in a state (for 409 answers and the UI).</summary>
    public static IReadOnlyList<CaseTrigger> AllowedFrom(CaseState state) =>
        Table.Where(t => t.From == state).Select(t => t.Trigger).ToList();

    /// <summary>The role that fires a trigger. Every trigger belongs to exactly one role.</summary>
    public static StaffRole RoleOf(CaseTrigger trigger) =>
        Table.First(t => t.Trigger == trigger).By;
}
