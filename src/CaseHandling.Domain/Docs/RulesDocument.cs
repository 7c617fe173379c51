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
        return s.ToString();
    }
}
