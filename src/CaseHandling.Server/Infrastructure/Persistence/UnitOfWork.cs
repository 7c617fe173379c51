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
public sealed class UnitOfWork(CaseHandlingDbContext db, DataKeys keys, TimeProvider time, IdempotencyScope idempotency, InsertBatch batch)
{
    private readonly List<(Guid Subject, string Action, string UserId, string Role)> _audit = [];
    private readonly List<object> _inserts = [];

    /// <summary>One case or report (or another row sealed under <paramref name="subject"/>), tracked for change, its key preloaded.</summary>
    public async Task<T?> LoadAsync<T>(IQueryable<T> rows, Guid subject, CancellationToken ct) where T : class
    {
        await keys.PreloadAsync([subject], ct);
        return await rows.FirstOrDefaultAsync(ct);
    }

    public void Add<T>(T entity) where T : class => db.Add(entity);

    /// <summary>
    /// A new row with the rows it holds (a new report with its duty). When the command does nothing else than insert new
    /// subjects and their first audit entries, the commit writes them as one statement batch, past the change tracker
    /// (<see cref="InsertBatch"/>, the intake's path); otherwise they are saved through EF with the rest of the change.
    /// </summary>
    public void Insert<T>(T entity) where T : class => _inserts.Add(entity);

    /// <summary>Rows inserted and not committed (<see cref="UnitOfWorkBehavior{TMessage,TResponse}"/> checks it as it checks EF's changes).</summary>
    public bool HasPending => _inserts.Count > 0;

    /// <summary>Forgets the rows a failed command inserted, as the change tracker is cleared.</summary>
    public void Discard() => _inserts.Clear();

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
        // Inside the request's transaction (a request with an Idempotency-Key, IdempotencyStore.BeginAsync) the change
        // commits with it, and a lost race is undone to this savepoint, leaving the transaction usable.
        var outer = db.Database.CurrentTransaction;
        if (outer is null) return await WriteAsync(what, null, ct);
        await outer.CreateSavepointAsync(Savepoint, ct);
        var saved = await WriteAsync(what, outer, ct);
        if (saved.IsSuccess) await outer.ReleaseSavepointAsync(Savepoint, ct);
        else await outer.RollbackToSavepointAsync(Savepoint, CancellationToken.None);
        return saved;
    }

    private const string Savepoint = "unit_of_work";

    /// <summary>
    /// A change that saves as it goes (Identity's <c>UserManager</c>, whose store saves through this same context and so
    /// on its connection) and its audit entries, in one transaction: a failed outcome, an exception or a crash before the
    /// commit leaves neither the change nor its record. <paramref name="change"/> records its entries with <see cref="Audit(Guid, string, CurrentUser)"/>.
    /// </summary>
    public async Task<Result> AtomicallyAsync(string what, Func<Task<Result>> change, CancellationToken ct)
    {
        var outer = db.Database.CurrentTransaction;
        if (outer is not null)
        {
            await outer.CreateSavepointAsync(AtomicSavepoint, ct);
            var result = await Attempt();
            if (result.IsSuccess) await outer.ReleaseSavepointAsync(AtomicSavepoint, ct);
            else await outer.RollbackToSavepointAsync(AtomicSavepoint, CancellationToken.None);
            return result;
        }
        await using var own = await db.Database.BeginTransactionAsync(ct);
        var outcome = await Attempt();
        // Not committed, the transaction is rolled back as it is disposed.
        if (outcome.IsSuccess) await own.CommitAsync(ct);
        return outcome;

        async Task<Result> Attempt()
        {
            try
            {
                var changed = await change();
                var saved = changed.IsSuccess ? await CommitAsync(what, ct) : changed;
                if (!saved.IsSuccess) Forget();
                return saved;
            }
            catch
            {
                Forget();
                throw;
            }
        }
    }

    private void Forget()
    {
        Discard();
        _audit.Clear();
        db.ChangeTracker.Clear();
    }

    private const string AtomicSavepoint = "unit_of_work_atomic";

    private async Task<Result> WriteAsync(string what, IDbContextTransaction? outer, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_inserts.Count > 0)
        {
            if (OnlyNewSubjects()) return await CommitBatchAsync(what, now, ct);
            foreach (var row in _inserts) db.Add(row);
            _inserts.Clear();
        }
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

        IDbContextTransaction? own = null;
        var autoSavepoints = db.Database.AutoSavepointsEnabled;
        try
        {
            if (later.Count > 0 && outer is null) own = await db.Database.BeginTransactionAsync(ct);
            // Our own savepoint covers the whole write; EF's would cost a round trip more.
            db.Database.AutoSavepointsEnabled = false;
            await db.SaveChangesAsync(ct);
            if ((own ?? outer) is { } tx && later.Count > 0)
            {
                var conn = (NpgsqlConnection)db.Database.GetDbConnection();
                foreach (var group in later.GroupBy(e => (e.UserId, e.Role)))
                    await AuditBatch.AppendAsync(conn, (NpgsqlTransaction)tx.GetDbTransaction(), group.Select(e => (e.Subject, e.Action)).ToList(),
                        group.Key.UserId, group.Key.Role, now, ct);
            }
            if (own is not null) await own.CommitAsync(ct);
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
            db.Database.AutoSavepointsEnabled = autoSavepoints;
            if (own is not null) await own.DisposeAsync();
        }
    }

    /// <summary>
    /// Nothing tracked by EF, and every audit entry the first of a subject inserted here: the change is new rows only, with
    /// nothing to lock or read first, and it can go as one batch. (Two entries of one new subject go through EF, which
    /// chains the second after the first under the subject's lock.)
    /// </summary>
    private bool OnlyNewSubjects()
    {
        if (db.ChangeTracker.HasChanges()) return false;
        var subjects = _inserts.Where(r => SealedFields.ByType.TryGetValue(r.GetType(), out var s) && s.IsSubject)
            .Select(r => SealedFields.ByType[r.GetType()].Subject(r)).ToHashSet();
        var firsts = new HashSet<Guid>();
        return _audit.All(e => subjects.Contains(e.Subject) && firsts.Add(e.Subject));
    }

    /// <summary>The same rows as the EF path writes (the rows, each new subject's first audit entry, the idempotency row), in one round trip.</summary>
    private async Task<Result> CommitBatchAsync(string what, DateTimeOffset now, CancellationToken ct)
    {
        var rows = new List<object>(_inserts);
        rows.AddRange(_audit.Select(e => AuditTrail.First(e.Subject, e.Action, e.UserId, e.Role, now)));
        // A request with an Idempotency-Key: its row is kept or lost with this change (Infrastructure/Http/Idempotency.cs).
        var claim = idempotency.Claim(now);
        if (claim is not null) rows.Add(claim);
        _inserts.Clear();
        _audit.Clear();
        try
        {
            await batch.WriteAsync(rows, ct);
            idempotency.Committed(claim is not null);
            return Result.Success();
        }
        catch (Exception e) when (IsLostRace(e))
        {
            idempotency.IsTwin(e);
            return new ConcurrencyConflict(what);
        }
    }

    /// <summary>Someone else changed the same thing in the meantime: the caller reloads and tries again.</summary>
    private static bool IsLostRace(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        // Two writers added the same numbered child (a timeline step, a message): the second lost the race.
        DbUpdateException { InnerException: PostgresException p } => IsRace(p),
        PostgresException p => IsRace(p),
        // EF's execution strategy wraps what Npgsql calls transient, a deadlock and a serialization failure among it, in
        // an InvalidOperationException: unwrapped, such a loss (a step against the sweep) is a lost race like the others, a 409.
        InvalidOperationException { InnerException: { } inner } => IsLostRace(inner),
        _ => false,
    };

    private static bool IsRace(PostgresException p) =>
        p.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
