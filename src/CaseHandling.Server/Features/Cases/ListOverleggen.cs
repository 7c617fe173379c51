using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Cases;

/// <summary>The inspector's consultations awaiting an outcome (step 3), the conclusion due soonest first.</summary>
public sealed record ListOverleggen : IQuery<Result<IReadOnlyList<OverlegView>>>;

public sealed record OverlegView(Guid CaseId, string CaseNumber, Sector Sector, CaseState State, IncidentType IncidentType,
    DateTimeOffset? ConclusionDueAt, bool InformingImpossibleFlagged);

public sealed class ListOverleggenHandler(CaseHandlingDbContext db, CurrentUserAccessor current)
    : IQueryHandler<ListOverleggen, Result<IReadOnlyList<OverlegView>>>
{
    public const int Limit = 200;

    /// <remarks>
    /// Driven from the inspector's own open step-3 duties in due order (partial index ix_duties_open_assignee_due_at), which stops after
    /// <see cref="Limit"/> rows however many cases the inspector has; plus the voluntary consultations outside the
    /// matrix, which have no duty (index ix_cases_inspector_user_id_state_coverage). docs/PERFORMANCE.md.
    /// </remarks>
    public async ValueTask<Result<IReadOnlyList<OverlegView>>> Handle(ListOverleggen q, CancellationToken ct)
    {
        var me = current.Get().UserId;
        var statutory = await (
                from d in db.Duties.AsNoTracking()
                where d.AssigneeUserId == me && d.MetAt == null && d.Kind == DutyKind.ConcludeOverleg
                join c in db.Cases.AsNoTracking() on d.CaseId equals c.Id
                // No filter on the case: an open step-3 duty means the overleg awaits its outcome, and a filter there
                // makes PostgreSQL misjudge the join and sort all of the inspector's duties instead of reading 200 in order.
                orderby d.DueAt
                select new OverlegView(c.Id, c.Number, c.Sector, c.State, c.IncidentType, d.DueAt, c.InformingImpossibleReason != null))
            .Take(Limit).ToListAsync(ct);
        var voluntary = await db.Cases.AsNoTracking()
            .Where(c => c.InspectorUserId == me && (c.State == CaseState.OverlegStarted || c.State == CaseState.MoreInformationNeeded)
                        && c.Coverage == Coverage.None)
            .OrderBy(c => c.LastChangedAt)
            .Take(Limit)
            .Select(c => new OverlegView(c.Id, c.Number, c.Sector, c.State, c.IncidentType, null, c.InformingImpossibleReason != null))
            .ToListAsync(ct);
        return statutory.Concat(voluntary).Take(Limit).ToList();
    }
}
