using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CaseHandling.Server.Infrastructure.Persistence;

/// <summary>
/// Loads cases as the current user may see them, and saves them with optimistic concurrency.
/// The access rule lives here and nowhere else: a board sees its own institution; an inspector
/// sees the cases whose overleg was started with the inspectorate; nobody else reads cases.
/// </summary>
public sealed class CaseStore(CaseHandlingDbContext db, AuditTrail audit, Encryption.DataKeys keys)
{
    public IQueryable<Case> Visible(CurrentUser user) => user.Role switch
    {
        StaffRole.Board when user.InstitutionId is { } institution => db.Cases.Where(c => c.InstitutionId == institution),
        StaffRole.Vertrouwensinspecteur => db.Cases.Where(c => c.InspectorUserId != null),
        _ => db.Cases.Where(c => false),
    };

    /// <summary>The case with its duties and timeline, or 404; or 409 when the caller's If-Match version is stale.</summary>
    public async Task<Result<Case>> LoadForChange(Guid id, CurrentUser user, uint? expectedVersion, CancellationToken ct)
    {
        // The data key is fetched here, asynchronously, rather than inside the reading of the rows.
        await keys.PreloadAsync([id], ct);
        var found = await Visible(user)
            .Include(c => c.Duties)
            .Include(c => c.Events)
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == id, ct);
        if (found is null) return new NotFound("Case");
        if (expectedVersion is { } v && v != found.Version) return new ConcurrencyConflict("The case");
        return found;
    }

    /// <summary>Saves the change and its audit entry in one transaction.</summary>
    public Task<Result> SaveAudited(Guid caseId, CurrentUser user, string action, CancellationToken ct) =>
        Saving.SaveAuditedAsync(db, audit, caseId, user, action, "The case", ct);
}

/// <summary>Saves, turning a lost race into an expected failure (409) instead of an exception.</summary>
public static class Saving
{
    public static async Task<Result> SaveAsync(CaseHandlingDbContext db, string what, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return Result.Success();
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ConcurrencyConflict(what);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two writers added the same numbered child (a timeline step, a message): the second lost the race.
            return new ConcurrencyConflict(what);
        }
    }

    /// <summary>Saves a change to a case or report and its audit entry in one transaction (docs/AUDIT.md).</summary>
    public static async Task<Result> SaveAuditedAsync(CaseHandlingDbContext db, AuditTrail audit, Guid subject, CurrentUser user, string action,
        string what, CancellationToken ct)
    {
        // Inside the caller's transaction when there is one (a change that touches two subjects).
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var saved = await SaveAsync(db, what, ct);
        if (!saved.IsSuccess) return saved;
        await audit.RecordAsync(subject, action, user, ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return saved;
    }
}
