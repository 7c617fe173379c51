using CaseHandling.Data;
using CaseHandling.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>
/// The anonymous counts that outlive retention: cases by sector, incident type and state, and reports by status,
/// with how many were erased. Codes and numbers only; no case is named.
/// </summary>
public sealed record GetStatistics : IQuery<Result<StatisticsView>>;

public sealed record CountRow(string Sector, string IncidentType, string State, long Cases, long Erased);
public sealed record ReportCountRow(string Status, long Reports, long Erased);
public sealed record StatisticsView(IReadOnlyList<CountRow> Cases, IReadOnlyList<ReportCountRow> Reports);

public sealed class GetStatisticsHandler(CaseHandlingDbContext db) : IQueryHandler<GetStatistics, Result<StatisticsView>>
{
    public async ValueTask<Result<StatisticsView>> Handle(GetStatistics q, CancellationToken ct)
    {
        var cases = await db.Cases.AsNoTracking()
            .GroupBy(c => new { c.Sector, c.IncidentType, c.State })
            .Select(g => new { g.Key.Sector, g.Key.IncidentType, g.Key.State, Count = g.LongCount(), Erased = g.LongCount(c => c.ErasedAt != null) })
            .ToListAsync(ct);
        var reports = await db.Reports.AsNoTracking()
            .GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount(), Erased = g.LongCount(r => r.ErasedAt != null) })
            .ToListAsync(ct);
        return new StatisticsView(
            cases.Select(c => new CountRow(c.Sector.ToString(), c.IncidentType.ToString(), c.State.ToString(), c.Count, c.Erased))
                .OrderBy(c => c.Sector).ThenBy(c => c.IncidentType).ThenBy(c => c.State).ToList(),
            reports.Select(r => new ReportCountRow(r.Status.ToString(), r.Count, r.Erased)).OrderBy(r => r.Status).ToList());
    }
}
