using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Queries;

/// <summary>The inspector's consultations awaiting an outcome (step 3), the conclusion due soonest first.</summary>
public sealed record ListConsultations : IQuery<Result<IReadOnlyList<ConsultationView>>>;

public sealed record ConsultationView(Guid CaseId, string CaseNumber, Sector Sector, CaseState State, IncidentType IncidentType,
    DateTimeOffset? ConclusionDueAt, bool InformingImpossibleFlagged);

public sealed class ListConsultationsHandler(CaseHandlingDbContext db, CurrentUserAccessor current)
    : IQueryHandler<ListConsultations, Result<IReadOnlyList<ConsultationView>>>
{
    public async ValueTask<Result<IReadOnlyList<ConsultationView>>> Handle(ListConsultations q, CancellationToken ct)
    {
        var me = current.Get().UserId;
        var rows = await db.Cases.AsNoTracking()
            .Where(c => c.InspectorUserId == me && (c.State == CaseState.ConsultationStarted || c.State == CaseState.MoreInformationNeeded))
            .Select(c => new
            {
                c.Id, c.Number, c.Sector, c.State, c.IncidentType, Flag = c.InformingImpossibleReason != null,
                Due = c.Duties.Where(d => d.Kind == DutyKind.ConcludeOverleg && d.MetAt == null).Min(d => (DateTimeOffset?)d.DueAt),
            })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Due ?? DateTimeOffset.MaxValue)
            .Select(r => new ConsultationView(r.Id, r.Number, r.Sector, r.State, r.IncidentType, r.Due, r.Flag)).ToList();
    }
}
