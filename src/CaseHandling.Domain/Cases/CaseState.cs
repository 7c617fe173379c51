namespace CaseHandling.Domain.Cases;

/// <summary>Where a case stands in the chain (WORKFLOW.md, steps 1–7).</summary>
public enum CaseState
{
    /// <summary>Opened with statutory duties: the board must start the overleg (step 2).</summary>
    Registered,
    /// <summary>Opened outside the duty matrix: no statutory duties; a voluntary overleg is possible.</summary>
    OutsideChain,
    /// <summary>Overleg with the vertrouwensinspecteur started (step 2); awaiting its outcome (step 3).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("ConsultationStarted")] // its stored and published name
    OverlegStarted,
    /// <summary>The overleg needs more information before it can conclude (step 3 pending).</summary>
    MoreInformationNeeded,
    /// <summary>Outcome: redelijk vermoeden of a zedenmisdrijf; parties must be informed (step 4).</summary>
    ReasonableSuspicion,
    /// <summary>Parents/student and accused informed (step 4); aangifte next (step 5).</summary>
    PartiesInformed,
    /// <summary>Informing was not possible, with a written reason shown to the inspector; aangifte next.</summary>
    InformingImpossible,
    /// <summary>Aangifte filed (step 5); the inspector must be notified (step 6).</summary>
    AangifteFiled,
    /// <summary>The inspector was notified of the aangifte (step 6); follow-up remains.</summary>
    InspectorNotified,
    /// <summary>Outcome: seksuele intimidatie without a crime; meld- and overleg duty only.</summary>
    SexualHarassmentFound,
    /// <summary>Outcome: no redelijk vermoeden (step 7); no aangifte duty.</summary>
    NoReasonableSuspicion,
    /// <summary>Follow-up recorded; the case is closed.</summary>
    Closed,
}
