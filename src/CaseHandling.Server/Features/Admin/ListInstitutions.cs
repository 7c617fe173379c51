using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Features.Admin;

/// <summary>All institutions (administrator).</summary>
public sealed record ListInstitutions : IQuery<Result<IReadOnlyList<InstitutionView>>>;

public sealed class ListInstitutionsHandler(CaseHandlingDbContext db) : IQueryHandler<ListInstitutions, Result<IReadOnlyList<InstitutionView>>>
{
    public async ValueTask<Result<IReadOnlyList<InstitutionView>>> Handle(ListInstitutions q, CancellationToken ct) =>
        await db.Institutions.AsNoTracking().OrderBy(i => i.Name)
            .Select(i => new InstitutionView(i.Id, i.Name, i.Sector, i.ContactEmail)).ToListAsync(ct);
}
