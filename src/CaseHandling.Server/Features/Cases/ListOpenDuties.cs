using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Cases;

/// <summary>A board's open duties, soonest due first (index ix_duties_open_institution_due_at).</summary>
public sealed record ListOpenDuties(int Limit = 100) : IQuery<Result<IReadOnlyList<OpenDutyView>>>;

public sealed record OpenDutyView(Guid DutyId, Guid CaseId, string CaseNumber, DutyKind Kind, int Step, StaffRole Responsible,
    string LegalBasis, DateTimeOffset DueAt, DutyStatus Status);

public sealed class ListOpenDutiesHandler(CaseHandlingDbContext db, CurrentUserAccessor current, TimeProvider time)
    : IQueryHandler<ListOpenDuties, Result<IReadOnlyList<OpenDutyView>>>
{
    public async ValueTask<Result<IReadOnlyList<OpenDutyView>>> Handle(ListOpenDuties q, CancellationToken ct)
    {
        // An account without an institution has no duties. Answered here, because a query for institution_id IS NULL
        // could not use ix_duties_open_institution_due_at, which holds only duties that have an institution.
        if (current.Get().InstitutionId is not { } institution) return new List<OpenDutyView>();
        var now = time.GetUtcNow();
        var rows = await db.Duties.AsNoTracking()
            .Where(d => d.InstitutionId == institution && d.MetAt == null && d.CaseId != null)
            .OrderBy(d => d.DueAt)
            .Take(Math.Clamp(q.Limit, 1, 500))
            .Join(db.Cases, d => d.CaseId!.Value, c => c.Id, (d, c) => new { d, c.Number })
            .ToListAsync(ct);
        return rows.Select(r => new OpenDutyView(r.d.Id, r.d.CaseId!.Value, r.Number, r.d.Kind, r.d.Step, r.d.Responsible,
            r.d.LegalBasis, r.d.DueAt, r.d.StatusAt(now))).ToList();
    }
}
