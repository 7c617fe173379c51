using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Incidents;

/// <summary>The board's open duties to report an incident to the Inspectorate, soonest due first (its work list).</summary>
public sealed record ListIncidentReportDuties : IQuery<Result<IReadOnlyList<IncidentDutyView>>>;

public sealed record IncidentDutyView(Guid DutyId, Guid IncidentId, string IncidentNumber, string LegalBasis, DateTimeOffset DueAt, DutyStatus Status);

public sealed class ListIncidentReportDutiesHandler(CaseHandlingDbContext db, CurrentUserAccessor current, TimeProvider time)
    : IQueryHandler<ListIncidentReportDuties, Result<IReadOnlyList<IncidentDutyView>>>
{
    public async ValueTask<Result<IReadOnlyList<IncidentDutyView>>> Handle(ListIncidentReportDuties q, CancellationToken ct)
    {
        // An account without an institution has no duties. Answered here, because a query for institution_id IS NULL
        // could not use ix_duties_open_institution_due_at, which holds only duties that have an institution.
        if (current.Get().InstitutionId is not { } institution) return new List<IncidentDutyView>();
        var now = time.GetUtcNow();
        var rows = await db.Duties.AsNoTracking()
            .Where(d => d.InstitutionId == institution && d.MetAt == null && d.IncidentId != null)
            .OrderBy(d => d.DueAt).Take(500)
            .Join(db.Incidents, d => d.IncidentId!.Value, i => i.Id, (d, i) => new { d, i.Number })
            .ToListAsync(ct);
        return rows.Select(r => new IncidentDutyView(r.d.Id, r.d.IncidentId!.Value, r.Number, r.d.LegalBasis, r.d.DueAt, r.d.StatusAt(now))).ToList();
    }
}
