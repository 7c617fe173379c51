using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;

namespace CaseHandling.Domain.Incidents;

/// <summary>
/// The categories of safety incident (veiligheidsincident), from the definition in the 2023 memo's footnote 2: "iedere
/// gebeurtenis onder verantwoordelijkheid van het bestuur waarbij een leerling, ouder of personeelslid fysieke of mentale
/// schade wordt toegebracht, wapenbezit, seksuele intimidatie en seksueel misbruik, stelselmatige pesterijen, discriminatie,
/// bedreiging, vernieling of diefstal van goederen en bezit van, handel in of gebruik van drugs".
/// </summary>
public enum IncidentCategory
{
    PhysicalOrMentalHarm,
    WeaponPossession,
    SexualHarassmentOrAbuse,
    SystematicBullying,
    Discrimination,
    Threat,
    VandalismOrTheft,
    Drugs,
}

/// <summary>Where it happened, as a type of place: never an address.</summary>
public enum PlaceType { Classroom, CommonArea, Schoolyard, SportsFacility, OutsideSchoolActivity, RouteToSchool, Online, Other }

/// <summary>Who was harmed (the definition's "leerling, ouder of personeelslid"); None where the incident itself is the finding (weapons, drugs).</summary>
public enum HarmedParty { Pupil, Parent, StaffMember, None }

/// <summary>Why an incident must be reported to the Inspectorate.</summary>
public enum ReportReason { None, Serious, Recurring }

/// <summary>How a report to the Inspectorate is made: by mail to its intake, or recorded here as made (the board reports by its own channel).</summary>
public enum ReportDelivery { RecordOnly, MailToIntake }

/// <summary>Whether the registration and reporting duty applies in a sector, and on what source.</summary>
public sealed record SectorRule(Sector Sector, bool Applies, string Source);

/// <summary>One category: its words from the definition, and whether the memo names it as serious in itself (footnote 3).</summary>
public sealed record CategoryRule(IncidentCategory Category, string Definition, bool SeriousInItself, string? SeriousWhen);

/// <summary>What a registered incident is, in codes: what the rules read.</summary>
public sealed record IncidentFacts(
    Sector Sector, IncidentCategory Category, DateOnly OccurredOn, bool DeclaredSerious, bool SeriousInjury, bool Firearm);

/// <summary>The rules' answer for one incident: does the duty apply, must it be reported, why, on what basis.</summary>
public sealed record IncidentDecision(bool DutyApplies, bool Serious, ReportReason Reason, string Why, string Basis)
{
    public bool MustReport => Reason != ReportReason.None;
}

/// <summary>
/// The registration duty for safety incidents and the reporting duty for serious or recurring ones (the memo's section
/// "Registratie- en meldplicht incidenten van sociale onveiligheid"; bill 36 777, Wet vrij en veilig onderwijs), as data
/// beside the chain's regimes. Off until an effective date is configured (Rules:IncidentRegisterEffectiveFrom), as the
/// bill is not in force.
/// </summary>
public static class IncidentRules
{
    public const string Bill = "Wetsvoorstel 36 777 (Wet vrij en veilig onderwijs)";

    /// <summary>
    /// po, vo and so: the bill puts the duty in the acts of the funderend onderwijs (WPO, WEC, WVO 2020). Not mbo and ho:
    /// the memo records the mbo and ho directorates' advice against it for now (no problem analysis; the definitions fit
    /// the funderend onderwijs; mbo awaits its Monitor Integrale Veiligheid; ho has no explicit board duty of social safety).
    /// </summary>
    public static readonly IReadOnlyList<SectorRule> Sectors =
    [
        new(Sector.Po, true, $"{Bill} jo WPO"),
        new(Sector.Vo, true, $"{Bill} jo WVO 2020"),
        new(Sector.So, true, $"{Bill} jo WEC"),
        new(Sector.Mbo, false, "Beleidsbrief 2023: advies MBO niet in te voeren in de WEB (geen probleemanalyse; Monitor Integrale Veiligheid afwachten)"),
        new(Sector.Ho, false, "Beleidsbrief 2023: advies HO&S niet in te voeren in de WHW (geen expliciete zorgplicht sociale veiligheid van het bestuur)"),
    ];

    /// <summary>The definition (memo footnote 2) and the examples of serious incidents (memo footnote 3).</summary>
    public static readonly IReadOnlyList<CategoryRule> Categories =
    [
        new(IncidentCategory.PhysicalOrMentalHarm, "Een leerling, ouder of personeelslid wordt fysieke of mentale schade toegebracht", false,
            "fysiek geweld dat ernstig letsel tot gevolg heeft"),
        new(IncidentCategory.WeaponPossession, "Wapenbezit", false, "vuurwapenbezit"),
        new(IncidentCategory.SexualHarassmentOrAbuse, "Seksuele intimidatie en seksueel misbruik", false, null),
        new(IncidentCategory.SystematicBullying, "Stelselmatige pesterijen", true, "stelselmatige pesterijen zijn een voorbeeld van een ernstig incident"),
        new(IncidentCategory.Discrimination, "Discriminatie", false, null),
        new(IncidentCategory.Threat, "Bedreiging", false, null),
        new(IncidentCategory.VandalismOrTheft, "Vernieling of diefstal van goederen", false, null),
        new(IncidentCategory.Drugs, "Bezit van, handel in of gebruik van drugs", false, null),
    ];

    /// <summary>
    /// "Regelmatige veiligheidsincidenten": neither the memo nor the bill gives a number. Policy, not law: this many
    /// incidents concerning the same pupil (by the school's own pupil number, compared as a keyed hash) within the window.
    /// </summary>
    public const int RecurrenceThreshold = 3;
    public const int RecurrenceWindowDays = 365;

    /// <summary>The default deadline of the report (policy: the bill leaves the term to further rules).</summary>
    public const string DefaultReportDeadline = "5wd";

    public static SectorRule SectorRuleFor(Sector sector) => Sectors.First(s => s.Sector == sector);

    public static CategoryRule Get(IncidentCategory category) => Categories.First(c => c.Category == category);

    /// <summary>The legal basis of the report duty in a sector, cited on the duty.</summary>
    public static string Basis(Sector sector) => $"{SectorRuleFor(sector).Source} (meldplicht ernstige veiligheidsincidenten)";

    /// <summary>Whether the incident is serious: declared so by the board, or one of the memo's examples.</summary>
    public static bool IsSerious(IncidentFacts f) =>
        f.DeclaredSerious
        || Get(f.Category).SeriousInItself
        || (f.Category == IncidentCategory.PhysicalOrMentalHarm && f.SeriousInjury)
        || (f.Category == IncidentCategory.WeaponPossession && f.Firearm);

    /// <summary>Whether this many earlier incidents of the same pupil in the window make this one recurring.</summary>
    public static bool IsRecurring(int earlierForSamePupilInWindow) => earlierForSamePupilInWindow + 1 >= RecurrenceThreshold;

    /// <summary>
    /// The decision for one incident. <paramref name="effectiveFrom"/> null: the duty is off (registering is voluntary and
    /// reports nothing). The date that counts is the day the incident occurred.
    /// </summary>
    public static IncidentDecision Decide(IncidentFacts f, int earlierForSamePupilInWindow, DateOnly? effectiveFrom)
    {
        var serious = IsSerious(f);
        var sector = SectorRuleFor(f.Sector);
        if (!sector.Applies)
            return new(false, serious, ReportReason.None, $"Geen registratie- en meldplicht in deze sector: {sector.Source}", sector.Source);
        if (effectiveFrom is null)
            return new(false, serious, ReportReason.None, "De registratie- en meldplicht is niet in werking (geen ingangsdatum ingesteld)", sector.Source);
        if (f.OccurredOn < effectiveFrom)
            return new(false, serious, ReportReason.None, $"Voorgevallen vóór de ingangsdatum {effectiveFrom:yyyy-MM-dd}", sector.Source);
        if (serious)
            return new(true, true, ReportReason.Serious, "Ernstig veiligheidsincident: melden bij de inspectie", Basis(f.Sector));
        if (IsRecurring(earlierForSamePupilInWindow))
            return new(true, false, ReportReason.Recurring,
                $"Regelmatig veiligheidsincident: {earlierForSamePupilInWindow + 1} incidenten rond dezelfde leerling binnen {RecurrenceWindowDays} dagen", Basis(f.Sector));
        return new(true, false, ReportReason.None, "Registreren; niet ernstig en niet regelmatig: geen melding", Basis(f.Sector));
    }
}
