namespace CaseHandling.Domain.Workflow;

/// <summary>The steps a person can take on a case. Opening is not a trigger: it creates the case.</summary>
public enum CaseTrigger
{
    StartConsultation,
    ConcludeReasonableSuspicion,
    ConcludeSexualHarassment,
    ConcludeNoReasonableSuspicion,
    RequestMoreInformation,
    InformParties,
    RecordInformingImpossible,
    FileAangifte,
    NotifyInspectorOfAangifte,
    RecordFollowUp,
}
