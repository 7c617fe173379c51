using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Reports;

/// <summary>The institutions a reporter can choose from (names and sectors only).</summary>
public sealed record ListPublicInstitutions : IQuery<Result<IReadOnlyList<PublicInstitution>>>;

public sealed record PublicInstitution(Guid Id, string Name, Sector Sector);

public sealed class ListPublicInstitutionsHandler(CaseHandlingDbContext db) : IQueryHandler<ListPublicInstitutions, Result<IReadOnlyList<PublicInstitution>>>
{
    public async ValueTask<Result<IReadOnlyList<PublicInstitution>>> Handle(ListPublicInstitutions q, CancellationToken ct) =>
        await db.Institutions.AsNoTracking().OrderBy(i => i.Name).Select(i => new PublicInstitution(i.Id, i.Name, i.Sector)).ToListAsync(ct);
}
