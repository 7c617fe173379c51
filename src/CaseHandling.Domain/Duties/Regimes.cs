using CaseHandling.Domain.Cases;

namespace CaseHandling.Domain.Duties;

/// <summary>
/// One row of a regime's matrix: for an incident type (and, where the law differs, a victim age
/// and a sector), how far the chain applies. <see cref="Basis"/> may hold "{article}", which is
/// replaced by the sector's article (<see cref="SectorLaw"/>). Null matches anything.
/// </summary>
public sealed record MatrixRule(
    IncidentType Incident,
    VictimAge? Age,
    Sector? Sector,
    Coverage Coverage,
    string Basis,
    string Why);

/// <summary>A set of rules in force from a date. A legal change is a new regime: data, not code.</summary>
public sealed record Regime(string Id, string Name, DateOnly EffectiveFrom, string Source, IReadOnlyList<MatrixRule> Rules);

/// <summary>The regimes, side by side. The whole matrix a reviewer needs to read is in this file.</summary>
public static class Regimes
{
    public const string CurrentLawId = "huidig-recht";
    public const string ExtendedId = "wetsvoorstel-36777";

    /// <summary>
    /// Today's law: WPO art. 4a, WVO art. 3, WEC art. 4a, WEB art. 1.3.8, WHW art. 1.20. Each sector's article has its
    /// own date (<see cref="SectorLaw"/>); a matter learned of before it carries no duty under it.
    /// </summary>
    public static Regime CurrentLaw { get; } = new(
        CurrentLawId,
        "Huidig recht (meld-, overleg- en aangifteplicht)",
        new DateOnly(1999, 7, 28),
        "WPO art. 4a; WVO art. 3; WEC art. 4a; WEB art. 1.3.8; WHW art. 1.20",
        [
            new(IncidentType.Zedenmisdrijf, VictimAge.Minor, null, Coverage.Full,
                "{article}", "Zedenmisdrijf tegen een minderjarige leerling/deelnemer/student: volledige keten"),
            // WPO art. 4a says "leerling" without an age limit: in primary education adults are covered too.
            new(IncidentType.Zedenmisdrijf, VictimAge.Adult, Sector.Po, Coverage.Full,
                "{article}", "WPO kent geen leeftijdsgrens ('leerling'): volledige keten"),
            new(IncidentType.Zedenmisdrijf, VictimAge.Adult, null, Coverage.None,
                "{article}", "Meerderjarige student: de wet noemt alleen minderjarigen; geen wettelijke plicht"),
            // Seksuele intimidatie is not a Titel XIV crime (Sr art. 429ter is an overtreding): no duty.
            new(IncidentType.SeksueleIntimidatie, null, null, Coverage.None,
                "{article}", "Seksuele intimidatie valt niet onder deze artikelen; geen wettelijke plicht"),
        ]);

    /// <summary>
    /// The extension the users asked for: bill 36 777 (Wet vrij en veilig onderwijs) and the 2023 memo.
    /// Adult students are covered (the bill: where there is an afhankelijkheidsrelatie, which is recorded
    /// and shown; the memo: all students); seksuele intimidatie carries the meld- en overlegplicht.
    /// </summary>
    public static Regime Extended(DateOnly effectiveFrom) => new(
        ExtendedId,
        "Uitgebreid regime (wetsvoorstel 36 777; beleidsbrief 2023)",
        effectiveFrom,
        "Wetsvoorstel 36 777 (Wet vrij en veilig onderwijs); beleidsbrief 2023",
        [
            new(IncidentType.Zedenmisdrijf, VictimAge.Minor, null, Coverage.Full,
                "{article}", "Zedenmisdrijf tegen een minderjarige: volledige keten"),
            new(IncidentType.Zedenmisdrijf, VictimAge.Adult, null, Coverage.Full,
                "Wetsvoorstel 36 777 jo {article}", "Zedenmisdrijf tegen een meerderjarige student: volledige keten (afhankelijkheidsrelatie vastgelegd)"),
            new(IncidentType.SeksueleIntimidatie, null, null, Coverage.MeldEnOverleg,
                "Wetsvoorstel 36 777 jo {article}", "Seksuele intimidatie: meld- en overlegplicht; bij herkwalificatie als zedenmisdrijf de volledige keten"),
        ]);
}

/// <summary>Which regime and rule apply to a case, and why.</summary>
public sealed record MatrixDecision(Regime Regime, MatrixRule? Rule, Coverage Coverage, string Reason)
{
    /// <summary>The legal basis of a duty under this decision, e.g. "WHW art. 1.20 lid 2".</summary>
    public string LegalBasis(Sector sector, DutyDefinition duty) =>
        $"{(Rule?.Basis ?? "{article}").Replace("{article}", SectorLaw.Article(sector))} {duty.Lid}";
}

/// <summary>The duty matrix: regimes ordered by effective date; the regime is chosen by the date the board learned of the matter.</summary>
public sealed class DutyMatrix
{
    public IReadOnlyList<Regime> Regimes { get; }

    public DutyMatrix(IEnumerable<Regime> regimes)
    {
        Regimes = regimes.OrderBy(r => r.EffectiveFrom).ToList();
        if (Regimes.Count == 0) throw new ArgumentException("At least one regime is required.", nameof(regimes));
    }

    /// <summary>Today's law plus, when <paramref name="extendedEffectiveFrom"/> is given, the extended regime from that date.</summary>
    public static DutyMatrix Create(DateOnly? extendedEffectiveFrom) =>
        new(extendedEffectiveFrom is { } from ? [Duties.Regimes.CurrentLaw, Duties.Regimes.Extended(from)] : [Duties.Regimes.CurrentLaw]);

    public Regime RegimeOn(DateOnly learnedOn) =>
        Regimes.LastOrDefault(r => r.EffectiveFrom <= learnedOn) ?? Regimes[0];

    public MatrixDecision Decide(CaseFacts facts, DateOnly learnedOn)
    {
        var regime = RegimeOn(learnedOn);
        // The sector's article did not exist yet on the day the board learned of the matter: no duty under it.
        var article = SectorLaw.Of(facts.Sector);
        if (learnedOn < article.InForceFrom)
            return new(regime, null, Coverage.None,
                $"Het bestuur wist hiervan op {learnedOn:yyyy-MM-dd}, vóór {article.Article} bestond (in werking sinds {article.InForceFrom:yyyy-MM-dd}): geen plicht onder dit artikel");
        // Scope of every regime: the accused is a met taken belast persoon and the victim a student
        // of the institution (WHW art. 1.20 lid 1 and its counterparts). Anything else is no duty under these articles.
        if (facts.VictimKind != VictimKind.Student)
            return new(regime, null, Coverage.None, "Slachtoffer is geen leerling/student: geen plicht onder deze artikelen");
        if (facts.AccusedRole != AccusedRole.MetTakenBelastPersoon)
            return new(regime, null, Coverage.None, "Beschuldigde is geen met taken belast persoon: geen plicht onder deze artikelen");

        var rule = regime.Rules.FirstOrDefault(r =>
            r.Incident == facts.IncidentType
            && (r.Age is null || r.Age == facts.VictimAge)
            && (r.Sector is null || r.Sector == facts.Sector));
        return rule is null
            ? new(regime, null, Coverage.None, "Buiten de matrix: ondersteunings- of klachtzaak zonder wettelijke plicht")
            : new(regime, rule, rule.Coverage, rule.Why);
    }
}
