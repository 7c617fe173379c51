namespace CaseHandling.Domain.Workflow;

/// <summary>The steps a person can take on a case. Opening is not a trigger: it creates the case.</summary>
public enum CaseTrigger
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("StartConsultation")] // its stored and published name
    StartOverleg,
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
