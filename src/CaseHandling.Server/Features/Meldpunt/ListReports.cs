using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The meldpunt handler's inbox: reports with an open service level first, the one due soonest first (the overdue
/// ones on top), then the others, most recently active first. At most <see cref="Limit"/> rows.
/// </summary>
public sealed record ListReports(bool IncludeClosed = false) : IQuery<Result<IReadOnlyList<ReportInboxItem>>>
{
    public const int Limit = 500;
}

public sealed record ReportInboxItem(Guid Id, string Number, ReportStatus Status, IncidentType IncidentType, ReporterKind ReporterKind,
    bool Anonymous, DateTimeOffset SubmittedAt, DateTimeOffset LastActivityAt, DateTimeOffset? NextDueAt, DutyKind? NextDuty, bool ConsentGiven,
    bool Overdue = false, bool StatutoryForwarding = false);

public sealed class ListReportsHandler(CaseHandlingDbContext db, TimeProvider time) : IQueryHandler<ListReports, Result<IReadOnlyList<ReportInboxItem>>>
{
    public async ValueTask<Result<IReadOnlyList<ReportInboxItem>>> Handle(ListReports q, CancellationToken ct)
    {
        // Ordered in the database, before the limit: a report whose service level is due soonest is never cut off
        // because others were active more recently. (PostgreSQL sorts a missing due time last.)
        var rows = await db.Reports.AsNoTracking()
            .Where(r => q.IncludeClosed || r.Status != ReportStatus.Closed)
            .Select(r => new
            {
                r.Id, r.Number, r.Status, r.IncidentType, r.ReporterKind, r.Anonymous, r.SubmittedAt, r.LastActivityAt, r.AccusedRole,
                Next = r.Duties.Where(d => d.MetAt == null).OrderBy(d => d.DueAt).Select(d => new { d.DueAt, d.Kind }).FirstOrDefault(),
                NextDue = r.Duties.Where(d => d.MetAt == null).Min(d => (DateTimeOffset?)d.DueAt),
                Consent = r.ConsentGivenAt != null,
            })
            .OrderBy(r => r.NextDue).ThenByDescending(r => r.LastActivityAt).ThenBy(r => r.Id)
            .Take(ListReports.Limit)
            .ToListAsync(ct);
        var now = time.GetUtcNow();
        return rows.Select(r => new ReportInboxItem(r.Id, r.Number, r.Status, r.IncidentType, r.ReporterKind, r.Anonymous, r.SubmittedAt, r.LastActivityAt,
            r.Next?.DueAt, r.Next?.Kind, r.Consent, r.Next is { } n && n.DueAt < now,
            Report.StaffDutyApplies(r.ReporterKind, r.IncidentType, r.AccusedRole))).ToList();
    }
}
