using CaseHandling.Domain.Cases.Timeline;
using System.Text;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;

namespace CaseHandling.Server.Features.Shared;

/// <summary>The facts of the board's case, as the handler confirms them when forwarding.</summary>
public sealed record ForwardFacts(VictimKind VictimKind, VictimAge VictimAge, bool Afhankelijkheidsrelatie, AccusedRole AccusedRole);

/// <summary>Opening the board's case from a report: the duties of the matrix run from this moment, when the board learns of it.</summary>
public static class Forwarding
{
    /// <summary>
    /// What the report says, read conservatively: an unknown age counts as a minor and an unnamed victim as a
    /// student, so that the fuller chain applies until the board corrects the facts.
    /// </summary>
    public static ForwardFacts DefaultFacts(Report r) => new(
        r.VictimWho == VictimWho.Reporter && r.ReporterKind == ReporterKind.StaffMember ? VictimKind.StaffMember : VictimKind.Student,
        r.VictimAge == VictimAgeAnswer.Adult ? VictimAge.Adult : VictimAge.Minor,
        Afhankelijkheidsrelatie: false,
        r.AccusedRole);

    /// <summary>Opens the case, forwarding only what may be forwarded, and marks the report forwarded. Both are saved together.</summary>
    public static Case OpenBoardCase(Report report, Institution institution, ForwardFacts facts, Actor actor, DutyRules rules, DateTimeOffset now)
    {
        var caseFacts = new CaseFacts(institution.Sector, report.IncidentType, facts.VictimKind, facts.VictimAge, facts.Afhankelijkheidsrelatie,
            facts.AccusedRole, BoardLearnedAt: now);
        var c = Case.Open(institution.Id, caseFacts, OpenedVia.MeldpuntForwarding, actor, staffLearnedAt: null, Details(report), rules, now);
        MarkForwarded(report, c, now);
        return c;
    }

    /// <summary>Joins the report to a case the board already has for the same matter: it appears on that case's timeline.</summary>
    public static void JoinBoardCase(Report report, Case existing, Actor actor, DateTimeOffset now)
    {
        existing.AttachInformation(actor, "MeldpuntReportJoined", Details(report), now);
        MarkForwarded(report, existing, now);
    }

    private static void MarkForwarded(Report report, Case c, DateTimeOffset now)
    {
        var forwarded = report.Forward(c.Id, now);
        if (!forwarded.IsSuccess) throw new InvalidOperationException("Forwarding was checked before the case was opened or joined.");
    }

    /// <summary>Only what the reporter consented to (or, under the staff duty, the description).</summary>
    private static FromMeldpunt Details(Report report)
    {
        var items = report.ConsentItems | (report.StatutoryForwarding ? ForwardItems.Description : ForwardItems.None);
        var description = items.HasFlag(ForwardItems.Description);
        string? messages = null;
        if (items.HasFlag(ForwardItems.Messages))
        {
            var sb = new StringBuilder();
            foreach (var m in report.Messages.OrderBy(m => m.Sequence)) sb.Append($"[{m.At:yyyy-MM-dd HH:mm} {m.Author}] {m.Text}\n");
            messages = sb.ToString();
        }
        return new FromMeldpunt(
            StatutoryForwarding: report.StatutoryForwarding ? "true" : "false",
            ForwardedItems: items.ToString(),
            Facts: description ? report.WhatHappened : null,
            WhenHappened: description ? report.WhenHappened : null,
            Department: description ? report.Department : null,
            Contact: items.HasFlag(ForwardItems.ContactDetails) && !report.Anonymous
                ? string.Join("; ", new[] { report.ContactName, report.ContactEmail, report.ContactPhone }.Where(s => s is not null))
                : null,
            Messages: messages);
    }
}
