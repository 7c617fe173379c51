using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Server.Infrastructure.Persistence;

/// <summary>
/// Loads cases as the current user may see them, and saves them with optimistic concurrency.
/// The access rule lives here and nowhere else: a board sees its own institution; an inspector
/// sees the cases whose overleg was started with the inspectorate; nobody else reads cases.
/// </summary>
public sealed class CaseStore(CaseHandlingDbContext db, UnitOfWork work)
{
    /// <summary>The unit of work the case is changed and committed in.</summary>
    public UnitOfWork Work => work;

    public IQueryable<Case> Visible(CurrentUser user) => user.Role switch
    {
        StaffRole.Board when user.InstitutionId is { } institution => db.Cases.Where(c => c.InstitutionId == institution),
        StaffRole.Vertrouwensinspecteur => db.Cases.Where(c => c.InspectorUserId != null),
        _ => db.Cases.Where(c => false),
    };

    /// <summary>The case with its duties and timeline, or 404; or 409 when the caller's If-Match version is stale.</summary>
    public async Task<Result<Case>> LoadForChange(Guid id, CurrentUser user, uint? expectedVersion, CancellationToken ct)
    {
        var found = await work.LoadAsync(Visible(user).Include(c => c.Duties).Include(c => c.Events).Include(c => c.Explanations).AsSplitQuery().Where(c => c.Id == id), id, ct);
        if (found is null) return new NotFound("Case");
        if (expectedVersion is { } v && v != found.Version) return new ConcurrencyConflict("The case");
        return found;
    }
}
