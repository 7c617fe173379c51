using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Infrastructure.Http;
using CaseHandling.Server.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CaseHandling.Server.Infrastructure.Persistence;

/// <summary>
/// The one path by which a command changes cases and reports. It loads a subject with its data key preloaded (no
/// synchronous key-store I/O while rows are read), collects the audit entries of the change, and commits the change
/// and its entries in one transaction, turning a lost race into a 409 instead of an exception. Handlers never call
/// SaveChanges themselves (the architecture tests check it; <see cref="UnitOfWorkBehavior{TMessage,TResponse}"/>
/// refuses a command that leaves changes behind).
/// </summary>
public sealed class UnitOfWork(CaseHandlingDbContext db, DataKeys keys, TimeProvider time, IdempotencyScope idempotency)
{
    private readonly List<(Guid Subject, string Action, string UserId, string Role)> _audit = [];

    /// <summary>One case or report (or another row sealed under <paramref name="subject"/>), tracked for change, its key preloaded.</summary>
    public async Task<T?> LoadAsync<T>(IQueryable<T> rows, Guid subject, CancellationToken ct) where T : class
    {
        await keys.PreloadAsync([subject], ct);
        return await rows.FirstOrDefaultAsync(ct);
    }

    public void Add<T>(T entity) where T : class => db.Add(entity);

    /// <summary>An audit entry for this change, written in its transaction (docs/AUDIT.md).</summary>
    public void Audit(Guid subject, string action, CurrentUser user) => Audit(subject, action, user.UserId, Roles.NameOf(user.Role));

    public void Audit(Guid subject, string action, string userId, string role) => _audit.Add((subject, action, userId, role));

    /// <summary>
    /// Commits every change and audit entry together, then builds the answer (after the save, so that it carries the
    /// new version). A lost race (a stale version, a numbered child added twice, a deadlock) is a 409 naming <paramref name="what"/>.
    /// </summary>
    public async Task<Result<T>> CommitAsync<T>(string what, Func<T> answer, CancellationToken ct)
    {
        var saved = await CommitAsync(what, ct);
        return saved.IsSuccess ? answer() : saved.Error!;
    }

    public async Task<Result> CommitAsync(string what, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // A subject inserted by this very save has no entries yet and nobody else can see it before the commit: its
        // first entry goes into the same statement batch, with no lock and no extra round trip (the intake's path).
        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added && SealedFields.ByType.TryGetValue(e.Metadata.ClrType, out var s) && s.IsSubject)
            .Select(e => SealedFields.ByType[e.Metadata.ClrType].Subject(e.Entity)).ToHashSet();
        var later = new List<(Guid Subject, string Action, string UserId, string Role)>();
        var firsts = new HashSet<Guid>();
        foreach (var entry in _audit)
        {
            if (added.Contains(entry.Subject) && firsts.Add(entry.Subject))
                db.Audit.Add(AuditTrail.First(entry.Subject, entry.Action, entry.UserId, entry.Role, now));
            else
                later.Add(entry);
        }
        _audit.Clear();
        // A request with an Idempotency-Key: its row is kept or lost with this change (Infrastructure/Http/Idempotency.cs).
        var claim = idempotency.Claim(now);
        if (claim is not null) db.IdempotentRequests.Add(claim);

        IDbContextTransaction? tx = null;
        try
        {
            if (later.Count > 0) tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            if (tx is not null)
            {
                var conn = (NpgsqlConnection)db.Database.GetDbConnection();
                foreach (var group in later.GroupBy(e => (e.UserId, e.Role)))
                    await AuditBatch.AppendAsync(conn, (NpgsqlTransaction)tx.GetDbTransaction(), group.Select(e => (e.Subject, e.Action)).ToList(),
                        group.Key.UserId, group.Key.Role, now, ct);
                await tx.CommitAsync(ct);
            }
            idempotency.Committed(claim is not null);
            return Result.Success();
        }
        catch (Exception e) when (IsLostRace(e))
        {
            // Lost to a twin request with the same Idempotency-Key: rolled back whole; the middleware replays the twin's answer.
            idempotency.IsTwin(e);
            db.ChangeTracker.Clear();
            return new ConcurrencyConflict(what);
        }
        finally
        {
            if (tx is not null) await tx.DisposeAsync();
        }
    }

    /// <summary>Someone else changed the same thing in the meantime: the caller reloads and tries again.</summary>
    private static bool IsLostRace(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        // Two writers added the same numbered child (a timeline step, a message): the second lost the race.
        DbUpdateException { InnerException: PostgresException p } => IsRace(p),
        PostgresException p => IsRace(p),
        _ => false,
    };

    private static bool IsRace(PostgresException p) =>
        p.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
