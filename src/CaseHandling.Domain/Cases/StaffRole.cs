namespace CaseHandling.Domain.Cases;

/// <summary>The roles of the people who act on a case.</summary>
public enum StaffRole
{
    /// <summary>Instellingsbestuur / bevoegd gezag; bound to one institution.</summary>
    Board,
    /// <summary>Vertrouwensinspecteur (Wet op het onderwijstoezicht art. 6).</summary>
    Vertrouwensinspecteur,
    /// <summary>Meldpunt handler / vertrouwenspersoon.</summary>
    MeldpuntHandler,
    /// <summary>Beheerder: institutions, users, settings; never case content.</summary>
    Administrator,
    /// <summary>Personeelslid: notifies the board (step 1); bound to one institution.</summary>
    StaffMember,
    /// <summary>
    /// The Inspectorate's own intake of reports of serious or recurring safety incidents (bill 36 777): a role apart from
    /// the vertrouwensinspecteur, who handles the chain's overleg and never sees the incident reports, nor this role the cases.
    /// </summary>
    Inspectie,
}

/// <summary>Who did something: a user id and the role they acted in.</summary>
public sealed record Actor(string UserId, StaffRole Role);
