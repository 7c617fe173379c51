using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Infrastructure.Persistence;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Cases;

/// <summary>The cases the caller may see, newest first: a board its institution's, an inspector the inspectorate's.</summary>
public sealed record ListCases(int Limit = 100) : IQuery<Result<IReadOnlyList<CaseListItem>>>;

public sealed record CaseListItem(Guid Id, string Number, CaseState State, IncidentType IncidentType, Coverage Coverage, DateTimeOffset OpenedAt);

public sealed class ListCasesHandler(CaseStore store, CurrentUserAccessor current)
    : IQueryHandler<ListCases, Result<IReadOnlyList<CaseListItem>>>
{
    public async ValueTask<Result<IReadOnlyList<CaseListItem>>> Handle(ListCases q, CancellationToken ct) =>
        await store.Visible(current.Get()).AsNoTracking()
            .OrderByDescending(c => c.OpenedAt)
            .Take(Math.Clamp(q.Limit, 1, 500))
            .Select(c => new CaseListItem(c.Id, c.Number, c.State, c.IncidentType, c.Coverage, c.OpenedAt))
            .ToListAsync(ct);
}
