using CaseHandling.Data;
using CaseHandling.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Meldpunt;

/// <summary>
/// The matches of one report, open or not ("this report has 2 matches" on the report page, with links to the side by
/// side view). Recorded in the audit trail like the list ("match:listed") when there is one.
/// </summary>
public sealed record ListMatchesForReport(Guid ReportId) : IQuery<Result<IReadOnlyList<MatchView>>>;

public sealed class ListMatchesForReportHandler(CaseHandlingDbContext db, MatchFinder finder)
    : IQueryHandler<ListMatchesForReport, Result<IReadOnlyList<MatchView>>>
{
    public async ValueTask<Result<IReadOnlyList<MatchView>>> Handle(ListMatchesForReport q, CancellationToken ct)
    {
        if (!await db.Reports.AnyAsync(r => r.Id == q.ReportId, ct)) return new NotFound("Report");
        var matches = await finder.FindAsync(q.ReportId, ct);
        await finder.RecordShownAsync(matches, "match:listed", ct);
        return Result<IReadOnlyList<MatchView>>.Success(matches);
    }
}
