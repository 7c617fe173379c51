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

/// <summary>
/// The article of a sector's act that carries the chain, the first day it applied, and where that date was checked.
/// <see cref="Verified"/> says how far the source was read; where it was not, docs/RULES.md says so.
/// </summary>
public sealed record SectorArticle(Sector Sector, string Article, DateOnly InForceFrom, string Source, string Verified);

/// <summary>The article of each sector's act that carries the chain (WORKFLOW.md, "The statutory chain"), with its date.</summary>
public static class SectorLaw
{
    /// <summary>
    /// Wet van 1 juli 1999 (Stb. 1999, 313), "houdende wijziging van enkele onderwijswetten in verband met onder meer de
    /// bestrijding van seksueel misbruik en seksuele intimidatie in het onderwijs" (kamerstukken 25 979). Published in
    /// Staatsblad 313 of 27 July 1999 and in force "met ingang van de dag na de datum van uitgifte van het Staatsblad"
    /// (Eerste Kamer, dossier 25.979), i.e. 28 July 1999; the OCW brochure (2001) gives the same date for po, vo and the
    /// beroepsonderwijs en volwasseneneducatie.
    /// </summary>
    private static readonly DateOnly Stb1999_313 = new(1999, 7, 28);

    /// <summary>
    /// Wet van 4 februari 2010 (Stb. 2010, 119), the Wet versterking besturing (kamerstukken 31 821), in force on 1 September 2010
    /// save for listed onderdelen (Besluit van 26 april 2010, Stb. 2010, 168). WHW art. 1.20 first stands in the consolidated WHW
    /// valid from that day (BWBR0005682, 2010-09-01; absent from the version of 2010-08-01).
    /// </summary>
    private static readonly DateOnly WetVersterkingBesturing = new(2010, 9, 1);

    private const string Act1999 = "Wet van 1 juli 1999, Stb. 1999, 313 (kamerstukken 25 979), uitgegeven 27 juli 1999; in werking de dag na uitgifte, 28 juli 1999 "
                                   + "(Eerste Kamer, wetsvoorstel 25.979, 'inwerkingtreding'; OCW-brochure meldplicht en aangifteplicht, 2001)";

    public static readonly IReadOnlyList<SectorArticle> Rows =
    [
        new(Sector.Po, "WPO art. 4a", Stb1999_313, Act1999 + "; artikel I, onderdeel A voegt art. 4a in",
            "text of Stb. 1999, 313 (zoek.officielebekendmakingen.nl stb-1999-313) read for WPO art. 4a; date from the Eerste Kamer's dossier page and the brochure"),
        new(Sector.Vo, "WVO art. 3", Stb1999_313, Act1999,
            "the Eerste Kamer's summary of 25 979 and the brochure name voortgezet onderwijs; the act's article for the WVO was not read"),
        new(Sector.So, "WEC art. 4a", Stb1999_313, Act1999,
            "the act amends 'enkele onderwijswetten'; its memorie van toelichting (kamerstukken II 25 979, nr. 3, opening read) says the duty is set "
            + "'voor de sectoren primair en voortgezet onderwijs en de sector beroepsonderwijs en volwasseneneducatie', without saying whether that "
            + "includes (voortgezet) speciaal onderwijs under the WEC; no source read names the WEC article: the 1999 date is assumed for so"),
        new(Sector.Mbo, "WEB art. 1.3.8", Stb1999_313, Act1999,
            "the Eerste Kamer's summary names beroepsonderwijs en volwasseneneducatie; a consolidated WEB (BWBR0007625) version runs 'van 17 februari 1999 tot 28 juli 1999', "
            + "so the WEB changed on 28 July 1999; the WEB article itself was not read in the 1999 act"),
        new(Sector.Ho, "WHW art. 1.20", WetVersterkingBesturing,
            "Wet van 4 februari 2010, Stb. 2010, 119 (Wet versterking besturing; kamerstukken 31 821); Besluit van 26 april 2010, Stb. 2010, 168: "
            + "'treedt in werking met ingang van 1 september 2010 met uitzondering van artikel I, onderdelen M1, AE, punt 1 en 2, BP, punt 2, CJ, punt 4, ...'. "
            + "The consolidated WHW (BWBR0005682) valid from 1 September 2010 contains art. 1.20 leden 1-3; the version valid from 1 August 2010 has no art. 1.20",
            "consolidated WHW read in both versions (wetten.overheid.nl BWBR0005682/2010-09-01 and /2010-08-01, as mirrored in the public "
            + "regelrecht-corpus): from 1 September 2010 art. 1.20 ('... jegens een minderjarige student van de instelling, treedt het bevoegd gezag "
            + "onverwijld in overleg met de vertrouwensinspecteur ...'); on 1 August 2010 art. 1.18 is followed by art. 2.1. The same step changes "
            + "art. 2.2 from 'om het jaar' to 'eenmaal per zes jaren', a change of the Wet versterking besturing, whose inwerkingtredingsbesluit "
            + "(Stb. 2010, 168) sets 1 September 2010 save for listed onderdelen. Not read: the onderdeel of artikel I of that act that inserts "
            + "art. 1.20, so whether it is among the exceptions is not confirmed from the act; the consolidated text puts it in force on 1 September 2010. "
            + "Earlier, a HOP news item (DUB) from the 2007-2010 cabinet's term said hogescholen and universiteiten were 'uitgezonderd' from such a duty"),
    ];

    public static SectorArticle Of(Sector sector) => Rows.First(r => r.Sector == sector);

    public static string Article(Sector sector) => Of(sector).Article;
}
