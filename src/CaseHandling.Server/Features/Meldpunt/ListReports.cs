using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>The meldpunt handler's inbox: open reports first, the service level due soonest first.</summary>
public sealed record ListReports(bool IncludeClosed = false) : IQuery<Result<IReadOnlyList<ReportInboxItem>>>;

public sealed record ReportInboxItem(Guid Id, string Number, ReportStatus Status, IncidentType IncidentType, ReporterKind ReporterKind,
    bool Anonymous, DateTimeOffset SubmittedAt, DateTimeOffset LastActivityAt, DateTimeOffset? NextDueAt, DutyKind? NextDuty, bool ConsentGiven);

public sealed class ListReportsHandler(CaseHandlingDbContext db) : IQueryHandler<ListReports, Result<IReadOnlyList<ReportInboxItem>>>
{
    public async ValueTask<Result<IReadOnlyList<ReportInboxItem>>> Handle(ListReports q, CancellationToken ct)
    {
        var rows = await db.Reports.AsNoTracking()
            .Where(r => q.IncludeClosed || r.Status != ReportStatus.Closed)
            .OrderByDescending(r => r.LastActivityAt)
            .Take(500)
            .Select(r => new
            {
                r.Id, r.Number, r.Status, r.IncidentType, r.ReporterKind, r.Anonymous, r.SubmittedAt, r.LastActivityAt,
                Next = r.Duties.Where(d => d.MetAt == null).OrderBy(d => d.DueAt).Select(d => new { d.DueAt, d.Kind }).FirstOrDefault(),
                Consent = r.ConsentGivenAt != null,
            })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Next?.DueAt ?? DateTimeOffset.MaxValue)
            .Select(r => new ReportInboxItem(r.Id, r.Number, r.Status, r.IncidentType, r.ReporterKind, r.Anonymous, r.SubmittedAt, r.LastActivityAt,
                r.Next?.DueAt, r.Next?.Kind, r.Consent)).ToList();
    }
}
