using CaseHandling.Domain.Common;
using CaseHandling.Domain.Incidents;
using CaseHandling.Domain.Cases;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Incidents;

/// <summary>The school's register, newest first: codes only (what was done is read on the incident itself, audited).</summary>
public sealed record ListIncidents(int Limit = 200) : IQuery<Result<IReadOnlyList<IncidentListItem>>>;

public sealed record IncidentListItem(Guid Id, string Number, IncidentCategory Category, DateOnly OccurredOn, PlaceType Place, HarmedParty Harmed,
    bool Serious, ReportReason ReportReason, bool ReportDutyOpen, DateTimeOffset? ReportDueAt, DateOnly? ReportedOn, bool LinkedToCase, bool Erased);

public sealed class ListIncidentsHandler(IncidentAccess access) : IQueryHandler<ListIncidents, Result<IReadOnlyList<IncidentListItem>>>
{
    public async ValueTask<Result<IReadOnlyList<IncidentListItem>>> Handle(ListIncidents q, CancellationToken ct)
    {
        var keeper = await access.RegisterKeeperAsync(ct);
        if (!keeper.IsSuccess) return keeper.Error!;
        var institution = keeper.Value.Institution.Id;
        // A projection of codes and dates: no sealed column is read, so no data key is needed.
        var rows = await access.Own(institution).AsNoTracking()
            .OrderByDescending(i => i.RegisteredAt)
            .Take(Math.Clamp(q.Limit, 1, 1000))
            .Select(i => new IncidentListItem(i.Id, i.Number, i.Category, i.OccurredOn, i.Place, i.Harmed, i.Serious, i.ReportReason,
                i.Duties.Any(d => d.MetAt == null), i.Duties.Select(d => (DateTimeOffset?)d.DueAt).FirstOrDefault(), i.ReportedOn,
                i.LinkedCaseId != null, i.ErasedAt != null))
            .ToListAsync(ct);
        return rows;
    }
}
