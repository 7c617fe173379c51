using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Workflow;
using static CaseHandling.Domain.Duties.DutyKind;

namespace CaseHandling.Domain.Duties;

/// <summary>What opens a duty.</summary>
public enum DutyOpener
{
    /// <summary>The case is opened (the board learns of the matter).</summary>
    CaseOpened,
    /// <summary>A trigger of the transition table fired.</summary>
    Trigger,
}

/// <summary>
/// One duty: the step it is, what opens it, who must act, the default deadline (policy, not law:
/// the law says "onverwijld"), which triggers fulfil it, the lowest coverage it applies under and
/// the lid of the sector's article it rests on.
/// </summary>
public sealed record DutyDefinition(
    DutyKind Kind,
    int Step,
    CaseTrigger? OpenedBy,
    StaffRole Responsible,
    string DefaultDeadline,
    IReadOnlyList<CaseTrigger> MetBy,
    Coverage AppliesFrom,
    string Lid,
    string Description);

/// <summary>Every duty, on one screen. The article per sector comes from <see cref="SectorLaw"/>.</summary>
public static class DutyTable
{
    public static readonly IReadOnlyList<DutyDefinition> Rows =
    [
        new(StaffNotification,         1, null,                                       StaffRole.StaffMember, "4h",
            [],                                                                        Coverage.MeldEnOverleg, "lid 3",
            "Personeelslid informeert het bevoegd gezag onverwijld zelf"),
        new(StartOverleg,              2, null,                                       StaffRole.Board,       "1wd@12:00",
            [CaseTrigger.StartOverleg],                                           Coverage.MeldEnOverleg, "lid 1",
            "Bevoegd gezag treedt onverwijld in overleg met de vertrouwensinspecteur"),
        new(ConcludeOverleg,           3, CaseTrigger.StartOverleg,              StaffRole.Vertrouwensinspecteur, "2wd",
            [CaseTrigger.ConcludeReasonableSuspicion, CaseTrigger.ConcludeSexualHarassment, CaseTrigger.ConcludeNoReasonableSuspicion],
                                                                                       Coverage.MeldEnOverleg, "lid 2",
            "Uit het overleg blijkt of er een redelijk vermoeden is"),
        new(InformParties,             4, CaseTrigger.ConcludeReasonableSuspicion,    StaffRole.Board,       "1wd",
            [CaseTrigger.InformParties, CaseTrigger.RecordInformingImpossible],       Coverage.Full,          "lid 2",
            "Ouders (minderjarige) of student (meerderjarige) en de aangeklaagde informeren, voordat aangifte wordt gedaan"),
        new(Aangifte,                  5, CaseTrigger.ConcludeReasonableSuspicion,    StaffRole.Board,       "1wd",
            [CaseTrigger.FileAangifte],                                                Coverage.Full,          "lid 2",
            "Onverwijld aangifte doen bij een opsporingsambtenaar (Sv 127 jo 141)"),
        new(NotifyInspectorOfAangifte, 6, CaseTrigger.FileAangifte,                   StaffRole.Board,       "1wd@23:59",
            [CaseTrigger.NotifyInspectorOfAangifte],                                   Coverage.Full,          "lid 2",
            "De vertrouwensinspecteur onverwijld informeren over de aangifte"),
    ];

    public static DutyDefinition Get(DutyKind kind) => Rows.First(r => r.Kind == kind);

    public static bool AppliesUnder(this DutyDefinition duty, Coverage coverage) =>
        coverage != Coverage.None && coverage >= duty.AppliesFrom;
}

/// <summary>The article of each sector's act that carries the chain (WORKFLOW.md, "The statutory chain").</summary>
public static class SectorLaw
{
    public static string Article(Sector sector) => sector switch
    {
        Sector.Po => "WPO art. 4a",
        Sector.Vo => "WVO art. 3",
        Sector.So => "WEC art. 4a",
        Sector.Mbo => "WEB art. 1.3.8",
        Sector.Ho => "WHW art. 1.20",
    };
}
