using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Common;
using System.Text;
using CaseHandling.Domain.Deadlines;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Workflow;

namespace CaseHandling.Domain.Docs;

/// <summary>
/// Renders docs/RULES.md from the tables themselves, so the documentation cannot drift from the code
/// (a test compares the committed file with this output).
/// </summary>
public static class RulesDocument
{
    public static string Render(DateOnly extendedEffectiveFrom)
    {
        var s = new StringBuilder();
        s.AppendLine("# The rules as the system applies them");
        s.AppendLine();
        s.AppendLine("Generated from `src/CaseHandling.Domain` by `RulesDocument.Render` (a test fails when this file is out of date;");
        s.AppendLine("regenerate with `UPDATE_DOCS=1 dotnet test tests/CaseHandling.Domain.Tests --filter RulesDocument`).");
        s.AppendLine($"The extended regime is shown with its default effective date, {extendedEffectiveFrom:yyyy-MM-dd} (setting `Rules:ExtendedRegimeEffectiveFrom`).");
        s.AppendLine();
        s.AppendLine("## Transitions");
        s.AppendLine();
        s.AppendLine("Every legal move of a case. Anything else is refused with 409 (out of order) or 403 (not the role's step).");
        s.AppendLine();
        s.AppendLine("```mermaid");
        s.AppendLine("stateDiagram-v2");
        s.AppendLine("    [*] --> Registered: opened, duties apply");
        s.AppendLine("    [*] --> OutsideChain: opened, outside the matrix");
        foreach (var t in Transitions.Table)
            s.AppendLine($"    {WireName.Of(t.From)} --> {WireName.Of(t.To)}: {WireName.Of(t.Trigger)} ({t.By})");
        s.AppendLine("    Closed --> [*]");
        s.AppendLine("```");
        s.AppendLine();
        s.AppendLine("| from | trigger | by | to |");
        s.AppendLine("|---|---|---|---|");
        foreach (var t in Transitions.Table)
            s.AppendLine($"| {WireName.Of(t.From)} | {WireName.Of(t.Trigger)} | {t.By} | {WireName.Of(t.To)} |");
        s.AppendLine();
        s.AppendLine("## Duties");
        s.AppendLine();
        s.AppendLine("The law says \"onverwijld\"; the deadlines are this project's configurable policy (`Rules:DeadlinePolicy`).");
        s.AppendLine("The article is the sector's: WPO art. 4a (po), WVO art. 3 (vo), WEC art. 4a (so), WEB art. 1.3.8 (mbo), WHW art. 1.20 (ho).");
        s.AppendLine();
        s.AppendLine("| step | duty | opened by | responsible | default deadline | met by | applies under | lid | what |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var d in DutyTable.Rows)
            s.AppendLine($"| {d.Step} | {d.Kind} | {(d.OpenedBy is { } by ? WireName.Of(by) : "opening the case")} | {d.Responsible} | `{DeadlineRule.Parse(d.DefaultDeadline)}` | " +
                         $"{(d.MetBy.Count == 0 ? "filing the notification" : string.Join(", ", d.MetBy.Select(t => WireName.Of(t))))} | {d.AppliesFrom} and up | {d.Lid} | {d.Description} |");
        s.AppendLine();
        s.AppendLine("## When each sector's article applies");
        s.AppendLine();
        s.AppendLine("A matter the board learned of (Europe/Amsterdam date) before its sector's article was in force carries no duty under it:");
        s.AppendLine("the case opens outside the chain and its explanation says so. Checked against the statutes' history; the last column");
        s.AppendLine("says how far each source was read.");
        s.AppendLine();
        s.AppendLine("| sector | article | in force from | source | checked |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (var a in SectorLaw.Rows)
            s.AppendLine($"| {a.Sector} | {a.Article} | {a.InForceFrom:yyyy-MM-dd} | {a.Source} | {a.Verified} |");
        s.AppendLine();
        s.AppendLine("## Working days: the Algemene termijnenwet");
        s.AppendLine();
        s.AppendLine("- **Art. 1 lid 1**: a term counted in days or months that ends on a Saturday, Sunday or holiday runs to the next day that is none");
        s.AppendLine("  of those. Terms in hours are not extended. Working-day rules (`wd`) count only such days.");
        s.AppendLine("- **Art. 2**: \"Een in een wet gestelde termijn van ten minste drie dagen wordt, zo nodig, zoveel verlengd, dat daarin ten minste");
        s.AppendLine("  twee dagen voorkomen die niet een zaterdag, zondag of algemeen erkende feestdag zijn.\" The text names a length, not a unit, so it");
        s.AppendLine("  covers terms in months as well as in days: `Nd` with N >= 3 and every `Nmo` (counted from the day after the start to the last");
        s.AppendLine("  day, both included). A term of a month or more always holds two such days, so for months the rule never changes a due date.");
        s.AppendLine("- **Art. 4 onder a**: the act does not apply to terms \"omschreven in uren, in meer dan 90 dagen, in meer dan twaalf weken, in meer");
        s.AppendLine("  dan drie maanden, of in een of meer jaren\": `Nh`, `Nd` with N > 90 and `Nmo` with N > 3 end on their nominal day, not extended");
        s.AppendLine("  by art. 1 or 2 (e.g. the retention periods `24mo`, `120mo`). Text read: Atw, BWBR0002448 (artikelen 1–4).");
        s.AppendLine("- **Art. 3 lid 1 and 2**: Nieuwjaarsdag, Goede Vrijdag, Eerste en Tweede Paasdag, Koningsdag (27 April, the 26th when the 27th is a");
        s.AppendLine("  Sunday), 5 May, Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en Tweede Kerstdag; Easter by the Gregorian computus.");
        s.AppendLine("- **Art. 3 lid 3**: the days a decree equates with a holiday, shipped as data (`src/CaseHandling.Domain/Calendar/EquatedDays.cs`),");
        s.AppendLine("  plus any the administrator adds (`Rules:ExtraHolidays`, also on the rules page).");
        s.AppendLine();
        s.AppendLine("Every deadline's explanation names each day passed over and why, e.g. \"27 april: Koningsdag, Atw art. 3 lid 1\".");
        s.AppendLine();
        s.AppendLine($"### Equated days shipped (art. 3 lid 3): years {string.Join(", ", EquatedDays.YearsCovered)}");
        s.AppendLine();
        s.AppendLine("| date | day | why | decree |");
        s.AppendLine("|---|---|---|---|");
        foreach (var d in EquatedDays.All)
            s.AppendLine($"| {d.Date:yyyy-MM-dd} | {d.Date.DayOfWeek} | {d.Why} | {d.Decree.FirstYear}–{d.Decree.LastYear} |");
        s.AppendLine();
        s.AppendLine("| decree | years | source | checked |");
        s.AppendLine("|---|---|---|---|");
        foreach (var d in EquatedDays.Decrees)
            s.AppendLine($"| {d.Title} | {d.FirstYear}–{d.LastYear} | {d.Source} | {d.Verified} |");
        s.AppendLine();
        s.AppendLine("**Not covered:** 2020–2022, and every year before 2017 or after 2028. For those years only the statutory holidays apply,");
        s.AppendLine("unless the administrator adds days. The decree for 2020–2022 was not found (what was searched, and where: docs/RULES-SOURCES.md);");
        s.AppendLine("the years are past, and a matter from them that needs its exact days can have them added with `Rules:ExtraHolidays`.");
        s.AppendLine();
        s.AppendLine("Those three Fridays need not be all of that decree's days. Holidays of art. 3 lid 1 also fell next to a bridge day in");
        s.AppendLine("those years: 5 May 2020 on a Tuesday, Koningsdag (27 April) 2021 on a Tuesday and 5 May 2022 on a Thursday (Hemelvaartsdag");
        s.AppendLine("was 26 May). Earlier decrees equated such days: the 2014–2016 decree (\"Besluit van 17 juni 2013, nr. 13.001210, houdende");
        s.AppendLine("gelijkstelling van 30 mei 2014, 2 januari, 4 en 15 mei 2015 en 6 mei 2016 met een algemeen erkende feestdag\") equates");
        s.AppendLine("Monday 4 May 2015, before a Tuesday 5 May, and the 2017–2019 decree the Mondays before Christmas and New Year on a Tuesday");
        s.AppendLine("(24 and 31 December 2018). So the 2020–2022 decree may also equate, for example, Monday 4 May 2020, Monday 26 April 2021 or");
        s.AppendLine("Friday 6 May 2022. The practice is not fixed: the 2026–2028 title as shipped names neither Monday 4 May 2026 nor Monday");
        s.AppendLine("26 April 2027, though 5 May 2026 and Koningsdag 2027 fall on a Tuesday (see its row above). The days cannot be inferred");
        s.AppendLine("from the calendar, and none is shipped for 2020–2022 until the decree itself is read.");
        s.AppendLine();
        s.AppendLine("**When a new decree appears** (in the Staatscourant, usually in the autumn before its first year):");
        s.AppendLine();
        s.AppendLine("1. At once: the administrator adds its days to `Rules:ExtraHolidays` (rules page, or `PUT /api/admin/settings`); deadlines");
        s.AppendLine("   opened from then on skip them. Deadlines already set keep their due time (below).");
        s.AppendLine("2. In the next release: add an `EquatingDecree` with its title, source and how it was checked, and its days, to");
        s.AppendLine("   `EquatedDays.cs`; add a test for each new year (`EquatedDaysTests`); regenerate this file. The administrator's");
        s.AppendLine("   days may then be removed (a day in both is counted once).");
        s.AppendLine();
        s.AppendLine("**Due times already stored are not recomputed** when the calendar changes (a day added to `Rules:ExtraHolidays`, a decree");
        s.AppendLine("shipped in a release) or the deadline policy changes. This is a choice, for these reasons:");
        s.AppendLine();
        s.AppendLine("- The law sets no term here: it says \"onverwijld\". The deadlines are this project's policy, computed with the Atw by");
        s.AppendLine("  analogy; a duty's due time is the commitment the board was shown when it opened, and the explanation trail records");
        s.AppendLine("  how it was computed (start, each day passed over, due). Moving it afterwards would make that record untrue, and moving");
        s.AppendLine("  it silently would hide from the board that its deadline changed.");
        s.AppendLine("- A duty does not store the rule it was opened under, only its due time and reminders: a recomputation could only use");
        s.AppendLine("  today's policy, which would also apply a changed deadline to open duties, which the settings promise not to do.");
        s.AppendLine("- In practice the change comes first: a decree is published in the autumn before its first year, and the chain's terms are");
        s.AppendLine("  hours and working days, so the administrator who adds the decree's days when it appears reaches every duty that could");
        s.AppendLine("  run over them before it opens. Only the meldpunt's three-month feedback term can be open that long.");
        s.AppendLine();
        s.AppendLine("Should a day be added that an open duty's term runs over (e.g. a day of national mourning declared at short notice), the");
        s.AppendLine("board is not late for it: overdue work is escalated, never sanctioned, and the audit trail shows the day. Recomputing open");
        s.AppendLine("duties, with an entry in the case's explanation saying why the due time moved, would need the rule stored on each duty;");
        s.AppendLine("it is not built.");
        s.AppendLine();
        s.AppendLine("## Regimes and the matrix");
        s.AppendLine();
        s.AppendLine("The regime is chosen by the date the board learned of the matter (Europe/Amsterdam). In every regime the");
        s.AppendLine("articles cover only a student victim and a met taken belast persoon as the accused; anything else is");
        s.AppendLine("coverage None. Rows are read top to bottom; the first match applies; no match is coverage None.");
        foreach (var r in new[] { Regimes.CurrentLaw, Regimes.Extended(extendedEffectiveFrom) })
        {
            s.AppendLine();
            s.AppendLine($"### {r.Name} (`{r.Id}`), from {r.EffectiveFrom:yyyy-MM-dd}");
            s.AppendLine();
            s.AppendLine($"Source: {r.Source}.");
            s.AppendLine();
            s.AppendLine("| incident | victim age | sector | coverage | basis | why |");
            s.AppendLine("|---|---|---|---|---|---|");
            foreach (var m in r.Rules)
                s.AppendLine($"| {m.Incident} | {m.Age?.ToString() ?? "any"} | {m.Sector?.ToString() ?? "any"} | {m.Coverage} | {m.Basis} | {m.Why} |");
        }
        RenderIncidentRegister(s);
        return s.ToString();
    }

    /// <summary>The incident register's rules (Incidents/IncidentRules.cs), and where the bill as introduced differs from the memo.</summary>
    private static void RenderIncidentRegister(StringBuilder s)
    {
        s.AppendLine();
        s.AppendLine("## The incident register: registration and reporting of safety incidents");
        s.AppendLine();
        s.AppendLine("The memo's second duty beside the chain (section \"Registratie- en meldplicht incidenten van sociale onveiligheid\"):");
        s.AppendLine("a school registers every safety incident; serious or recurring ones are reported to the Inspectorate itself, not to the");
        s.AppendLine("vertrouwensinspecteur. Off until a date is configured (`Rules:IncidentRegisterEffectiveFrom`, empty by default; the date");
        s.AppendLine("that counts is the day the incident occurred). Before it, incidents can be registered and no duty opens.");
        s.AppendLine();
        s.AppendLine("| sector | duty applies | source |");
        s.AppendLine("|---|---|---|");
        foreach (var r in Incidents.IncidentRules.Sectors)
            s.AppendLine($"| {r.Sector} | {(r.Applies ? "yes" : "no")} | {r.Source} |");
        s.AppendLine();
        s.AppendLine("Categories (memo, footnote 2) and what makes an incident serious (footnote 3: \"fysiek geweld dat ernstig letsel tot gevolg");
        s.AppendLine("heeft, stelselmatige pesterijen en vuurwapenbezit\"). An incident is also serious when the board says so.");
        s.AppendLine();
        s.AppendLine("| category | definition | serious in itself | serious when |");
        s.AppendLine("|---|---|---|---|");
        foreach (var c in Incidents.IncidentRules.Categories)
            s.AppendLine($"| {c.Category} | {c.Definition} | {(c.SeriousInItself ? "yes" : "no")} | {c.SeriousWhen ?? "the board says so"} |");
        s.AppendLine();
        s.AppendLine($"Recurring (\"regelmatig\"): {Incidents.IncidentRules.RecurrenceThreshold} or more incidents concerning the same pupil within " +
                     $"{Incidents.IncidentRules.RecurrenceWindowDays} days, by the school's own pupil number compared as a keyed hash (policy: neither the memo nor the bill gives a number).");
        s.AppendLine($"The report duty (`{DutyKind.ReportIncidentToInspectorate}`) is the board's, default deadline `{DeadlineRule.Parse(Incidents.IncidentRules.DefaultReportDeadline)}` " +
                     "(policy), reminded and escalated by the deadline sweep; it escalates to the board and the Inspectorate's intake (`Notifications:InspectieIntakeEmail`).");
        s.AppendLine("A sexual incident involving someone who works for the school also opens (or links to) a case of the meld-, overleg- en aangifteplicht.");
        s.AppendLine();
        s.AppendLine("### The bill as introduced (36 777) beside the memo");
        s.AppendLine();
        s.AppendLine("Checked against the parliamentary papers of bill 36 777 (Kamerstukken II 2024/25, 36 777, nr. 3 of 23 June 2025, and later papers)");
        s.AppendLine("as far as they could be read; the bill's own text (nr. 2) could not (below). Where they differ from the memo, the system follows the bill:");
        s.AppendLine();
        s.AppendLine("- **Secondary education's act.** The bill amends the *Wet voortgezet onderwijs 2020* (WVO 2020), which replaced the WVO the");
        s.AppendLine("  memo refers to. The report duty in vo therefore cites \"WVO 2020\" (the chain's existing rows keep \"WVO art. 3\" as today's law).");
        s.AppendLine("- **The name of the duty.** The bill's papers speak of a \"registratie- en meldplicht veiligheidsincidenten\" and \"(ernstige)");
        s.AppendLine("  veiligheidsincidenten\" beside a general \"zorgplicht veiligheid op school\"; the memo's \"incidenten van sociale onveiligheid\" is the");
        s.AppendLine("  same duty. The categories and examples are the memo's: the returned excerpts of the bill did not give another list.");
        s.AppendLine("- **Sectors.** The bill also amends the WEB and the WHW, for the chain's extension; nothing returned puts the registration duty in");
        s.AppendLine("  mbo or ho, so the memo's advice (po, vo, so only) stands.");
        s.AppendLine("- **Not verified: the bill's article text.** The text of the bill itself (Kamerstukken II 36 777, nr. 2), the article numbers");
        s.AppendLine("  it inserts and any term it sets for the report to the Inspectorate could not be read (the papers that were, and the searches:");
        s.AppendLine("  docs/RULES-SOURCES.md). The duty therefore cites the bill and the act it amends, and its deadline (`5wd`) is this project's");
        s.AppendLine("  policy, not the bill's. Read kst-36777-2 before relying on these details; if it sets a term, put it in");
        s.AppendLine("  `IncidentRules.DefaultReportDeadline` and cite its article.");
    }
}
