namespace CaseHandling.Domain.Duties;

/// <summary>The statutory duties of the chain (WORKFLOW.md steps 1–6; step 7 carries no duty).</summary>
public enum DutyKind
{
    /// <summary>Step 1: a staff member informs the board itself.</summary>
    StaffNotification,
    /// <summary>Step 2: the board starts the overleg with the vertrouwensinspecteur.</summary>
    StartOverleg,
    /// <summary>Step 3: the overleg concludes on a redelijk vermoeden.</summary>
    ConcludeOverleg,
    /// <summary>Step 4: inform parents (minor) or student (adult) and the accused, before the aangifte.</summary>
    InformParties,
    /// <summary>Step 5: file aangifte with the police.</summary>
    Aangifte,
    /// <summary>Step 6: notify the vertrouwensinspecteur of the aangifte.</summary>
    NotifyInspectorOfAangifte,
    /// <summary>Meldpunt service level: acknowledge receipt of a report (EU directive 2019/1937 art. 9 lid 1 sub b).</summary>
    MeldpuntAcknowledgement,
    /// <summary>Meldpunt service level: feedback to the reporter after the acknowledgement (art. 9 lid 1 sub f).</summary>
    MeldpuntFeedback,
    /// <summary>Report a serious or recurring safety incident to the Inspectorate (bill 36 777; po, vo, so).</summary>
    ReportIncidentToInspectorate,
}

/// <summary>How far the chain applies to a case, as decided by the duty matrix.</summary>
public enum Coverage
{
    /// <summary>No duty under these articles: a support/complaint case.</summary>
    None,
    /// <summary>Meld- en overlegplicht only (steps 1–3); a reclassification to zedenmisdrijf opens steps 4–6.</summary>
    MeldEnOverleg,
    /// <summary>The whole chain, steps 1–7.</summary>
    Full,
}
