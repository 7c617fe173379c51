namespace CaseHandling.Domain.Cases;

/// <summary>Education sectors; each has its own act with the meld-, overleg- en aangifteplicht.</summary>
public enum Sector
{
    /// <summary>Primair onderwijs (WPO).</summary>
    Po,
    /// <summary>Voortgezet onderwijs (WVO).</summary>
    Vo,
    /// <summary>(Voortgezet) speciaal onderwijs (WEC).</summary>
    So,
    /// <summary>Middelbaar beroepsonderwijs (WEB).</summary>
    Mbo,
    /// <summary>Hoger onderwijs (WHW).</summary>
    Ho,
}

public enum IncidentType
{
    /// <summary>A crime in Titel XIV of Boek 2 Wetboek van Strafrecht ("Seksuele misdrijven").</summary>
    Zedenmisdrijf,
    /// <summary>"Indringend seksueel benaderen" (memo 2023; bill 36 777). Not itself a Titel XIV crime.</summary>
    SeksueleIntimidatie,
    Bullying,
    Discrimination,
    Violence,
    OtherUnsafety,
}

public enum VictimKind { Student, StaffMember, Other }

/// <summary>Age of the victim at the time of the incident.</summary>
public enum VictimAge { Minor, Adult }

public enum AccusedRole
{
    /// <summary>Anyone who works for the institution: teacher, supervisor, support staff, contractor with tasks.</summary>
    MetTakenBelastPersoon,
    FellowStudent,
    Outsider,
    Unknown,
}

/// <summary>How the board came to know of the matter.</summary>
public enum OpenedVia
{
    /// <summary>A staff member's own notification to the board (step 1, lid 3).</summary>
    StaffNotification,
    /// <summary>The board learned of it in any other way ("op enigerlei wijze", lid 1).</summary>
    BoardRegistration,
    /// <summary>The meld-/steunpunt forwarded a report (with the reporter's consent, or under the staff duty).</summary>
    MeldpuntForwarding,
}

public enum FollowUp { EmploymentMeasures, ComplaintsProcedure, None }

/// <summary>The facts that decide which duties apply.</summary>
public sealed record CaseFacts(
    Sector Sector,
    IncidentType IncidentType,
    VictimKind VictimKind,
    VictimAge VictimAge,
    bool Afhankelijkheidsrelatie,
    AccusedRole AccusedRole,
    DateTimeOffset BoardLearnedAt);
